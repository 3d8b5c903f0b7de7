import type { FastifyInstance } from 'fastify';
import { BulwarkError, isBulwarkError } from '../../errors/index.js';
import { html } from '../../web/index.js';
import type { AuthServices } from '../auth/auth-services.js';
import type { NativeAuthenticator } from '../auth/native-authenticator.js';
import type { HubDeps } from '../hub-deps.js';
import { checkXsrf, clientIp, xsrfToken } from '../request-context.js';
import { page } from './layout.js';

type Form = Record<string, string | undefined>;

/** How long the first-admin link printed at start-up works. */
export const SETUP_LINK_SECONDS = 3600;

async function adminExists(deps: HubDeps): Promise<boolean> {
  return deps.users.anyAdmin();
}

/**
 * When no admin exists, start-up prints a one-time link `/hub/setup?token=...` (valid for an hour,
 * single use). Only its holder can create the first admin: nobody gets one by racing to sign up.
 */
export async function issueSetupLinkIfNeeded(deps: HubDeps, auth: AuthServices, publicUrl: string): Promise<string | undefined> {
  if (await adminExists(deps)) return undefined;
  const ticket = await auth.tickets.issue('setup', { seconds: SETUP_LINK_SECONDS });
  const link = `${publicUrl}${deps.paths.hubUrl('setup')}?token=${ticket}`;
  deps.logger.warn({ setup_url: link }, `no admin account exists: open ${link} within ${SETUP_LINK_SECONDS / 60} minutes to create one (or run \`bulwark user add NAME --admin\`)`);
  return link;
}

export function registerSetupPage(app: FastifyInstance, deps: HubDeps, authenticator: NativeAuthenticator, auth: AuthServices): void {
  const paths = deps.paths;
  const form = (token: string, xsrf: string, error?: string) =>
    page({
      title: 'Create the first admin',
      paths,
      body: html`<section class="card"><h1>Create the first admin</h1>
        ${error ? html`<p class="error" id="form-error" role="alert">${error}</p>` : ''}
        <form method="post" action="${paths.hubUrl('setup')}" id="setup-form">
          <input type="hidden" name="_xsrf" value="${xsrf}"><input type="hidden" name="token" value="${token}">
          <label for="setup_username">Admin user name</label><input type="text" id="setup_username" name="username" value="${deps.config.authenticator.admin_users[0] ?? ''}" autocapitalize="off" required>
          <label for="setup_password">Password</label><input type="password" id="setup_password" name="password" autocomplete="new-password" required>
          <label for="setup_password_confirmation">Repeat password</label><input type="password" id="setup_password_confirmation" name="password_confirmation" autocomplete="new-password" required>
          <button type="submit" id="setup_submit">Create admin</button>
        </form></section>`,
    });

  app.get<{ Querystring: { token?: string } }>(paths.hubUrl('setup'), async (request, reply) => {
    const token = request.query.token ?? '';
    if ((await adminExists(deps)) || !(await auth.tickets.peek('setup', token))) throw new BulwarkError('HUB_SETUP_LINK_INVALID');
    return reply.type('text/html').send(form(token, xsrfToken(request, reply, deps)));
  });

  app.post<{ Body: Form }>(paths.hubUrl('setup'), async (request, reply) => {
    checkXsrf(request, deps);
    const body = request.body ?? {};
    const token = body['token'] ?? '';
    if ((await adminExists(deps)) || !(await auth.tickets.peek('setup', token))) throw new BulwarkError('HUB_SETUP_LINK_INVALID');
    const name = body['username'] ?? '';
    const password = body['password'] ?? '';
    try {
      authenticator.checkNewName(name);
      authenticator.checkNewPassword(name, password, body['password_confirmation'] ?? '');
    } catch (error) {
      if (!isBulwarkError(error)) throw error;
      return reply.code(400).type('text/html').send(form(token, xsrfToken(request, reply, deps), error.message));
    }
    // Consumed before the account exists: two racing posts cannot both create an admin.
    if (!(await auth.tickets.consume('setup', token))) throw new BulwarkError('HUB_SETUP_LINK_INVALID');
    const actor = { name: null, ip: clientIp(request) };
    const existing = await deps.users.get(name);
    if (existing) {
      // A pending signup under the chosen name is taken over: the link holder sets its password.
      await deps.users.setPassword(existing.name, password, actor);
      await deps.users.setAuthorized(existing.name, true, actor);
      await deps.users.setAdmin(existing.name, true, actor);
    } else {
      await authenticator.createAsAdmin({ name, password, admin: true }, actor);
    }
    await deps.audit.record(actor, { action: 'setup.first-admin', target: name });
    return reply.redirect(`${paths.hubUrl('login')}?changed=setup`, 303);
  });
}
