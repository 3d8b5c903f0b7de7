import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { html, parseCookies, serializeCookie } from '../../web/index.js';
import type { NativeAuthenticator } from '../auth/native-authenticator.js';
import { ENROL_COOKIE, HUB_LOGIN_COOKIE } from '../auth/cookie-names.js';
import type { HubDeps } from '../hub-deps.js';
import { safeNextUrl } from '../paths.js';
import type { AuthServices } from '../auth/auth-services.js';
import { checkXsrf, clientIp, identityOf, loginCookies, logoutCookies, xsrfToken } from '../request-context.js';
import { page } from './layout.js';

type Form = Record<string, string | undefined>;

/** Minutes a user has between a correct password and finishing a required 2FA enrolment. */
const ENROL_SECONDS = 600;

function loginForm(
  deps: HubDeps,
  authenticator: NativeAuthenticator,
  options: { xsrf: string; next?: string | undefined; error?: string; username?: string; notice?: string },
): string {
  const action = options.next ? `${deps.paths.hubUrl('login')}?next=${encodeURIComponent(options.next)}` : deps.paths.hubUrl('login');
  return page({
    title: 'Log in',
    paths: deps.paths,
    body: html`<section class="card">
      <h1>Log in</h1>
      ${options.error ? html`<p class="error" id="login-error" role="alert">${options.error}</p>` : ''}
      ${options.notice ? html`<p class="notice" id="login-notice" role="status">${options.notice}</p>` : ''}
      <form method="post" action="${action}" id="login-form">
        <input type="hidden" name="_xsrf" value="${options.xsrf}">
        <label for="username_input">User name</label>
        <input type="text" id="username_input" name="username" autocomplete="username" autocapitalize="off" value="${options.username ?? ''}" required autofocus>
        <label for="password_input">Password</label>
        <input type="password" id="password_input" name="password" autocomplete="current-password" required>
        ${authenticator.twoFactorOffered()
          ? html`<label for="otp_input">Two-factor code <span class="muted">(if you set it up; or a recovery code)</span></label>
        <input type="text" id="otp_input" name="otp" autocomplete="one-time-code" inputmode="numeric" autocapitalize="off">`
          : ''}
        <button type="submit" id="login_submit">Log in</button>
      </form>
      ${deps.config.authenticator.native.enable_signup ? html`<p class="muted">No account? <a href="${deps.paths.hubUrl('signup')}">Sign up</a></p>` : ''}
    </section>`,
  });
}

/** Where to send a user after login: the checked `next`, else their server if running, else the spawn page. */
export function afterLogin(deps: HubDeps, next: string | undefined, userName: string, running: boolean): string {
  return safeNextUrl(next, deps.paths) ?? (running ? deps.paths.userServer(userName) : deps.paths.hubUrl('spawn'));
}

export function registerLoginPages(app: FastifyInstance, deps: HubDeps, authenticator: NativeAuthenticator, auth: AuthServices): void {
  const paths = deps.paths;

  app.get<{ Querystring: { next?: string; changed?: string } }>(paths.hubUrl('login'), async (request, reply) => {
    const identity = await identityOf(request, deps);
    if (identity?.via === 'cookie') {
      return reply.redirect(afterLogin(deps, request.query.next, identity.user.name, deps.servers.view(identity.user)?.ready ?? false), 302);
    }
    const notice = request.query.changed === 'setup' ? 'The admin account was created. Log in with it.' : undefined;
    return reply
      .type('text/html')
      .send(loginForm(deps, authenticator, { xsrf: xsrfToken(request, reply, deps), next: request.query.next, ...(notice ? { notice } : {}) }));
  });

  app.post<{ Querystring: { next?: string }; Body: Form }>(paths.hubUrl('login'), async (request, reply) => {
    checkXsrf(request, deps);
    const form = request.body ?? {};
    const username = form['username'] ?? '';
    const outcome = await authenticator.login(username, form['password'] ?? '', { name: null, ip: clientIp(request) }, form['otp'] ?? '');
    if (!outcome.ok && outcome.enrol) {
      // The password was right, but this user must set up 2FA before any session exists.
      const ticket = await auth.tickets.issue('enrol', { userId: outcome.enrol.id, seconds: ENROL_SECONDS });
      reply.header('set-cookie', serializeCookie(ENROL_COOKIE, ticket, { path: paths.hubUrl('2fa'), maxAgeSeconds: ENROL_SECONDS, secure: deps.tls, sameSite: 'Strict' }));
      return reply.redirect(paths.hubUrl('2fa'), 303);
    }
    if (!outcome.ok) {
      const error = outcome.expired ? 'Your password has expired: change it with passwd (for example over ssh), then log in again.' : 'Invalid username or password';
      return reply
        .code(403)
        .type('text/html')
        .send(loginForm(deps, authenticator, { xsrf: xsrfToken(request, reply, deps), next: request.query.next, error, username }));
    }
    const { cookieValue, session } = await deps.sessions.create(outcome.user, deps.config.hub.cookie_max_age_days * 86400);
    for (const cookie of loginCookies(deps, cookieValue, session.publicId)) reply.header('set-cookie', cookie);
    const running = deps.servers.view(outcome.user)?.ready ?? false;
    return reply.redirect(afterLogin(deps, request.query.next, outcome.user.name, running), 302);
  });

  app.get(paths.hubUrl('logout'), async (request, reply) => {
    const identity = await identityOf(request, deps);
    if (!identity) return reply.redirect(paths.hubUrl('login'), 302);
    const xsrf = xsrfToken(request, reply, deps);
    return reply.type('text/html').send(
      page({
        title: 'Log out',
        paths,
        user: identity.user,
        body: html`<section class="card"><h1>Log out</h1><p>End your session on this hub?</p>
          <form method="post" action="${paths.hubUrl('logout')}" id="logout-form">
            <input type="hidden" name="_xsrf" value="${xsrf}"><button type="submit" id="logout_submit">Log out</button>
          </form></section>`,
      }),
    );
  });

  app.post(paths.hubUrl('logout'), async (request: FastifyRequest, reply: FastifyReply) => {
    checkXsrf(request, deps);
    const cookie = parseCookies(request.headers.cookie).get(HUB_LOGIN_COOKIE);
    const session = cookie ? await deps.sessions.end(cookie) : undefined;
    // Tokens issued under this session (the OAuth tokens in server cookies) end with it.
    if (session) {
      await deps.tokens.revokeForSession(session.publicId);
      const user = await deps.users.getById(session.userId);
      await deps.audit.record({ name: user?.name ?? null, ip: clientIp(request) }, { action: 'logout', target: user?.name ?? null });
    }
    for (const header of logoutCookies(deps)) reply.header('set-cookie', header);
    return reply.redirect(paths.hubUrl('login'), 302);
  });
}
