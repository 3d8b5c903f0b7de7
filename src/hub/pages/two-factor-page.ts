import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BulwarkError } from '../../errors/index.js';
import { otpauthUri, type User } from '../../identity/index.js';
import { expireCookie, html, parseCookies } from '../../web/index.js';
import type { AuthServices } from '../auth/auth-services.js';
import { ENROL_COOKIE } from '../auth/cookie-names.js';
import type { NativeAuthenticator } from '../auth/native-authenticator.js';
import { matrixToPng } from '../auth/png-image.js';
import { encodeQr } from '../auth/qr-code.js';
import type { HubDeps } from '../hub-deps.js';
import { checkXsrf, clientIp, identityOf, loginCookies, xsrfToken } from '../request-context.js';
import { page } from './layout.js';

type Form = Record<string, string | undefined>;

/** Who is enrolling: a logged-in user, or one holding the enrolment ticket from a required-2FA login. */
type Enroller = { user: User; via: 'session' } | { user: User; via: 'ticket'; ticket: string };

async function enroller(request: FastifyRequest, deps: HubDeps, auth: AuthServices): Promise<Enroller | undefined> {
  const identity = await identityOf(request, deps);
  if (identity?.via === 'cookie') return { user: identity.user, via: 'session' };
  const ticket = parseCookies(request.headers.cookie).get(ENROL_COOKIE);
  if (!ticket) return undefined;
  const found = await auth.tickets.peek('enrol', ticket);
  const user = found?.userId != null ? await deps.users.getById(found.userId) : undefined;
  return user ? { user, via: 'ticket', ticket } : undefined;
}

/**
 * `/hub/2fa`: TOTP enrolment with a QR code, confirmed by a first code before it is enabled,
 * recovery codes shown once, and turning it off again. Reachable after signup at any time, and
 * before the first session when authenticator.native.require_2fa applies to the user.
 */
