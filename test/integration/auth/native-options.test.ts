// Every authenticator.native option, driven through HTTP against a real hub.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { BrowserLikeClient } from '../../helpers/browser-like-client.js';
import { login, makeUser, signup, signupFields, startAuthHub, type AuthHub } from './auth-hub.js';

const run = promisify(execFile);

async function withHub(settings: Record<string, unknown>, body: (hub: AuthHub) => Promise<void>): Promise<void> {
  const hub = await startAuthHub(settings);
  try {
    await body(hub);
  } finally {
    await hub.close();
  }
}

const errorOf = (body: string) => /id="signup-error"[^>]*>([^<]*)</.exec(body)?.[1] ?? '';

test('enable_signup: false answers 404 to GET and POST and hides the link; true (default) serves the form', async () => {
  await withHub({ 'authenticator.native.enable_signup': false }, async (hub) => {
    const c = new BrowserLikeClient(hub.url);
    assert.equal((await c.request('/hub/signup')).status, 404);
    const loginPage = await c.request('/hub/login');
    const posted = await c.request('/hub/signup', { form: { _xsrf: BrowserLikeClient.xsrfFrom(loginPage.body), ...signupFields('eve', 'Correct-Horse-9') } });
    assert.equal(posted.status, 404);
    assert.doesNotMatch(loginPage.body, /href="\/hub\/signup"/);
    assert.equal(await hub.handle.services.users.get('eve'), undefined);
  });
  await withHub({}, async (hub) => {
    const c = new BrowserLikeClient(hub.url);
    assert.equal((await c.request('/hub/signup')).status, 200);
    assert.match((await c.request('/hub/login')).body, /href="\/hub\/signup"/);
  });
});

test('open_signup, ask_email_on_signup, tos: authorized at once, e-mail required and kept, terms checked by the server', async () => {
  const tos = 'Be nice <b>or</b> leave.';
  await withHub({ 'authenticator.native.open_signup': true, 'authenticator.native.ask_email_on_signup': true, 'authenticator.native.tos': tos }, async (hub) => {
    const c = new BrowserLikeClient(hub.url);
    const form = await c.request('/hub/signup');
    assert.match(form.body, /Be nice &lt;b&gt;or&lt;\/b&gt; leave\./, 'the terms are shown as text, never as HTML');
    assert.match(form.body, /id="signup_email"/);
    const noEmail = await signup(c, signupFields('olga', 'Correct-Horse-9', { tos_accepted: 'yes' }));
    assert.equal(noEmail.status, 400);
    assert.match(errorOf(noEmail.body), /e-mail/);
    const badEmail = await signup(c, signupFields('olga', 'Correct-Horse-9', { tos_accepted: 'yes', email: 'not-an-address' }));
    assert.equal(badEmail.status, 400);
    const noTos = await signup(c, signupFields('olga', 'Correct-Horse-9', { email: 'olga@example.org' }));
    assert.equal(noTos.status, 400, 'the server refuses a signup without the ticked box (nativeauthenticator only checks in JavaScript)');
    assert.match(errorOf(noTos.body), /terms of service/);
    assert.equal(await hub.handle.services.users.get('olga'), undefined);
    const ok = await signup(c, signupFields('olga', 'Correct-Horse-9', { tos_accepted: 'yes', email: 'olga@example.org' }));
    assert.match(ok.body, /signup was successful/, 'open_signup authorizes at once');
    const olga = await hub.handle.services.users.require('olga');
    assert.equal(olga.authorized, true);
    assert.equal(olga.email, 'olga@example.org');
    const info = await hub.handle.services.database.db.selectFrom('auth_signup_info').selectAll().where('user_id', '=', olga.id).executeTakeFirst();
    assert.ok(info?.tos_accepted_at, 'the acceptance is recorded');
    assert.equal((await login(c, 'olga', 'Correct-Horse-9')).url, '/hub/spawn');
  });
});

