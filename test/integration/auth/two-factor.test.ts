// TOTP two-factor login through HTTP: enrolment with a QR code, confirmation before it is on,
// replay refused, recovery codes used once, the secret encrypted at rest, require_2fa.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { totpCode } from '../../../src/identity/index.js';
import { BrowserLikeClient } from '../../helpers/browser-like-client.js';
import { login, makeUser, startAuthHub, type AuthHub } from './auth-hub.js';
import { decodeQrPng } from './qr-decode.js';

let hub: AuthHub;
before(async () => {
  hub = await startAuthHub({ 'authenticator.native.require_2fa': 'admins', 'authenticator.native.allowed_failed_logins_per_address': 0 });
});
after(async () => hub?.close());

const pick = (body: string, pattern: RegExp) => pattern.exec(body)?.[1] ?? '';

/**
 * A code no earlier login used: the next step's, which the hub accepts (one step of clock drift)
 * and which is later than any step used so far, so the test need not wait 30 seconds.
 */
function freshCode(secret: string, used: Set<string>): string {
  const code = totpCode(secret, new Date(Date.now() + 30_000));
  assert.ok(!used.has(code));
  used.add(code);
  return code;
}

async function enrol(c: BrowserLikeClient): Promise<{ secret: string; recovery: string[]; page: string }> {
  const start = await c.request('/hub/2fa');
  const qrPage = await c.request('/hub/2fa/start', { form: { _xsrf: BrowserLikeClient.xsrfFrom(start.body) } });
  const secret = pick(qrPage.body, /id="totp-secret">([A-Z2-7]+)</);
  assert.match(secret, /^[A-Z2-7]{32}$/);
  const png = Buffer.from(pick(qrPage.body, /id="qr-code" src="data:image\/png;base64,([^"]+)"/), 'base64');
  const uri = await decodeQrPng(png);
  assert.match(uri, new RegExp(`^otpauth://totp/Bulwark:[a-z0-9]+\\?secret=${secret}&issuer=Bulwark`));
  const wrong = await c.request('/hub/2fa/confirm', { form: { _xsrf: BrowserLikeClient.xsrfFrom(qrPage.body), code: '000000' } });
  assert.equal(wrong.status, 400, 'a wrong first code does not turn 2FA on');
  const done = await c.request('/hub/2fa/confirm', { form: { _xsrf: BrowserLikeClient.xsrfFrom(qrPage.body), code: totpCode(secret, new Date()) } });
  assert.equal(done.status, 200);
  const recovery = [...done.body.matchAll(/<li><code>([0-9a-f-]+)<\/code><\/li>/g)].map((m) => m[1] ?? '');
  assert.equal(recovery.length, 10);
  return { secret, recovery, page: done.body };
}

