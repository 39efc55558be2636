// Share button of record pages (templates/partials/share.html). Where the device has a share
// sheet (the Web Share API: phones, where Zalo and Messenger appear in it) the button opens it;
// elsewhere it copies the page's link and says so in a live region that screen readers
// announce. Without this script the button stays hidden; the Facebook link needs none.
(function () {
  'use strict';
  var button = document.querySelector('.share-button');
  if (!button) return;
  var status = document.querySelector('.share-status');
  var url = button.getAttribute('data-url') || window.location.href;
  var title = button.getAttribute('data-title') || document.title;
  var canShare = typeof navigator.share === 'function' &&
    (typeof navigator.canShare !== 'function' || navigator.canShare({ url: url, title: title }));

  function say(text) {
    // Emptied first, so that saying the same thing twice is announced twice.
    status.textContent = '';
    window.setTimeout(function () { status.textContent = text; }, 50);
  }

  // The old way, for browsers without the asynchronous clipboard (or without a secure page).
  function copyBySelection(text) {
    var field = document.createElement('textarea');
    field.value = text;
    field.setAttribute('readonly', '');
    field.style.position = 'fixed';
    field.style.opacity = '0';
    document.body.appendChild(field);
    field.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    document.body.removeChild(field);
    return ok;
  }

  function copy() {
    var done = function () { say(button.getAttribute('data-t-copied')); };
    var failed = function () {
      if (copyBySelection(url)) done();
      else say(button.getAttribute('data-t-failed') + ' ' + url);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(done, failed);
    } else {
      failed();
    }
  }

  button.textContent = button.getAttribute(canShare ? 'data-t-share' : 'data-t-copy');
  button.hidden = false;
  button.addEventListener('click', function () {
    if (!canShare) {
      copy();
      return;
    }
    navigator.share({ title: title, url: url }).catch(function (e) {
      // Closing the share sheet is not a failure; anything else falls back to copying.
      if (!e || e.name !== 'AbortError') copy();
    });
  });
})();
