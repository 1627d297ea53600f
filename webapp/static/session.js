// The idle timeout as the user sees it: a warning before the login ends, with "Blijf aangemeld"; at the end, what was
// typed on a wizard step is kept as a draft first, then the user is logged out and can log in again on the same step.
(function () {
  'use strict';
  var body = document.body;
  var idle = Number(body.getAttribute('data-idle-seconds'));
  var warning = Number(body.getAttribute('data-warning-seconds'));
  var dialog = document.getElementById('idle-warning');
  var logout = document.getElementById('idle-logout');
  if (!idle || !dialog || !logout) {
    return;
  }
  var stay = document.getElementById('idle-stay');
  var warnTimer = null;
  var endTimer = null;
  // End a few seconds early: the draft must be saved while the login is still valid.
  var MARGIN = 3;

  function schedule(seconds) {
    window.clearTimeout(warnTimer);
    window.clearTimeout(endTimer);
    dialog.hidden = true;
    warnTimer = window.setTimeout(showWarning, Math.max(0, seconds - warning) * 1000);
    endTimer = window.setTimeout(end, Math.max(0, seconds - MARGIN) * 1000);
  }

  function showWarning() {
    dialog.hidden = false;
    stay.focus();
  }

  function keepAlive() {
    fetch(body.getAttribute('data-keep-alive-url'), {
      method: 'POST', credentials: 'same-origin',
      headers: {'X-CSRFToken': logout.querySelector('input[name=csrf_token]').value}
    }).then(function (response) {
      if (!response.ok) {
        throw new Error('keep-alive refused');
      }
      return response.json();
    }).then(function (data) {
      schedule(data.seconds_left);
    }).catch(end);
  }

  function end() {
    var form = document.querySelector('form[data-autosave]');
    var saved = Promise.resolve();
    if (form) {
      var data = new FormData(form);
      data.set('action', 'concept');
      saved = fetch(form.getAttribute('action'), {method: 'POST', body: data, credentials: 'same-origin',
                                                  redirect: 'manual'}).catch(function () {});
    }
    saved.then(function () { logout.submit(); });
  }

  stay.addEventListener('click', keepAlive);
  schedule(idle);
}());
