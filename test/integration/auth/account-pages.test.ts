// Password pages (own and admin), admin-created users with initial passwords (page and API),
// authorize search, and the rule that GET never changes state and POST needs XSRF.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { cliActor } from '../../../src/log/index.js';
import { BrowserLikeClient } from '../../helpers/browser-like-client.js';
import { login, makeUser, signup, signupFields, startAuthHub, type AuthHub } from './auth-hub.js';

let hub: AuthHub;
before(async () => {
  hub = await startAuthHub({ 'authenticator.native.allowed_failed_logins_per_address': 0, 'authenticator.native.ask_email_on_signup': true });
  await makeUser(hub, 'boss', 'Boss-Password-1', true);
  await makeUser(hub, 'carl', 'Carl-Password-1');
});
after(async () => hub?.close());

const formError = (body: string) => /id="form-error"[^>]*>([^<]*)</.exec(body)?.[1] ?? '';

test('change own password: the old one must be right, the new one twice and within the rules; then every session ends', async () => {
  const c = new BrowserLikeClient(hub.url);
  const other = new BrowserLikeClient(hub.url);
  await login(c, 'carl', 'Carl-Password-1');
  await login(other, 'carl', 'Carl-Password-1');
  const change = (fields: Record<string, string>) => c.submitForm('/hub/change-password', '/hub/change-password', fields);
  const wrongOld = await change({ old_password: 'nope', new_password: 'New-Secret-Pass-2', new_password_confirmation: 'New-Secret-Pass-2' });
  assert.equal(wrongOld.status, 400);
  assert.match(formError(wrongOld.body), /current password is wrong/);
  const mismatch = await change({ old_password: 'Carl-Password-1', new_password: 'New-Secret-Pass-2', new_password_confirmation: 'New-Secret-Pass-3' });
  assert.match(formError(mismatch.body), /do not match/);
  const short = await change({ old_password: 'Carl-Password-1', new_password: 'short', new_password_confirmation: 'short' });
  assert.match(formError(short.body), /at least 8/);
  const ok = await change({ old_password: 'Carl-Password-1', new_password: 'New-Secret-Pass-2', new_password_confirmation: 'New-Secret-Pass-2' });
  assert.ok(ok.url.startsWith('/hub/login'), ok.url);
  assert.ok((await other.request('/hub/home')).url.startsWith('/hub/login'), 'the other session ended');
  assert.equal((await login(new BrowserLikeClient(hub.url), 'carl', 'Carl-Password-1')).status, 403);
  assert.equal((await login(new BrowserLikeClient(hub.url), 'carl', 'New-Secret-Pass-2')).url, '/hub/spawn');
});

test("admin sets another user's password; non-admins get 404; unknown users 404", async () => {
  const admin = new BrowserLikeClient(hub.url);
  await login(admin, 'boss', 'Boss-Password-1');
  const mismatch = await admin.submitForm('/hub/change-password/carl', '/hub/change-password/carl', { new_password: 'Admin-Set-Pass-3', new_password_confirmation: 'x' });
  assert.match(formError(mismatch.body), /do not match/);
  const set = await admin.submitForm('/hub/change-password/carl', '/hub/change-password/carl', { new_password: 'Admin-Set-Pass-3', new_password_confirmation: 'Admin-Set-Pass-3' });
  assert.match(set.body, /id="form-notice"[^>]*>The password of carl was changed/);
  assert.equal((await login(new BrowserLikeClient(hub.url), 'carl', 'Admin-Set-Pass-3')).url, '/hub/spawn');
  assert.equal((await admin.request('/hub/change-password/nobody')).status, 404);
  const carl = new BrowserLikeClient(hub.url);
  await login(carl, 'carl', 'Admin-Set-Pass-3');
  assert.equal((await carl.request('/hub/change-password/boss')).status, 404);
  const page = await carl.request('/hub/change-password');
  const attempt = await carl.request('/hub/change-password/boss', { form: { _xsrf: BrowserLikeClient.xsrfFrom(page.body), new_password: 'Taken-Over-44', new_password_confirmation: 'Taken-Over-44' } });
  assert.equal(attempt.status, 404);
  assert.equal((await login(new BrowserLikeClient(hub.url), 'boss', 'Taken-Over-44')).status, 403);
});

