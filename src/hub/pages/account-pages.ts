import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BulwarkError, isBulwarkError } from '../../errors/index.js';
import { html, type SafeHtml } from '../../web/index.js';
import type { AuthServices } from '../auth/auth-services.js';
import type { NativeAuthenticator } from '../auth/native-authenticator.js';
import type { Identity } from '../auth/identify.js';
import type { HubDeps } from '../hub-deps.js';
import { checkXsrf, clientIp, xsrfToken } from '../request-context.js';
import { page } from './layout.js';
import { pageUser } from './require-login.js';

type Form = Record<string, string | undefined>;

function notices(options: { error?: string | undefined; notice?: string | undefined }): SafeHtml {
  return html`${options.error ? html`<p class="error" id="form-error" role="alert">${options.error}</p>` : ''}${
    options.notice ? html`<p class="notice" id="form-notice" role="status">${options.notice}</p>` : ''
  }`;
}

async function adminOnly(request: FastifyRequest, reply: FastifyReply, deps: HubDeps): Promise<Identity | undefined> {
  const identity = await pageUser(request, reply, deps);
  if (identity && !identity.user.admin) throw new BulwarkError('HUB_NOT_FOUND_OR_NO_ACCESS');
  return identity;
}

/** Password rule errors are shown on the form; anything else goes to the error handler. */
function formMessage(error: unknown): string {
  if (isBulwarkError(error) && ['HUB_PASSWORD_REJECTED', 'HUB_SIGNUP_INVALID', 'IDENTITY_USER_EXISTS'].includes(error.code)) return error.message;
  throw error;
}

/**
 * Account pages: the user's own password (old + new twice), and for admins another user's
 * password and new accounts with an initial password. Every change is a POST with XSRF.
 */
