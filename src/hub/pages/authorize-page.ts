import type { FastifyInstance } from 'fastify';
import { BulwarkError } from '../../errors/index.js';
import type { User } from '../../identity/index.js';
import { html } from '../../web/index.js';
import type { AuthServices } from '../auth/auth-services.js';
import type { NativeAuthenticator } from '../auth/native-authenticator.js';
import type { HubDeps } from '../hub-deps.js';
import { checkXsrf, clientIp, xsrfToken } from '../request-context.js';
import { page } from './layout.js';
import { pageUser } from './require-login.js';

type Action = 'authorize' | 'unauthorize' | 'discard' | 'reset-2fa';
const actions: readonly Action[] = ['authorize', 'unauthorize', 'discard', 'reset-2fa'];
type Filter = 'all' | 'waiting' | 'authorized';

function matches(user: User, query: string, filter: Filter): boolean {
  const waiting = !user.authorized && !user.admin;
  if (filter === 'waiting' && !waiting) return false;
  if (filter === 'authorized' && waiting) return false;
  return query === '' || user.name.includes(query) || (user.email ?? '').toLowerCase().includes(query);
}

/**
 * Admins approve new native accounts here, search them by name or e-mail, set passwords and
 * reset a lost second factor. Every change is a POST with an XSRF token (the original
 * nativeauthenticator toggled accounts with plain GET links, which any page could trigger).
 */
export function registerAuthorizePage(app: FastifyInstance, deps: HubDeps, authenticator: NativeAuthenticator, auth: AuthServices): void {
  const paths = deps.paths;

  app.get<{ Querystring: { q?: string; show?: string } }>(paths.hubUrl('authorize'), async (request, reply) => {
    const identity = await pageUser(request, reply, deps);
    if (!identity) return reply;
    if (!identity.user.admin) throw new BulwarkError('HUB_NOT_FOUND_OR_NO_ACCESS');
    const xsrf = xsrfToken(request, reply, deps);
    const query = (request.query.q ?? '').trim().toLowerCase().slice(0, 255);
    const filter: Filter = request.query.show === 'waiting' || request.query.show === 'authorized' ? request.query.show : 'all';
    const users = (await deps.users.list()).filter((u) => matches(u, query, filter));
    const pending = users.filter((u) => !u.authorized && !u.admin);
    const twoFactor = new Map<number, boolean>();
    for (const user of users) twoFactor.set(user.id, await auth.twoFactor.isEnabled(user.id));
    const button = (name: string, action: Action, label: string, style = '') => html`<form method="post" action="${paths.hubUrl(`authorize/${encodeURIComponent(name)}`)}">
        <input type="hidden" name="_xsrf" value="${xsrf}"><input type="hidden" name="action" value="${action}">
        <button type="submit" class="${style}" id="${action}-${name}">${label}</button></form>`;
    const rows = users.map(
      (u) => html`<tr data-user="${u.name}">
        <td>${u.name}${u.admin ? html` <span class="muted">(admin)</span>` : ''}</td>
        <td class="${u.authorized ? 'notice' : 'error'}">${u.authorized || u.admin ? 'authorized' : 'waiting'}</td>
        <td>${u.email ?? ''}</td>
        <td>${twoFactor.get(u.id) ? html`on ${button(u.name, 'reset-2fa', 'Reset', 'secondary')}` : 'off'}</td>
        <td><a href="${paths.hubUrl(`change-password/${encodeURIComponent(u.name)}`)}" id="password-${u.name}">Change password</a></td>
        <td>${u.admin ? '' : u.authorized ? button(u.name, 'unauthorize', 'Unauthorize', 'secondary') : [button(u.name, 'authorize', 'Authorize'), ' ', button(u.name, 'discard', 'Discard', 'danger')]}</td>
      </tr>`,
    );
    const option = (value: Filter, label: string) => html`<option value="${value}"${filter === value ? html` selected` : ''}>${label}</option>`;
    return reply.type('text/html').send(
      page({
        title: 'Authorize users',
        paths,
        user: identity.user,
        body: html`<section class="card wide"><h1>Authorize users</h1>
          <p class="muted">${pending.length} account(s) waiting for authorization. <a href="${paths.hubUrl('create-user')}" id="create-user-link">Create a user</a></p>
          <form method="get" action="${paths.hubUrl('authorize')}" id="authorize-search"><input type="search" name="q" value="${query}" placeholder="Search names or e-mail" aria-label="Search">
            <select name="show" aria-label="Show">${option('all', 'All')}${option('waiting', 'Waiting')}${option('authorized', 'Authorized')}</select> <button type="submit" class="secondary" id="search_submit">Search</button></form>
          <table id="users"><thead><tr><th>User</th><th>Status</th><th>E-mail</th><th>2FA</th><th></th><th></th></tr></thead><tbody>${rows}</tbody></table></section>`,
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
      if (!action || !actions.includes(action)) throw new BulwarkError('HTTP_BAD_REQUEST', { detail: 'action must be authorize, unauthorize, discard or reset-2fa' });
      const actor = { name: identity.user.name, ip: clientIp(request) };
      const target = await deps.users.require(request.params.name);
      if (action === 'discard') {
        // Only accounts still waiting can be discarded here; removing real users is a separate admin act.
        if (target.authorized || target.admin) throw new BulwarkError('HTTP_BAD_REQUEST', { detail: 'only pending accounts can be discarded' });
        await deps.users.remove(target.name, actor);
      } else if (action === 'reset-2fa') {
        await auth.twoFactor.disable(target.id, actor, target.name);
      } else {
        await authenticator.setAuthorized(target.name, action === 'authorize', actor);
      }
      return reply.redirect(paths.hubUrl('authorize'), 303);
    },
  );
}
