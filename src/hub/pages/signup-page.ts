import type { FastifyInstance } from 'fastify';
import { isBulwarkError } from '../../errors/index.js';
import { html } from '../../web/index.js';
import type { AuthServices } from '../auth/auth-services.js';
import type { NativeAuthenticator } from '../auth/native-authenticator.js';
import type { HubDeps } from '../hub-deps.js';
import { checkXsrf, clientIp, xsrfToken } from '../request-context.js';
import { messagePage, page } from './layout.js';

type Form = Record<string, string | undefined>;

function signupForm(deps: HubDeps, options: { xsrf: string; error?: string; notice?: string; username?: string; email?: string }): string {
  const native = deps.config.authenticator.native;
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
        ${native.ask_email_on_signup
          ? html`<label for="signup_email">E-mail</label>
        <input type="email" id="signup_email" name="email" autocomplete="email" value="${options.email ?? ''}" required>`
          : ''}
        <label for="signup_password">Password <span class="muted">(at least ${String(native.minimum_password_length)} characters)</span></label>
        <input type="password" id="signup_password" name="signup_password" autocomplete="new-password" required>
        <label for="signup_password_confirmation">Repeat password</label>
        <input type="password" id="signup_password_confirmation" name="signup_password_confirmation" autocomplete="new-password" required>
        ${native.tos !== null
          ? html`<div class="tos" id="tos-text">${native.tos}</div>
        <label><input type="checkbox" id="tos_check" name="tos_accepted" value="yes" required> I accept the terms of service</label>`
          : ''}
        <button type="submit" id="signup_submit">Create account</button>
      </form>
      ${native.allow_2fa ? html`<p class="muted">After your first login you can add two-factor login under Account.</p>` : ''}
      <p class="muted">Already have an account? <a href="${deps.paths.hubUrl('login')}">Log in</a></p>
    </section>`,
  });
}

/** `/hub/signup`: nativeauthenticator's form, with the ToS checked by the server and mail to admins. */
export function registerSignupPage(app: FastifyInstance, deps: HubDeps, authenticator: NativeAuthenticator, auth: AuthServices): void {
  const paths = deps.paths;

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
          email: form['email'],
          tosAccepted: form['tos_accepted'] === 'yes',
        },
        { name: null, ip: clientIp(request) },
      );
      if (deps.config.authenticator.native.tos !== null) {
        await deps.database.db.insertInto('auth_signup_info').values({ user_id: outcome.user.id, tos_accepted_at: deps.clock().toISOString(), notified_at: null }).execute();
      }
      // The notice goes out in the background: a slow mail server never holds up the signup.
      void auth.notifier.notify(outcome.user, paths.hubUrl('authorize'));
      const notice = outcome.authorized
        ? 'The signup was successful. You can now log in.'
        : 'Your account was created and is waiting for an administrator to authorize it.';
      return reply.type('text/html').send(signupForm(deps, { xsrf, notice }));
    } catch (error) {
      if (!isBulwarkError(error) || (error.code !== 'HUB_SIGNUP_INVALID' && error.code !== 'HUB_SIGNUP_DISABLED')) throw error;
      return reply
        .code(error.status)
        .type('text/html')
        .send(signupForm(deps, { xsrf, error: error.message, username: form['username'] ?? '', email: form['email'] ?? '' }));
    }
  });
}
