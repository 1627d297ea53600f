/* Traject wizard: small enhancements on top of pages that work without JavaScript.
   - focus the error summary or conflict message when the page opens;
   - fold the list of steps on narrow screens;
   - keep typed text as a server-side draft every 30 seconds, and warn before leaving unsaved input. */
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
        }
      })
      .catch(function () { dirty = true; });
  };
  var timer = window.setInterval(autosave, 30000);
})();
