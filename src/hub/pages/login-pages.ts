import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isBulwarkError } from '../../errors/index.js';
import { html } from '../../web/index.js';
import { parseCookies } from '../../web/index.js';
import type { NativeAuthenticator } from '../auth/native-authenticator.js';
import { HUB_LOGIN_COOKIE } from '../auth/cookie-names.js';
import type { HubDeps } from '../hub-deps.js';
import { safeNextUrl } from '../paths.js';
import { checkXsrf, clientIp, identityOf, loginCookies, logoutCookies, xsrfToken } from '../request-context.js';
import { messagePage, page } from './layout.js';

type Form = Record<string, string | undefined>;

function loginForm(deps: HubDeps, options: { xsrf: string; next?: string | undefined; error?: string; username?: string }): string {
  const action = options.next ? `${deps.paths.hubUrl('login')}?next=${encodeURIComponent(options.next)}` : deps.paths.hubUrl('login');
  return page({
    title: 'Log in',
    paths: deps.paths,
    body: html`<section class="card">
      <h1>Log in</h1>
      ${options.error ? html`<p class="error" id="login-error" role="alert">${options.error}</p>` : ''}
      <form method="post" action="${action}" id="login-form">
        <input type="hidden" name="_xsrf" value="${options.xsrf}">
        <label for="username_input">User name</label>
        <input type="text" id="username_input" name="username" autocomplete="username" autocapitalize="off" value="${options.username ?? ''}" required autofocus>
        <label for="password_input">Password</label>
        <input type="password" id="password_input" name="password" autocomplete="current-password" required>
        <button type="submit" id="login_submit">Log in</button>
      </form>
      ${deps.config.authenticator.native.enable_signup ? html`<p class="muted">No account? <a href="${deps.paths.hubUrl('signup')}">Sign up</a></p>` : ''}
    </section>`,
  });
}

function signupForm(deps: HubDeps, options: { xsrf: string; error?: string; notice?: string; username?: string }): string {
  return page({
    title: 'Sign up',
    paths: deps.paths,
    body: html`<section class="card">
      <h1>Sign up</h1>
      ${options.error ? html`<p class="error" id="signup-error" role="alert">${options.error}</p>` : ''}
      ${options.notice ? html`<p class="notice" id="signup-notice" role="status">${options.notice}</p>` : ''}
      <form method="post" action="${deps.paths.hubUrl('signup')}" id="signup-form">
        <input type="hidden" name="_xsrf" value="${options.xsrf}">
        <label for="signup_username">User name</label>
        <input type="text" id="signup_username" name="username" autocomplete="username" autocapitalize="off" value="${options.username ?? ''}" required>
        <label for="signup_password">Password</label>
        <input type="password" id="signup_password" name="signup_password" autocomplete="new-password" required>
        <label for="signup_password_confirmation">Repeat password</label>
        <input type="password" id="signup_password_confirmation" name="signup_password_confirmation" autocomplete="new-password" required>
        <button type="submit" id="signup_submit">Create account</button>
      </form>
      <p class="muted">Already have an account? <a href="${deps.paths.hubUrl('login')}">Log in</a></p>
    </section>`,
  });
}

/** Where to send a user after login: the checked `next`, else their server if running, else the spawn page. */
function afterLogin(deps: HubDeps, next: string | undefined, userName: string, running: boolean): string {
  return safeNextUrl(next, deps.paths) ?? (running ? deps.paths.userServer(userName) : deps.paths.hubUrl('spawn'));
}

export function registerLoginPages(app: FastifyInstance, deps: HubDeps, authenticator: NativeAuthenticator): void {
  const paths = deps.paths;

  app.get<{ Querystring: { next?: string } }>(paths.hubUrl('login'), async (request, reply) => {
    const identity = await identityOf(request, deps);
    if (identity?.via === 'cookie') {
      return reply.redirect(afterLogin(deps, request.query.next, identity.user.name, deps.servers.view(identity.user)?.ready ?? false), 302);
    }
    return reply.type('text/html').send(loginForm(deps, { xsrf: xsrfToken(request, reply, deps), next: request.query.next }));
  });

  app.post<{ Querystring: { next?: string }; Body: Form }>(paths.hubUrl('login'), async (request, reply) => {
    checkXsrf(request, deps);
    const form = request.body ?? {};
    const username = form['username'] ?? '';
    const outcome = await authenticator.login(username, form['password'] ?? '', { name: null, ip: clientIp(request) });
    if (!outcome.ok) {
      return reply
        .code(403)
        .type('text/html')
        .send(loginForm(deps, { xsrf: xsrfToken(request, reply, deps), next: request.query.next, error: 'Invalid username or password', username }));
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

  app.get(paths.hubUrl('signup'), async (request, reply) => {
    if (!deps.config.authenticator.native.enable_signup) {
      return reply.code(404).type('text/html').send(messagePage({ title: 'Signup is disabled', message: 'Ask an administrator for an account.', paths }));
    }
    return reply.type('text/html').send(signupForm(deps, { xsrf: xsrfToken(request, reply, deps) }));
  });

  app.post<{ Body: Form }>(paths.hubUrl('signup'), async (request, reply) => {
    checkXsrf(request, deps);
    const form = request.body ?? {};
    const xsrf = xsrfToken(request, reply, deps);
    try {
      const outcome = await authenticator.signup(
        {
          username: form['username'] ?? '',
          password: form['signup_password'] ?? '',
          confirmation: form['signup_password_confirmation'] ?? '',
        },
        { name: null, ip: clientIp(request) },
      );
      const notice = outcome.authorized
        ? 'The signup was successful. You can now log in.'
        : 'Your account was created and is waiting for an administrator to authorize it.';
      return reply.type('text/html').send(signupForm(deps, { xsrf, notice }));
    } catch (error) {
      if (!isBulwarkError(error) || (error.code !== 'HUB_SIGNUP_INVALID' && error.code !== 'HUB_SIGNUP_DISABLED')) throw error;
      return reply
        .code(error.status)
        .type('text/html')
        .send(signupForm(deps, { xsrf, error: error.message, username: form['username'] ?? '' }));
    }
  });
}
