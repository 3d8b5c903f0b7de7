// Stop button of the home page: a cookie-authenticated API call, so it carries the XSRF token.
(function () {
  var button = document.getElementById('stop');
  if (!button) return;
  button.addEventListener('click', function () {
    button.disabled = true;
    button.textContent = 'Stopping…';
    fetch(button.dataset.url, { method: 'DELETE', headers: { 'X-XSRFToken': button.dataset.xsrf }, credentials: 'same-origin' })
      .then(function (response) {
        if (!response.ok && response.status !== 202) throw new Error('stop failed: ' + response.status);
        window.location.reload();
      })
      .catch(function (error) {
        button.disabled = false;
        button.textContent = 'Stop my server';
        document.getElementById('home-error').textContent = String(error.message || error);
      });
  });
})();
