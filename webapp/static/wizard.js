/* Traject wizard: small enhancements on top of pages that work without JavaScript.
   - focus the error summary or conflict message when the page opens;
   - fold the list of steps on narrow screens; ring the preview frame while it has the focus;
   - keep typed text as a server-side draft every 30 seconds, say when it was kept or could not be, and warn before
     leaving unsaved input. */
(function () {
  'use strict';

  var focusTarget = document.querySelector('[data-focus-on-load]') || document.querySelector('[autofocus]');
  if (focusTarget && document.activeElement !== focusTarget) {
    focusTarget.focus();
  }

  var steps = document.querySelector('.progress-details');
  if (steps && window.matchMedia('(max-width: 47.99em)').matches) {
    steps.open = false;
  }

  // Focus inside the preview frame matches no :focus in this page, so the frame's ring is a class set here.
  var frame = document.querySelector('.preview-frame');
  if (frame) {
    window.addEventListener('blur', function () {
      window.setTimeout(function () { frame.classList.toggle('frame-focused', document.activeElement === frame); }, 0);
    });
    window.addEventListener('focus', function () { frame.classList.remove('frame-focused'); });
  }

  var form = document.querySelector('form[data-autosave]');
  if (!form) {
    return;
  }
  var dirty = false;
  var submitting = false;
  var markDirty = function () { dirty = true; };
  form.addEventListener('input', markDirty);
  form.addEventListener('change', markDirty);
  form.addEventListener('submit', function () { submitting = true; });

  window.addEventListener('beforeunload', function (event) {
    if (dirty && !submitting) {
      event.preventDefault();
      event.returnValue = '';
    }
  });

  var autosave = function () {
    if (!dirty || submitting) {
      return;
    }
    var data = new FormData(form);
    data.set('action', 'concept');
    dirty = false;
    // getAttribute: the buttons are named "action", which hides the form's own action property.
    fetch(form.getAttribute('action'), {method: 'POST', body: data, credentials: 'same-origin', redirect: 'manual'})
      .then(function (response) {
        if (response.status !== 204) {
          dirty = true;          // not kept (session expired?): the next real submit keeps it
          window.clearInterval(timer);
          report(false);
        } else {
          report(true);
        }
      })
      .catch(function () { dirty = true; report(false); });
  };
  // Say what happened: a polite status with the time when the draft was kept, a visible alert when it was not.
  var saved = document.getElementById('autosave-status');
  var warning = document.getElementById('autosave-warning');
  var report = function (ok) {
    if (!saved || !warning) {
      return;
    }
    var now = new Date();
    var time = ('0' + now.getHours()).slice(-2) + ':' + ('0' + now.getMinutes()).slice(-2);
    saved.textContent = ok ? saved.getAttribute('data-saved').replace('{tijd}', time) : '';
    warning.textContent = ok ? '' : warning.getAttribute('data-failed');
  };
  var timer = window.setInterval(autosave, 30000);
})();
