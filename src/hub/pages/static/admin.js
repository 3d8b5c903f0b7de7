// The admin page: everything goes through the REST API with the admin's own cookie and the
// page's XSRF token, so the page can do exactly what the admin's scopes allow. DOM nodes are
// built with textContent only: user and group names never become markup.
(function () {
  'use strict';
  var root = document.getElementById('admin');
  if (!root) return;
  var apiBase = root.dataset.api;
  var xsrf = root.dataset.xsrf;
  var pageSize = 20;
  var offset = 0;
  var total = 0;
  var filter = '';

  function showError(error) {
    document.getElementById('admin-error').textContent = error ? String(error.message || error) : '';
  }

  function api(method, path, body) {
    var headers = { 'X-XSRFToken': xsrf, Accept: 'application/jupyterhub-pagination+json' };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    return fetch(apiBase + path, { method: method, headers: headers, credentials: 'same-origin', body: body === undefined ? undefined : JSON.stringify(body) }).then(function (response) {
      if (!response.ok) {
        return response.text().then(function (text) {
          var message = response.status + ' ' + response.statusText;
          try { message = JSON.parse(text).message || message; } catch { /* not JSON: keep the status line */ }
          throw new Error(message);
        });
      }
      return response.status === 204 || response.headers.get('content-type') === null || response.headers.get('content-type').indexOf('json') === -1 ? null : response.json();
    });
  }

  function el(tag, text, attrs) {
    var node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = text;
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    return node;
  }

  function button(text, cls, onClick) {
    var node = el('button', text, { type: 'button', class: cls });
    node.addEventListener('click', function () {
      node.disabled = true;
      showError(null);
      Promise.resolve().then(onClick).catch(showError).then(function () { node.disabled = false; });
    });
    return node;
  }

  var enc = encodeURIComponent;

  function serverState(user) {
    var server = (user.servers || {})[''];
    if (!server || server.stopped) return 'stopped';
    if (server.pending) return server.pending === 'spawn' ? 'starting' : 'stopping';
    return server.ready ? 'running' : 'stopped';
  }

  /** After a 202 the server is still starting or stopping: poll until it settles. */
  function waitSettled(name) {
    var tries = 0;
    function poll() {
      return api('GET', '/users/' + enc(name)).then(function (user) {
        var state = serverState(user);
        if ((state === 'starting' || state === 'stopping') && tries++ < 120) {
          return new Promise(function (resolve) { window.setTimeout(resolve, 1000); }).then(poll);
        }
        return null;
      });
    }
    return poll();
  }

  /** "memory 512M (cgroup-v1), cpu 1.5 (cgroup-v1)" from the server state admins see; OOM kills appended. */
  function limitsText(user) {
    var server = (user.servers || {})[''];
    var limits = server && server.state && server.state.limits;
    if (!limits) return '';
    return ['memory', 'cpu', 'pids'].filter(function (name) { return limits[name]; }).map(function (name) {
      var limit = limits[name];
      var kills = limit.oomKills ? ', ' + limit.oomKills + ' OOM kill' + (limit.oomKills === 1 ? '' : 's') : '';
      return name + ' ' + limit.value + ' (' + limit.mechanism + kills + ')';
    }).join(', ');
  }

  function userRow(user) {
    var state = serverState(user);
    var row = el('tr', null, { 'data-user': user.name, 'data-server': state });
    row.appendChild(el('td', user.name, { class: 'user-name' }));
    var adminCell = el('td');
    var adminBox = el('input', null, { type: 'checkbox', class: 'toggle-admin', 'aria-label': 'admin ' + user.name });
    adminBox.checked = !!user.admin;
    adminBox.addEventListener('change', function () {
      showError(null);
      api('PATCH', '/users/' + enc(user.name), { admin: adminBox.checked }).then(loadUsers).catch(function (error) { adminBox.checked = !adminBox.checked; showError(error); });
    });
    adminCell.appendChild(adminBox);
    row.appendChild(adminCell);
    row.appendChild(el('td', state, { class: 'server-state' }));
    row.appendChild(el('td', limitsText(user), { class: 'server-limits' }));
    row.appendChild(el('td', user.last_activity || 'never', { class: 'last-activity' }));
    var actions = el('td');
    if (state === 'running' || state === 'starting') {
      actions.appendChild(button('Stop server', 'danger stop-server', function () {
        return api('DELETE', '/users/' + enc(user.name) + '/server').then(function () { return waitSettled(user.name); }).then(loadUsers);
      }));
    } else {
      actions.appendChild(button('Start server', 'start-server', function () {
        return api('POST', '/users/' + enc(user.name) + '/server').then(function () { return waitSettled(user.name); }).then(loadUsers);
      }));
    }
    actions.appendChild(button('Delete user', 'secondary delete-user', function () {
      return api('DELETE', '/users/' + enc(user.name)).then(loadUsers);
    }));
    row.appendChild(actions);
    return row;
  }

  function loadUsers() {
    var query = '?include_stopped_servers=1&offset=' + offset + '&limit=' + pageSize + '&name_filter=' + enc(filter);
    return api('GET', '/users' + query).then(function (page) {
      var body = document.querySelector('#users tbody');
      body.textContent = '';
      page.items.forEach(function (user) { body.appendChild(userRow(user)); });
      total = page._pagination.total;
      var last = Math.min(offset + pageSize, total);
      document.getElementById('page-info').textContent = total === 0 ? 'no users' : (offset + 1) + '–' + last + ' of ' + total;
      document.getElementById('prev-page').disabled = offset === 0;
      document.getElementById('next-page').disabled = last >= total;
    }).catch(showError);
  }

  function groupRow(group) {
    var row = el('tr', null, { 'data-group': group.name });
    row.appendChild(el('td', group.name));
    row.appendChild(el('td', (group.users || []).join(', '), { class: 'group-members' }));
    var actions = el('td');
    var member = el('input', null, { type: 'text', class: 'member-name', placeholder: 'user name', 'aria-label': 'member of ' + group.name });
    actions.appendChild(member);
    actions.appendChild(button('Add member', 'secondary add-member', function () {
      return api('POST', '/groups/' + enc(group.name) + '/users', { users: [member.value.trim()] }).then(loadGroups);
    }));
    actions.appendChild(button('Remove member', 'secondary remove-member', function () {
      return api('DELETE', '/groups/' + enc(group.name) + '/users', { users: [member.value.trim()] }).then(loadGroups);
    }));
    actions.appendChild(button('Delete group', 'danger delete-group', function () {
      return api('DELETE', '/groups/' + enc(group.name)).then(loadGroups);
    }));
    row.appendChild(actions);
    return row;
  }

  function loadGroups() {
    return api('GET', '/groups?limit=200').then(function (page) {
      var body = document.querySelector('#groups tbody');
      body.textContent = '';
      page.items.forEach(function (group) { body.appendChild(groupRow(group)); });
    }).catch(showError);
  }

  document.getElementById('user-search').addEventListener('input', function (event) {
    filter = event.target.value;
    offset = 0;
    loadUsers();
  });
  document.getElementById('prev-page').addEventListener('click', function () { offset = Math.max(0, offset - pageSize); loadUsers(); });
  document.getElementById('next-page').addEventListener('click', function () { offset += pageSize; loadUsers(); });
  document.getElementById('add-users').addEventListener('submit', function (event) {
    event.preventDefault();
    showError(null);
    var names = document.getElementById('new-usernames').value.split(/\s+/).filter(Boolean);
    api('POST', '/users', { usernames: names, admin: document.getElementById('new-admin').checked })
      .then(function () { document.getElementById('new-usernames').value = ''; return loadUsers(); })
      .catch(showError);
  });
  document.getElementById('add-group').addEventListener('submit', function (event) {
    event.preventDefault();
    showError(null);
    var name = document.getElementById('group-name').value.trim();
    api('POST', '/groups/' + enc(name)).then(function () { document.getElementById('group-name').value = ''; return loadGroups(); }).catch(showError);
  });

  loadUsers();
  loadGroups();
})();
