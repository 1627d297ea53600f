/* Traject wizard: small enhancements on top of pages that work without JavaScript.
   - focus the error summary or conflict message when the page opens;
   - fold the list of steps on narrow screens; ring the preview frame while it has the focus;
   - keep typed text as a server-side draft every 30 seconds, say when it was kept or could not be, and warn before
     leaving unsaved input;
   - count the characters of a text near its limit (the server refuses more on save; nothing is cut off). */
(function () {
  'use strict';

  var focusTarget = document.querySelector('[data-focus-on-load]') || document.querySelector('[autofocus]');
  if (focusTarget && document.activeElement !== focusTarget) {
    focusTarget.focus();
  }

  lengthCounters(document.querySelector('form[data-count-left]'));

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
  draftBeforeLinks(form, function () { return dirty && !submitting; }, function () { dirty = false; });

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

  /* A live counter under each text box with data-max-length, shown from 90 % of the limit on. The messages come
     from the form (translated by the server): data-count-left and data-count-over, with {n} for the number. */
  function lengthCounters(form) {
    if (!form) {
      return;
    }
    Array.prototype.forEach.call(form.querySelectorAll('[data-max-length]'), function (box) {
      var max = parseInt(box.getAttribute('data-max-length'), 10);
      var counter = document.createElement('p');
      counter.className = 'length-count';
      counter.id = box.id + '-count';
      counter.setAttribute('aria-live', 'polite');
      box.insertAdjacentElement('afterend', counter);
      var update = function () {
        // Code points, as the server counts them (an emoji is one character, not two).
        var length = Array.from(box.value.replace(/\r\n/g, '\n').trim()).length;
        var over = length > max;
        counter.hidden = length < max * 0.9;
        counter.classList.toggle('length-over', over);
        counter.textContent = form.getAttribute(over ? 'data-count-over' : 'data-count-left')
          .replace('{n}', String(Math.abs(max - length))).replace('{max}', String(max));
      };
      box.addEventListener('input', update);
      update();
    });
  }

  /* A link out of a step page (the header's menu, the brand) first keeps the typed text as a draft, with the
     autosave's POST; then the link is followed. The step page's own links and the header's buttons submit the
     step form instead, which keeps the draft without JavaScript too. */
  function draftBeforeLinks(form, isDirty, markKept) {
    document.addEventListener('click', function (event) {
      var link = event.target.closest ? event.target.closest('a[href]') : null;
      if (!link || !isDirty() || event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey ||
          event.shiftKey || event.altKey || link.target || link.origin !== window.location.origin ||
          (link.hash && link.pathname === window.location.pathname)) {
        return;  // a new window, another site or a place on this page: nothing is left behind
      }
      event.preventDefault();
      var data = new FormData(form);
      data.set('action', 'concept');
      fetch(form.getAttribute('action'), {method: 'POST', body: data, credentials: 'same-origin', redirect: 'manual'})
        .then(function (response) {
          if (response.status === 204) {
            markKept();  // kept: leave without the browser's "leave site?" question
          }
        })
        .catch(function () {})
        .then(function () { window.location.href = link.href; });
    });
  }
})();
