import type { User } from '../../identity/index.js';
import { html, type SafeHtml } from '../../web/index.js';
import type { HubDeps } from '../hub-deps.js';
import type { ServerView } from '../servers/server-manager.js';

function row(view: ServerView): SafeHtml {
  const state = view.ready ? 'running' : view.pending !== null ? view.pending : 'stopped';
  const actions = view.ready
    ? html`<a class="button open-server" href="${view.url}">Open</a> <button type="button" class="stop-server">Stop</button>`
    : view.pending !== null
      ? html`<span class="pending">${view.pending === 'spawn' ? 'Starting\u2026' : 'Stopping\u2026'}</span>`
      : html`<button type="button" class="start-server">Start</button>`;
  return html`<tr class="named-server-row" data-server-name="${view.name}" data-state="${state}" data-url="${view.url}">
    <td class="server-name">${view.name}</td>
    <td><a href="${view.url}">${view.url}</a></td>
    <td class="last-activity">${view.lastActivity ?? 'Never'}</td>
    <td class="actions">${actions} ${view.pending === null ? html`<button type="button" class="danger delete-server">Delete</button>` : ''}</td>
  </tr>`;
}

/**
 * The home page's named servers (hub.allow_named_servers), as JupyterHub's home page has them: each
 * server with start/stop/delete, and a form to add one while hub.named_server_limit_per_user
 * allows. Every action is a REST call the page makes (named-servers.js) with the XSRF token.
 */
export async function namedServersSection(deps: HubDeps, user: User, xsrf: string): Promise<SafeHtml> {
  if (!deps.config.hub.allow_named_servers) return html``;
  const active = deps.servers.list(user).filter((view) => view.name !== '');
  const stopped = (await deps.servers.stopped(user)).filter((view) => view.name !== '');
  const servers = [...active, ...stopped].sort((a, b) => a.name.localeCompare(b.name));
  const limit = deps.config.hub.named_server_limit_per_user;
  const full = limit > 0 && servers.length >= limit;
  const apiUrl = `${deps.paths.api}/users/${encodeURIComponent(user.name)}/servers/`;
  return html`<section class="card" id="named-servers" data-api-url="${apiUrl}" data-xsrf="${xsrf}">
    <h2>Named servers</h2>
    <p>In addition to your default server, you may have ${limit > 0 ? html`<span id="named-server-limit">${limit}</span>` : 'any number of'} additional server${limit === 1 ? '' : 's'} with names.
      This lets you have more than one server running at the same time.</p>
    <table id="named-servers-table">
      <thead><tr><th>Server name</th><th>URL</th><th>Last activity</th><th>Actions</th></tr></thead>
      <tbody>${servers.map(row)}</tbody>
    </table>
    <form id="new-named-server">
      <label for="new-server-name">New server</label>
      <input type="text" id="new-server-name" placeholder="Name your server" required ${full ? 'disabled' : ''}>
      <button type="submit" id="new-server-btn" ${full ? 'disabled' : ''}>Add New Server</button>
    </form>
    ${full ? html`<p class="notice" id="named-server-limit-reached">You have reached the limit of ${limit} named servers; delete one to add another.</p>` : ''}
    <p class="error" id="named-server-error" role="alert"></p>
  </section>`;
}
