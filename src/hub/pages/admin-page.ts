import type { FastifyInstance } from 'fastify';
import { BulwarkError } from '../../errors/index.js';
import { grants } from '../../identity/index.js';
import { html } from '../../web/index.js';
import type { HubDeps } from '../hub-deps.js';
import { xsrfToken } from '../request-context.js';
import { mayReviewChannel } from './admin-channel-access.js';
import { page } from './layout.js';
import { pageUser } from './require-login.js';

/**
 * `/hub/admin`: a shell the admin script fills from the REST API. Every action is an API call
 * with the admin's own cookie and X-XSRFToken, so it is limited by the admin's own scopes.
 */
export function registerAdminPage(app: FastifyInstance, deps: HubDeps): void {
  const paths = deps.paths;
  app.get(paths.hubUrl('admin'), async (request, reply) => {
    const identity = await pageUser(request, reply, deps);
    if (!identity) return reply;
    if (!grants(identity.scopes, 'admin-ui')) throw new BulwarkError('HUB_NOT_FOUND_OR_NO_ACCESS');
    const pending = (await deps.users.list()).filter((user) => !user.authorized).length;
    const xsrf = xsrfToken(request, reply, deps);
    const channelNav = mayReviewChannel(deps, identity);
    const channel = channelNav ? await deps.channelAdmin?.summary() : undefined;
    // The channel's status beside the users and servers, when the hub runs with a channel.
    const channelCard = channel
      ? html`<section class="card wide" id="admin-channel"><h2>Package channel</h2>
          <p><span id="admin-channel-pending">${String(channel.counts.pendingApproval)}</span> pending approval,
            <span id="admin-channel-quarantined">${String(channel.counts.quarantined)}</span> quarantined,
            <span id="admin-channel-rejected">${String(channel.counts.rejected)}</span> rejected${channel.release ? html`; ${String(channel.release.advisories.length)} advisory(ies) affect release ${channel.release.name}` : ''}.
            <a href="${paths.hubUrl('admin/channel')}" id="admin-channel-link">Review the channel</a></p></section>`
      : '';
    const body = html`<section class="card wide" id="admin" data-api="${paths.api}" data-xsrf="${xsrf}" data-user-prefix="${paths.base}user/">
      <h1>Users</h1>
      <p class="muted">${pending > 0 ? html`<a id="pending-signups" href="${paths.hubUrl('authorize')}">${String(pending)} signup(s) waiting for authorization</a>` : 'No pending signups.'}</p>
      <input type="search" id="user-search" placeholder="Search users by name" aria-label="Search users">
      <table id="users"><thead><tr><th>User</th><th>Admin</th><th>Server</th><th>Limits</th><th>Last activity</th><th>Actions</th></tr></thead><tbody></tbody></table>
      <p><button type="button" class="secondary" id="prev-page">Previous</button> <span id="page-info" class="muted"></span> <button type="button" class="secondary" id="next-page">Next</button></p>
      <h2>Add users</h2>
      <form id="add-users"><label for="new-usernames">User names (one per line)</label><textarea id="new-usernames" rows="3"></textarea>
        <label><input type="checkbox" id="new-admin"> Admin</label><button type="submit" id="add-users-submit">Add users</button></form>
      <h2>Groups</h2>
      <table id="groups"><thead><tr><th>Group</th><th>Members</th><th>Actions</th></tr></thead><tbody></tbody></table>
      <form id="add-group"><label for="group-name">New group</label><input type="text" id="group-name"><button type="submit" id="add-group-submit">Create group</button></form>
      <p class="error" id="admin-error" role="alert"></p>
    </section>${channelCard}`;
    return reply.type('text/html').send(page({ title: 'Admin', paths, user: identity.user, body, scripts: ['admin.js'], channelNav }));
  });
}