test('admins create users with an initial password on a page and through the API', async () => {
  const admin = new BrowserLikeClient(hub.url);
  await login(admin, 'boss', 'Boss-Password-1');
  const created = await admin.submitForm('/hub/create-user', '/hub/create-user', { username: 'dora', password: 'Initial-Pass-D1' });
  assert.match(created.body, /Created dora/);
  assert.equal((await login(new BrowserLikeClient(hub.url), 'dora', 'Initial-Pass-D1')).url, '/hub/spawn', 'the new account can log in at once');
  const weak = await admin.submitForm('/hub/create-user', '/hub/create-user', { username: 'ed', password: 'password' });
  assert.equal(weak.status, 400);
  assert.equal(await hub.handle.services.users.get('ed'), undefined);

  const owner = await hub.handle.services.users.require('boss');
  const { token } = await hub.handle.services.tokens.create({ owner, note: 'test' }, cliActor);
  const headers = { authorization: `token ${token}` };
  assert.equal((await fetch(`${hub.url}/hub/api/users/fred`, { method: 'POST', headers })).status, 201);
  const weakApi = await fetch(`${hub.url}/hub/api/users/fred/password`, { method: 'POST', headers, body: JSON.stringify({ password: 'fred' }) });
  assert.equal(weakApi.status, 400);
  const setApi = await fetch(`${hub.url}/hub/api/users/fred/password`, { method: 'POST', headers, body: JSON.stringify({ password: 'Initial-Pass-F1' }) });
  assert.equal(setApi.status, 204);
  assert.equal((await login(new BrowserLikeClient(hub.url), 'fred', 'Initial-Pass-F1')).url, '/hub/spawn');
  const carl = await hub.handle.services.users.require('carl');
  const { token: userToken } = await hub.handle.services.tokens.create({ owner: carl, note: 'test' }, cliActor);
  const denied = await fetch(`${hub.url}/hub/api/users/fred/password`, { method: 'POST', headers: { authorization: `token ${userToken}` }, body: JSON.stringify({ password: 'Owned-By-Carl-1' }) });
  assert.equal(denied.status, 403);
});

test('authorize page: search by name or e-mail, filter by state', async () => {
  const c = new BrowserLikeClient(hub.url);
  await signup(c, signupFields('gina', 'Signup-Pass-G1', { email: 'gina@lab.example' }));
  await signup(c, signupFields('hugo', 'Signup-Pass-H1', { email: 'hugo@other.example' }));
  const admin = new BrowserLikeClient(hub.url);
  await login(admin, 'boss', 'Boss-Password-1');
  const byMail = await admin.request('/hub/authorize?q=lab.example');
  assert.match(byMail.body, /data-user="gina"/);
  assert.doesNotMatch(byMail.body, /data-user="hugo"/);
  const waiting = await admin.request('/hub/authorize?show=waiting');
  assert.match(waiting.body, /data-user="hugo"/);
  assert.doesNotMatch(waiting.body, /data-user="boss"/);
  assert.match(waiting.body, /<td>gina@lab\.example<\/td>/);
});

/** Every table a state change could touch, as text. */
async function snapshot(): Promise<string> {
  const db = hub.handle.services.database.db;
  const tables = ['users', 'sessions', 'api_tokens', 'auth_totp', 'auth_recovery_codes', 'auth_address_lockout', 'auth_tickets', 'auth_signup_info'] as const;
  const parts: unknown[] = [];
  for (const table of tables) parts.push(await db.selectFrom(table).selectAll().execute());
  return JSON.stringify(parts);
}

test('a GET to any state-changing URL changes nothing, and a POST without XSRF is refused', async () => {
  const admin = new BrowserLikeClient(hub.url);
  await login(admin, 'boss', 'Boss-Password-1');
  const user = new BrowserLikeClient(hub.url);
  await login(user, 'dora', 'Initial-Pass-D1');
  const anonymous = new BrowserLikeClient(hub.url);
  const before = await snapshot();
  const attempts: Array<[BrowserLikeClient, string]> = [
    [admin, '/hub/authorize/hugo?action=authorize'],
    [admin, '/hub/authorize/hugo?action=discard'],
    [admin, '/hub/authorize/dora?action=reset-2fa'],
    [admin, '/hub/change-password/carl?new_password=Got-You-123&new_password_confirmation=Got-You-123'],
    [admin, '/hub/create-user?username=mallory&password=Mallory-Pass-1'],
    [user, '/hub/change-password?old_password=Initial-Pass-D1&new_password=Got-You-123&new_password_confirmation=Got-You-123'],
    [user, '/hub/2fa/start'],
    [user, '/hub/2fa/confirm?code=123456'],
    [user, '/hub/2fa/disable?code=123456'],
    [user, '/hub/logout'],
    [anonymous, '/hub/signup?username=mallory&signup_password=Mallory-Pass-1&signup_password_confirmation=Mallory-Pass-1'],
    [anonymous, '/hub/login?username=carl&password=wrong-password'],
    [anonymous, '/hub/setup?token=not-a-real-token'],
  ];
  for (const [client, url] of attempts) await client.request(url, { follow: false });
  assert.equal(await snapshot(), before, 'no table changed');
  assert.equal((await user.request('/hub/home')).status, 200, 'GET /hub/logout did not end the session');

  const posts = ['/hub/authorize/hugo', '/hub/change-password/carl', '/hub/create-user', '/hub/change-password', '/hub/2fa/start', '/hub/2fa/confirm', '/hub/signup', '/hub/login', '/hub/setup', '/hub/logout'];
  for (const url of posts) {
    const response = await admin.request(url, { form: { action: 'authorize', username: 'mallory', password: 'Mallory-Pass-1' }, follow: false });
    assert.equal(response.status, 403, `POST ${url} without _xsrf`);
  }
  assert.equal(await snapshot(), before, 'no table changed');
});
