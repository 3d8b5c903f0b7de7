import type { FastifyInstance } from 'fastify';
import { BulwarkError } from '../../errors/index.js';
import { html } from '../../web/index.js';
import type { HubDeps } from '../hub-deps.js';
import { checkXsrf, clientIp, xsrfToken } from '../request-context.js';
import { page } from './layout.js';
import { pageUser } from './require-login.js';

type Action = 'authorize' | 'unauthorize' | 'discard';
const actions: readonly Action[] = ['authorize', 'unauthorize', 'discard'];

/**
 * Admins approve new native accounts here. Every change is a POST with an XSRF token (the
 * original nativeauthenticator toggled accounts with plain GET links, which any page could trigger).
 */
export function registerAuthorizePage(app: FastifyInstance, deps: HubDeps): void {
  const paths = deps.paths;

  app.get<{ Querystring: { q?: string } }>(paths.hubUrl('authorize'), async (request, reply) => {
    const identity = await pageUser(request, reply, deps);
    if (!identity) return reply;
    if (!identity.user.admin) throw new BulwarkError('HUB_NOT_FOUND_OR_NO_ACCESS');
    const xsrf = xsrfToken(request, reply, deps);
    const query = (request.query.q ?? '').trim().toLowerCase();
    const users = (await deps.users.list()).filter((u) => query === '' || u.name.includes(query));
    const pending = users.filter((u) => !u.authorized && !u.admin);
    const button = (name: string, action: Action, label: string, style = '') => html`<form method="post" action="${paths.hubUrl(`authorize/${encodeURIComponent(name)}`)}">
        <input type="hidden" name="_xsrf" value="${xsrf}"><input type="hidden" name="action" value="${action}">
        <button type="submit" class="${style}" id="${action}-${name}">${label}</button></form>`;
    const rows = users.map(
      (u) => html`<tr data-user="${u.name}">
        <td>${u.name}${u.admin ? html` <span class="muted">(admin)</span>` : ''}</td>
        <td class="${u.authorized ? 'notice' : 'error'}">${u.authorized || u.admin ? 'authorized' : 'waiting'}</td>
        <td>${u.admin ? '' : u.authorized ? button(u.name, 'unauthorize', 'Unauthorize', 'secondary') : [button(u.name, 'authorize', 'Authorize'), ' ', button(u.name, 'discard', 'Discard', 'danger')]}</td>
      </tr>`,
    );
    return reply.type('text/html').send(
      page({
        title: 'Authorize users',
        paths,
        user: identity.user,
        body: html`<section class="card"><h1>Authorize users</h1>
          <p class="muted">${pending.length} account(s) waiting for authorization.</p>
          <form method="get" action="${paths.hubUrl('authorize')}"><input type="search" name="q" value="${query}" placeholder="Search user names" aria-label="Search"></form>
          <table id="users"><thead><tr><th>User</th><th>Status</th><th></th></tr></thead><tbody>${rows}</tbody></table></section>`,
      }),
    );
  });

  app.post<{ Params: { name: string }; Body: Record<string, string | undefined> }>(
    paths.hubUrl('authorize/:name'),
    async (request, reply) => {
      const identity = await pageUser(request, reply, deps);
      if (!identity) return reply;
      if (!identity.user.admin) throw new BulwarkError('HUB_NOT_FOUND_OR_NO_ACCESS');
      checkXsrf(request, deps);
      const action = request.body?.['action'] as Action | undefined;
      if (!action || !actions.includes(action)) throw new BulwarkError('HTTP_BAD_REQUEST', { detail: 'action must be authorize, unauthorize or discard' });
      const actor = { name: identity.user.name, ip: clientIp(request) };
      const target = await deps.users.require(request.params.name);
      if (action === 'discard') {
        // Only accounts still waiting can be discarded here; removing real users is a separate admin act.
        if (target.authorized || target.admin) throw new BulwarkError('HTTP_BAD_REQUEST', { detail: 'only pending accounts can be discarded' });
        await deps.users.remove(target.name, actor);
      } else {
        await deps.users.setAuthorized(target.name, action === 'authorize', actor);
      }
      return reply.redirect(paths.hubUrl('authorize'), 303);
    },
  );
}