test('password rules: minimum_password_length, check_common_password, check_password_contains_username, required_password_character_classes', async () => {
  await withHub({ 'authenticator.native.minimum_password_length': 12, 'authenticator.native.required_password_character_classes': 3 }, async (hub) => {
    const c = new BrowserLikeClient(hub.url);
    const cases: Array<[string, RegExp]> = [
      ['Short-pw-1', /at least 12 characters/],
      ['Password1234', /too common/],
      ['My-paula-name-1', /must not contain the user name/],
      ['alllowercaseletters', /at least 3 of/],
    ];
    for (const [password, reason] of cases) {
      const response = await signup(c, signupFields('paula', password));
      assert.equal(response.status, 400, password);
      assert.match(errorOf(response.body), reason, password);
    }
    assert.equal(await hub.handle.services.users.get('paula'), undefined);
    const ok = await signup(c, signupFields('paula', 'Seventeen-Oranges'));
    assert.match(ok.body, /waiting for an administrator/);
  });
  // Off switches: the common and the name check can be turned off; defaults are on, minimum 8.
  await withHub({ 'authenticator.native.check_common_password': false, 'authenticator.native.check_password_contains_username': false }, async (hub) => {
    const c = new BrowserLikeClient(hub.url);
    assert.match((await signup(c, signupFields('quinn', 'password123'))).body, /waiting for an administrator/);
    assert.match((await signup(c, signupFields('rosa', 'rosa-rosa-rosa'))).body, /waiting for an administrator/);
    assert.match(errorOf((await signup(c, signupFields('sven', 'seven77'))).body), /at least 8 characters/);
  });
  await withHub({}, async (hub) => {
    const c = new BrowserLikeClient(hub.url);
    assert.match(errorOf((await signup(c, signupFields('tara', 'iloveyou1'))).body), /too common/, 'check_common_password is on by default');
    assert.match(errorOf((await signup(c, signupFields('tara', 'tara-secret-99'))).body), /user name/, 'check_password_contains_username is on by default');
  });
});

test('the common-password list is our own data file of about 1,000 entries', () => {
  const lines = readFileSync(new URL('../../../src/identity/data/common-passwords.txt', import.meta.url), 'utf8')
    .split('\n')
    .filter((line) => line !== '' && !line.startsWith('#'));
  assert.ok(lines.length >= 1000 && lines.length <= 1100, String(lines.length));
  assert.equal(new Set(lines).size, lines.length, 'no duplicates');
});

test('allowed_username_character_classes, and names stay valid OS account names', async () => {
  await withHub({ 'authenticator.native.allowed_username_character_classes': ['letters', 'underscore'] }, async (hub) => {
    const c = new BrowserLikeClient(hub.url);
    for (const name of ['ab1', 'a-b', 'a.b']) {
      const response = await signup(c, signupFields(name, 'Seventeen-Oranges'));
      assert.equal(response.status, 400, name);
      assert.match(errorOf(response.body), /may only use letters, underscore/, name);
    }
    assert.match((await signup(c, signupFields('a_b', 'Seventeen-Oranges'))).body, /waiting/);
  });
  await withHub({}, async (hub) => {
    const c = new BrowserLikeClient(hub.url);
    for (const name of ['1abc', 'has space', 'a/b', 'x'.repeat(33), 'émile', '-rf']) {
      const response = await signup(c, signupFields(name, 'Seventeen-Oranges'));
      assert.equal(response.status, 400, name);
    }
    assert.equal((await hub.handle.services.users.list()).length, 0);
  });
});

test('allowed_failed_logins and seconds_before_next_try: a lock of more than a day lasts in full and survives a restart', async () => {
  const settings = {
    'authenticator.native.allowed_failed_logins': 2,
    'authenticator.native.seconds_before_next_try': 90_000,
    'authenticator.native.allowed_failed_logins_per_address': 0,
  };
  const first = await startAuthHub(settings);
  let second: AuthHub | undefined;
  try {
    await makeUser(first, 'uma', 'Seventeen-Oranges');
    const c = new BrowserLikeClient(first.url);
    assert.equal((await login(c, 'uma', 'wrong-one')).status, 403);
    assert.equal((await login(c, 'uma', 'wrong-two')).status, 403);
    assert.equal((await login(c, 'uma', 'Seventeen-Oranges')).status, 403, 'locked even with the right password');
    const lockedUntil = (await first.handle.services.users.require('uma')).lockedUntil ?? '';
    // nativeauthenticator's timedelta.seconds would have let uma in after 3,600 s (90,000 s mod one day).
    assert.ok(new Date(lockedUntil).getTime() - Date.now() > 86_400_000, lockedUntil);
    await first.stop();
    second = await startAuthHub(settings, first.dataDir);
    const again = new BrowserLikeClient(second.url);
    assert.equal((await login(again, 'uma', 'Seventeen-Oranges')).status, 403, 'the lock survives a restart');
  } finally {
    await second?.stop();
    await first.close();
  }
});