test('enrol after signup with a QR code, then a used code and a used recovery code are refused', async () => {
  const user = await makeUser(hub, 'tina', 'Seventeen-Oranges');
  const c = new BrowserLikeClient(hub.url);
  assert.equal((await login(c, 'tina', 'Seventeen-Oranges')).url, '/hub/spawn', 'no 2FA yet: password alone');
  const { secret, recovery } = await enrol(c);
  const used = new Set([totpCode(secret, new Date())]);

  const row = await hub.handle.services.database.db.selectFrom('auth_totp').selectAll().where('user_id', '=', user.id).executeTakeFirstOrThrow();
  assert.equal(row.enabled, 1);
  assert.doesNotMatch(row.secret_enc, new RegExp(secret), 'the secret is encrypted at rest');
  assert.match(row.secret_enc, /^v1\./);
  const codes = await hub.handle.services.database.db.selectFrom('auth_recovery_codes').selectAll().where('user_id', '=', user.id).execute();
  assert.equal(codes.length, 10);
  assert.ok(codes.every((code) => !recovery.some((plain) => code.hash.includes(plain))), 'recovery codes are stored hashed');

  const d = new BrowserLikeClient(hub.url);
  assert.equal((await login(d, 'tina', 'Seventeen-Oranges')).status, 403, 'the password alone no longer logs in');
  assert.equal((await login(d, 'tina', 'Seventeen-Oranges', '123456')).status, 403, 'a wrong code is refused');
  const code = freshCode(secret, used);
  assert.equal((await login(d, 'tina', 'Seventeen-Oranges', code)).url, '/hub/spawn');
  const replay = await login(new BrowserLikeClient(hub.url), 'tina', 'Seventeen-Oranges', code);
  assert.equal(replay.status, 403, 'the same code a second time is a replay');
  const audit = await hub.handle.services.audit.list({ limit: 20, action: 'login' });
  assert.ok(audit.some((r) => r.outcome === 'failure' && r.detail['reason'] === 'replayed-code'));

  const recoveryCode = recovery[0] ?? '';
  assert.equal((await login(new BrowserLikeClient(hub.url), 'tina', 'Seventeen-Oranges', recoveryCode)).url, '/hub/spawn');
  assert.equal((await login(new BrowserLikeClient(hub.url), 'tina', 'Seventeen-Oranges', recoveryCode)).status, 403, 'a recovery code works once');
  assert.match((await c.request('/hub/2fa')).body, /9 unused recovery code/);
  // The API's password login (POST /hub/api/users/{name}/tokens with auth) cannot bypass 2FA either.
  const api = await fetch(`${hub.url}/hub/api/users/tina/tokens`, { method: 'POST', body: JSON.stringify({ auth: { username: 'tina', password: 'Seventeen-Oranges' } }) });
  assert.equal(api.status, 403);

  // Turning it off needs a current code.
  const page = await c.request('/hub/2fa');
  const refused = await c.request('/hub/2fa/disable', { form: { _xsrf: BrowserLikeClient.xsrfFrom(page.body), code: '111111' } });
  assert.equal(refused.status, 400);
  const off = await c.request('/hub/2fa/disable', { form: { _xsrf: BrowserLikeClient.xsrfFrom(page.body), code: recovery[1] ?? '' } });
  assert.equal(off.url, '/hub/account');
  assert.match(off.body, /id="2fa-status">off</);
});

test('require_2fa admins: an admin without 2FA gets no session until enrolment is confirmed', async () => {
  await makeUser(hub, 'root2', 'Seventeen-Oranges', true);
  const c = new BrowserLikeClient(hub.url);
  const first = await login(c, 'root2', 'Seventeen-Oranges');
  assert.equal(first.url, '/hub/2fa');
  assert.match(first.body, /id="2fa-required"/);
  assert.equal(c.cookie('jupyterhub-hub-login'), undefined, 'no session before enrolment');
  assert.equal((await c.request('/hub/home')).url.startsWith('/hub/login'), true);
  const { secret, page } = await enrol(c);
  assert.match(page, /href="\/hub\/home"/);
  assert.ok(c.cookie('jupyterhub-hub-login'), 'the session starts once 2FA is on');
  assert.equal((await c.request('/hub/home')).status, 200);
  // The enrolment ticket was single use.
  assert.equal(c.cookie('bulwark-2fa-enrol'), undefined);
  // From now on the admin logs in with a code, and cannot turn 2FA off.
  const d = new BrowserLikeClient(hub.url);
  assert.equal((await login(d, 'root2', 'Seventeen-Oranges')).status, 403);
  const twoFactorPage = await c.request('/hub/2fa');
  assert.doesNotMatch(twoFactorPage.body, /disable_2fa_submit/);
  assert.ok(secret.length > 0);
  // A regular user is not required to enrol.
  await makeUser(hub, 'plain', 'Seventeen-Oranges');
  assert.equal((await login(new BrowserLikeClient(hub.url), 'plain', 'Seventeen-Oranges')).url, '/hub/spawn');
});

test('require_2fa all applies to everyone', async () => {
  const other = await startAuthHub({ 'authenticator.native.require_2fa': 'all' });
  try {
    await makeUser(other, 'ursula', 'Seventeen-Oranges');
    const c = new BrowserLikeClient(other.url);
    assert.equal((await login(c, 'ursula', 'Seventeen-Oranges')).url, '/hub/2fa');
    assert.equal(c.cookie('jupyterhub-hub-login'), undefined);
  } finally {
    await other.close();
  }
});