export function registerTwoFactorPage(app: FastifyInstance, deps: HubDeps, authenticator: NativeAuthenticator, auth: AuthServices): void {
  const paths = deps.paths;
  const url = (rest = '') => paths.hubUrl(`2fa${rest}`);

  const render = async (who: Enroller, xsrf: string, error?: string): Promise<string> => {
    const pageUser = who.via === 'session' ? who.user : undefined;
    const errorLine = error ? html`<p class="error" id="form-error" role="alert">${error}</p>` : '';
    const required = authenticator.requires2fa(who.user);
    if (await auth.twoFactor.isEnabled(who.user.id)) {
      const left = await auth.twoFactor.remainingRecoveryCodes(who.user.id);
      return page({
        title: 'Two-factor login',
        paths,
        user: pageUser,
        body: html`<section class="card"><h1>Two-factor login is on</h1>${errorLine}
          <p id="recovery-left">${String(left)} unused recovery code(s) left.</p>
          ${required
            ? html`<p class="muted">This hub requires two-factor login for your account, so it cannot be turned off here. An admin can reset it.</p>`
            : html`<form method="post" action="${url('/disable')}" id="disable-2fa-form"><input type="hidden" name="_xsrf" value="${xsrf}">
            <label for="disable_code">A current code or a recovery code</label><input type="text" id="disable_code" name="code" autocomplete="one-time-code" required>
            <button type="submit" class="danger" id="disable_2fa_submit">Turn off two-factor login</button></form>`}
        </section>`,
      });
    }
    const secret = await auth.twoFactor.pendingSecret(who.user.id);
    if (secret === undefined) {
      return page({
        title: 'Two-factor login',
        paths,
        user: pageUser,
        body: html`<section class="card"><h1>Two-factor login</h1>${errorLine}
          ${required ? html`<p class="notice" id="2fa-required">This hub requires two-factor login for your account. Set it up to continue.</p>` : ''}
          <p>Use an authenticator app (TOTP: FreeOTP, Aegis, Google Authenticator&hellip;) for a code at every login.</p>
          <form method="post" action="${url('/start')}" id="start-2fa-form"><input type="hidden" name="_xsrf" value="${xsrf}">
          <button type="submit" id="start_2fa_submit">Set up two-factor login</button></form></section>`,
      });
    }
    const uri = otpauthUri({ secret, account: who.user.name, issuer: 'Bulwark' });
    const png = matrixToPng(encodeQr(uri), 6).toString('base64');
    return page({
      title: 'Two-factor login',
      paths,
      user: pageUser,
      body: html`<section class="card"><h1>Scan this code</h1>${errorLine}
        <p>Scan it with your authenticator app, then enter the 6-digit code the app shows. Two-factor login is on only after this check.</p>
        <p><img id="qr-code" src="data:image/png;base64,${png}" alt="QR code for your authenticator app" width="240" height="240"></p>
        <p class="muted">Cannot scan? Enter this key: <code id="totp-secret">${secret}</code></p>
        <form method="post" action="${url('/confirm')}" id="confirm-2fa-form"><input type="hidden" name="_xsrf" value="${xsrf}">
          <label for="totp_code">Code from the app</label><input type="text" id="totp_code" name="code" inputmode="numeric" autocomplete="one-time-code" required>
          <button type="submit" id="confirm_2fa_submit">Turn on two-factor login</button></form></section>`,
    });
  };

  const who = async (request: FastifyRequest, reply: FastifyReply): Promise<Enroller | undefined> => {
    if (!authenticator.twoFactorOffered()) throw new BulwarkError('HUB_2FA_NOT_ALLOWED');
    const found = await enroller(request, deps, auth);
    if (!found) await reply.redirect(`${paths.hubUrl('login')}?next=${encodeURIComponent(url())}`, 302);
    return found;
  };

  app.get(url(), async (request, reply) => {
    const found = await who(request, reply);
    if (!found) return reply;
    return reply.type('text/html').send(await render(found, xsrfToken(request, reply, deps)));
  });

  app.post(url('/start'), async (request, reply) => {
    const found = await who(request, reply);
    if (!found) return reply;
    checkXsrf(request, deps);
    if (!(await auth.twoFactor.isEnabled(found.user.id))) await auth.twoFactor.beginEnrolment(found.user.id);
    return reply.redirect(url(), 303);
  });

  app.post<{ Body: Form }>(url('/confirm'), async (request, reply) => {
    const found = await who(request, reply);
    if (!found) return reply;
    checkXsrf(request, deps);
    const actor = { name: found.user.name, ip: clientIp(request) };
    const codes = await auth.twoFactor.confirmEnrolment(found.user.id, request.body?.['code'] ?? '', actor);
    const xsrf = xsrfToken(request, reply, deps);
    if (!codes) return reply.code(400).type('text/html').send(await render(found, xsrf, 'That code is not right. Check the time on your device and try the next code.'));
    let next = paths.hubUrl('account');
    if (found.via === 'ticket') {
      // The required enrolment is done: now, and only now, the session starts.
      if (!(await auth.tickets.consume('enrol', found.ticket))) throw new BulwarkError('AUTH_REQUIRED');
      const { cookieValue, session } = await deps.sessions.create(found.user, deps.config.hub.cookie_max_age_days * 86400);
      for (const cookie of loginCookies(deps, cookieValue, session.publicId)) reply.header('set-cookie', cookie);
      reply.header('set-cookie', expireCookie(ENROL_COOKIE, url(), deps.tls));
      await deps.audit.record(actor, { action: 'login', target: found.user.name, detail: { after: '2fa-enrolment' } });
      next = paths.hubUrl('home');
    }
    return reply.type('text/html').send(
      page({
        title: 'Recovery codes',
        paths,
        user: found.user,
        body: html`<section class="card"><h1>Two-factor login is on</h1>
          <p>Keep these recovery codes somewhere safe. Each one works once instead of a code from the app. They are shown only now.</p>
          <ul id="recovery-codes">${codes.map((code) => html`<li><code>${code}</code></li>`)}</ul>
          <p><a class="button" id="recovery-continue" href="${next}">I have saved them</a></p></section>`,
      }),
    );
  });

  app.post<{ Body: Form }>(url('/disable'), async (request, reply) => {
    const identity = await identityOf(request, deps);
    if (identity?.via !== 'cookie') throw new BulwarkError('AUTH_REQUIRED');
    checkXsrf(request, deps);
    const user = identity.user;
    if (authenticator.requires2fa(user)) throw new BulwarkError('HUB_2FA_CODE_INVALID', { reason: 'two-factor login is required for this account' });
    const check = await auth.twoFactor.verify(user.id, request.body?.['code'] ?? '');
    if (!check.ok) {
      const message = check.reason === 'replayed' ? 'that code was already used; wait for the next one' : 'that code is not right';
      return reply.code(400).type('text/html').send(await render({ user, via: 'session' }, xsrfToken(request, reply, deps), message));
    }
    await auth.twoFactor.disable(user.id, { name: user.name, ip: clientIp(request) }, user.name);
    return reply.redirect(paths.hubUrl('account'), 303);
  });
}