export function registerAccountPages(app: FastifyInstance, deps: HubDeps, authenticator: NativeAuthenticator, auth: AuthServices): void {
  const paths = deps.paths;

  app.get(paths.hubUrl('account'), async (request, reply) => {
    const identity = await pageUser(request, reply, deps);
    if (!identity) return reply;
    const twoFactor = await auth.twoFactor.isEnabled(identity.user.id);
    const body = html`<section class="card"><h1>Account</h1>
      <p>Signed in as <strong>${identity.user.name}</strong>${identity.user.email ? html` (${identity.user.email})` : ''}.</p>
      <ul>
        <li><a id="account-password" href="${paths.hubUrl('change-password')}">Change your password</a></li>
        ${authenticator.twoFactorOffered()
          ? html`<li><a id="account-2fa" href="${paths.hubUrl('2fa')}">Two-factor login</a>: <span id="2fa-status">${twoFactor ? 'on' : 'off'}</span></li>`
          : ''}
        ${identity.user.admin ? html`<li><a id="account-create-user" href="${paths.hubUrl('create-user')}">Create a user</a></li>` : ''}
      </ul></section>`;
    return reply.type('text/html').send(page({ title: 'Account', paths, user: identity.user, body }));
  });

  const ownForm = (user: Identity['user'], xsrf: string, messages: { error?: string; notice?: string }) =>
    page({
      title: 'Change password',
      paths,
      user,
      body: html`<section class="card"><h1>Change your password</h1>${notices(messages)}
        <form method="post" action="${paths.hubUrl('change-password')}" id="change-password-form">
          <input type="hidden" name="_xsrf" value="${xsrf}">
          <label for="old_password">Current password</label><input type="password" id="old_password" name="old_password" autocomplete="current-password" required>
          <label for="new_password">New password</label><input type="password" id="new_password" name="new_password" autocomplete="new-password" required>
          <label for="new_password_confirmation">Repeat new password</label><input type="password" id="new_password_confirmation" name="new_password_confirmation" autocomplete="new-password" required>
          <button type="submit" id="change_password_submit">Change password</button>
        </form><p class="muted">Changing it logs you out everywhere.</p></section>`,
    });

  app.get(paths.hubUrl('change-password'), async (request, reply) => {
    const identity = await pageUser(request, reply, deps);
    if (!identity) return reply;
    return reply.type('text/html').send(ownForm(identity.user, xsrfToken(request, reply, deps), {}));
  });

  app.post<{ Body: Form }>(paths.hubUrl('change-password'), async (request, reply) => {
    const identity = await pageUser(request, reply, deps);
    if (!identity) return reply;
    checkXsrf(request, deps);
    const form = request.body ?? {};
    const actor = { name: identity.user.name, ip: clientIp(request) };
    try {
      await authenticator.changeOwnPassword(identity.user, form['old_password'] ?? '', form['new_password'] ?? '', form['new_password_confirmation'] ?? '', actor);
    } catch (error) {
      return reply.code(400).type('text/html').send(ownForm(identity.user, xsrfToken(request, reply, deps), { error: formMessage(error) }));
    }
    // The new password ended every session, this one too: log in again with it.
    return reply.redirect(`${paths.hubUrl('login')}?changed=password`, 303);
  });

  const adminForm = (admin: Identity['user'], target: string, xsrf: string, messages: { error?: string; notice?: string }) =>
    page({
      title: `Password of ${target}`,
      paths,
      user: admin,
      body: html`<section class="card"><h1>Set the password of ${target}</h1>${notices(messages)}
        <form method="post" action="${paths.hubUrl(`change-password/${encodeURIComponent(target)}`)}" id="admin-password-form">
          <input type="hidden" name="_xsrf" value="${xsrf}">
          <label for="new_password">New password</label><input type="password" id="new_password" name="new_password" autocomplete="new-password" required>
          <label for="new_password_confirmation">Repeat new password</label><input type="password" id="new_password_confirmation" name="new_password_confirmation" autocomplete="new-password" required>
          <button type="submit" id="admin_password_submit">Set password</button>
        </form><p class="muted">This logs ${target} out everywhere.</p></section>`,
    });

  app.get<{ Params: { name: string } }>(paths.hubUrl('change-password/:name'), async (request, reply) => {
    const identity = await adminOnly(request, reply, deps);
    if (!identity) return reply;
    const target = await deps.users.get(request.params.name);
    if (!target) throw new BulwarkError('HTTP_NOT_FOUND');
    return reply.type('text/html').send(adminForm(identity.user, target.name, xsrfToken(request, reply, deps), {}));
  });

  app.post<{ Params: { name: string }; Body: Form }>(paths.hubUrl('change-password/:name'), async (request, reply) => {
    const identity = await adminOnly(request, reply, deps);
    if (!identity) return reply;
    checkXsrf(request, deps);
    const target = await deps.users.get(request.params.name);
    if (!target) throw new BulwarkError('HTTP_NOT_FOUND');
    const form = request.body ?? {};
    const xsrf = xsrfToken(request, reply, deps);
    try {
      await authenticator.setPasswordAsAdmin(target, form['new_password'] ?? '', form['new_password_confirmation'] ?? '', { name: identity.user.name, ip: clientIp(request) });
    } catch (error) {
      return reply.code(400).type('text/html').send(adminForm(identity.user, target.name, xsrf, { error: formMessage(error) }));
    }
    return reply.type('text/html').send(adminForm(identity.user, target.name, xsrf, { notice: `The password of ${target.name} was changed.` }));
  });

  const createForm = (admin: Identity['user'], xsrf: string, messages: { error?: string; notice?: string }) =>
    page({
      title: 'Create a user',
      paths,
      user: admin,
      body: html`<section class="card"><h1>Create a user</h1>${notices(messages)}
        <form method="post" action="${paths.hubUrl('create-user')}" id="create-user-form">
          <input type="hidden" name="_xsrf" value="${xsrf}">
          <label for="new_username">User name</label><input type="text" id="new_username" name="username" autocapitalize="off" required>
          <label for="initial_password">Initial password <span class="muted">(empty: none until one is set)</span></label><input type="password" id="initial_password" name="password" autocomplete="new-password">
          <label><input type="checkbox" id="new_is_admin" name="admin" value="yes"> Admin</label>
          <button type="submit" id="create_user_submit">Create user</button>
        </form><p class="muted">The account is authorized at once. For many users: <code>bulwark user import-csv FILE</code>.</p></section>`,
    });

  app.get(paths.hubUrl('create-user'), async (request, reply) => {
    const identity = await adminOnly(request, reply, deps);
    if (!identity) return reply;
    return reply.type('text/html').send(createForm(identity.user, xsrfToken(request, reply, deps), {}));
  });

  app.post<{ Body: Form }>(paths.hubUrl('create-user'), async (request, reply) => {
    const identity = await adminOnly(request, reply, deps);
    if (!identity) return reply;
    checkXsrf(request, deps);
    const form = request.body ?? {};
    const xsrf = xsrfToken(request, reply, deps);
    const password = form['password'] ?? '';
    try {
      const user = await authenticator.createAsAdmin(
        { name: form['username'] ?? '', password: password === '' ? undefined : password, admin: form['admin'] === 'yes' },
        { name: identity.user.name, ip: clientIp(request) },
      );
      return reply.type('text/html').send(createForm(identity.user, xsrf, { notice: `Created ${user.name}${user.admin ? ' (admin)' : ''}.` }));
    } catch (error) {
      return reply.code(400).type('text/html').send(createForm(identity.user, xsrf, { error: formMessage(error) }));
    }
  });
}