test('allowed_failed_logins_per_address: one address that keeps failing is refused for any name, also after a restart', async () => {
  const settings = { 'authenticator.native.allowed_failed_logins_per_address': 3, 'authenticator.native.seconds_before_next_try': 600 };
  const first = await startAuthHub(settings);
  let second: AuthHub | undefined;
  try {
    await makeUser(first, 'vera', 'Seventeen-Oranges');
    const c = new BrowserLikeClient(first.url);
    for (const name of ['nobody1', 'nobody2', 'nobody3']) assert.equal((await login(c, name, 'guess-guess')).status, 403);
    assert.equal((await login(c, 'vera', 'Seventeen-Oranges')).status, 403, 'the address is locked');
    assert.equal((await first.handle.services.users.require('vera')).lockedUntil, null, 'the account itself is not locked');
    await first.stop();
    second = await startAuthHub(settings, first.dataDir);
    assert.equal((await login(new BrowserLikeClient(second.url), 'vera', 'Seventeen-Oranges')).status, 403, 'still locked after a restart');
    await second.handle.services.database.db.deleteFrom('auth_address_lockout').execute();
    assert.equal((await login(new BrowserLikeClient(second.url), 'vera', 'Seventeen-Oranges')).url, '/hub/spawn');
  } finally {
    await second?.stop();
    await first.close();
  }
});

test('allow_2fa: off hides the code field and the 2FA page; on (default) shows both', async () => {
  await withHub({ 'authenticator.native.allow_2fa': false }, async (hub) => {
    await makeUser(hub, 'walt', 'Seventeen-Oranges');
    const c = new BrowserLikeClient(hub.url);
    assert.doesNotMatch((await c.request('/hub/login')).body, /name="otp"/);
    await login(c, 'walt', 'Seventeen-Oranges');
    assert.equal((await c.request('/hub/2fa')).status, 404);
  });
  await withHub({}, async (hub) => {
    await makeUser(hub, 'walt', 'Seventeen-Oranges');
    const c = new BrowserLikeClient(hub.url);
    assert.match((await c.request('/hub/login')).body, /name="otp"/);
    await login(c, 'walt', 'Seventeen-Oranges');
    assert.match((await c.request('/hub/2fa')).body, /id="start_2fa_submit"/);
  });
});

test('create_system_users: authorizing a native account creates its OS account with useradd', async () => {
  const name = `bwc${Date.now().toString(36).slice(-8)}`;
  try {
    await withHub({ 'authenticator.native.create_system_users': true }, async (hub) => {
      await makeUser(hub, 'xadmin', 'Seventeen-Oranges', true);
      const c = new BrowserLikeClient(hub.url);
      await signup(c, signupFields(name, 'Seventeen-Oranges'));
      await assert.rejects(run('getent', ['passwd', name]), 'no OS account before authorization');
      await login(c, 'xadmin', 'Seventeen-Oranges');
      const list = await c.request('/hub/authorize');
      await c.request(`/hub/authorize/${name}`, { form: { _xsrf: BrowserLikeClient.xsrfFrom(list.body), action: 'authorize' } });
      const { stdout } = await run('getent', ['passwd', name]);
      assert.match(stdout, new RegExp(`^${name}:x:\\d+:\\d+::/home/${name}:/bin/bash`));
    });
  } finally {
    await run('userdel', ['--remove', name]).catch(() => undefined);
  }
});
