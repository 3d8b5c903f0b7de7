// The home page's named servers: start, stop, delete and add, all through the REST API with the
// page's XSRF token. A start follows the spawn's progress stream and opens the server when ready.
(function () {
  'use strict';
  var root = document.getElementById('named-servers');
  if (!root) return;
  var api = root.dataset.apiUrl;
  var xsrf = root.dataset.xsrf;
  var errorBox = document.getElementById('named-server-error');

  function showError(error) {
    errorBox.textContent = error ? String(error.message || error) : '';
  }

  function call(method, name, body) {
    var headers = { 'X-XSRFToken': xsrf };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return fetch(api + encodeURIComponent(name), {
      method: method,
      headers: headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    }).then(function (response) {
      if (response.ok) return response;
      return response.json().catch(function () { return {}; }).then(function (error) {
        throw new Error(error.message || response.status + ' ' + response.statusText);
      });
    });
  }

  // Waits for the spawn to finish, then goes to the server (as JupyterHub's spawn-pending page does).
  function follow(name) {
    var source = new EventSource(api + encodeURIComponent(name) + '/progress');
    source.onmessage = function (message) {
      var event = JSON.parse(message.data);
      if (event.ready) {
        source.close();
        window.location.assign(event.url || window.location.href);
      } else if (event.failed) {
        source.close();
        showError(new Error(event.message || 'Spawn failed'));
      }
    };
    source.onerror = function () {
      if (source.readyState === EventSource.CLOSED) window.location.reload();
    };
  }

  function start(name) {
    showError(null);
    return call('POST', name, {}).then(function () { follow(name); }).catch(showError);
  }

  root.addEventListener('click', function (event) {
    var target = event.target;
    if (!target || target.tagName !== 'BUTTON') return;
    var row = target.closest('tr.named-server-row');
    if (!row) return;
    var name = row.dataset.serverName;
    target.disabled = true;
    if (target.classList.contains('start-server')) {
      target.textContent = 'Starting…';
      start(name);
    } else if (target.classList.contains('stop-server')) {
      target.textContent = 'Stopping…';
      call('DELETE', name).then(function () { window.location.reload(); }).catch(showError);
    } else if (target.classList.contains('delete-server')) {
      call('DELETE', name, { remove: true }).then(function () { window.location.reload(); }).catch(showError);
    }
  });

  document.getElementById('new-named-server').addEventListener('submit', function (event) {
    event.preventDefault();
    var input = document.getElementById('new-server-name');
    var name = input.value.trim();
    if (!name) return;
    document.getElementById('new-server-btn').disabled = true;
    start(name).then(function () { document.getElementById('new-server-btn').disabled = false; });
  });
})();
