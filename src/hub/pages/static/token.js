// The token page: lists, creates and revokes the user's own API tokens through the REST API,
// with the page's XSRF token. The new token's value is shown once and never stored by the page.
(function () {
  'use strict';
  var root = document.getElementById('token-page');
  if (!root) return;
  var url = root.dataset.tokensUrl;
  var xsrf = root.dataset.xsrf;

  function showError(error) {
    document.getElementById('token-error').textContent = error ? String(error.message || error) : '';
  }

  function call(method, target, body) {
    var headers = { 'X-XSRFToken': xsrf };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return fetch(target, { method: method, headers: headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) }).then(function (response) {
      if (!response.ok) {
        return response.json().catch(function () { return {}; }).then(function (error) { throw new Error(error.message || response.status + ' ' + response.statusText); });
      }
      return response.status === 204 ? null : response.json();
    });
  }

  function cell(text) {
    var td = document.createElement('td');
    td.textContent = text;
    return td;
  }

  function load() {
    return call('GET', url).then(function (reply) {
      var body = document.querySelector('#tokens tbody');
      body.textContent = '';
      reply.api_tokens.forEach(function (token) {
        var row = document.createElement('tr');
        row.dataset.tokenId = token.id;
        row.appendChild(cell(token.note || '(no note)'));
        row.appendChild(cell(token.scopes.join(' ')));
        row.appendChild(cell(token.last_activity || 'never'));
        row.appendChild(cell(token.expires_at || 'never'));
        var actions = document.createElement('td');
        var revoke = document.createElement('button');
        revoke.type = 'button';
        revoke.className = 'danger revoke-token';
        revoke.textContent = 'Revoke';
        revoke.addEventListener('click', function () {
          showError(null);
          call('DELETE', url + '/' + encodeURIComponent(token.id)).then(load).catch(showError);
        });
        actions.appendChild(revoke);
        row.appendChild(actions);
        body.appendChild(row);
      });
    }).catch(showError);
  }

  document.getElementById('new-token').addEventListener('submit', function (event) {
    event.preventDefault();
    showError(null);
    var request = { note: document.getElementById('token-note').value };
    var expires = document.getElementById('token-expires').value;
    if (expires) request.expires_in = Number(expires);
    var scopes = document.getElementById('token-scopes').value.split(/\s+/).filter(Boolean);
    if (scopes.length > 0) request.scopes = scopes;
    call('POST', url, request).then(function (token) {
      document.getElementById('new-token-value').textContent = token.token;
      document.getElementById('token-result').hidden = false;
      return load();
    }).catch(showError);
  });

  load();
})();
