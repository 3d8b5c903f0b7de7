// The first admin: a one-time setup link printed at first start, never a signup under an
// admin_users name. And the optional mail to admins about a new signup, over real SMTP.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BrowserLikeClient } from '../../helpers/browser-like-client.js';
import { login, makeUser, signup, signupFields, startAuthHub } from './auth-hub.js';
import { startSmtpSink } from './smtp-sink.js';

test('the setup link is printed when no admin exists, works once, and a signup under an admin name waits like any other', async () => {
  const hub = await startAuthHub({ 'authenticator.admin_users': ['chief'] });
  let again: Awaited<ReturnType<typeof startAuthHub>> | undefined;
  try {
    for (let i = 0; i < 40 && !hub.logs.some((line) => 'setup_url' in line); i++) await new Promise((resolve) => setTimeout(resolve, 50));
    const url = String(hub.logs.find((line) => typeof line['setup_url'] === 'string')?.['setup_url'] ?? '');
    assert.match(url, new RegExp(`^${hub.url}/hub/setup\\?token=[A-Za-z0-9_-]{40,}$`));
    const path = url.slice(hub.url.length);

    // Racing to sign up "chief" gets an ordinary pending account, neither admin nor able to log in.
    const racer = new BrowserLikeClient(hub.url);
    assert.match((await signup(racer, signupFields('chief', 'Racing-To-Admin-1'))).body, /waiting for an administrator/);
    const pending = await hub.handle.services.users.require('chief');
    assert.equal(pending.admin, false);
    assert.equal(pending.authorized, false);
    assert.equal((await login(racer, 'chief', 'Racing-To-Admin-1')).status, 403);

    const owner = new BrowserLikeClient(hub.url);
    const form = await owner.request(path);
    assert.equal(form.status, 200);
    assert.match(form.body, /id="setup_username" name="username" value="chief"/);
    assert.equal((await owner.request('/hub/setup?token=wrong-token-wrong-token-wrong')).status, 404);
    const done = await owner.request('/hub/setup', {
      form: { _xsrf: BrowserLikeClient.xsrfFrom(form.body), token: new URL(url).searchParams.get('token') ?? '', username: 'chief', password: 'Real-Admin-Pass-1', password_confirmation: 'Real-Admin-Pass-1' },
    });
    assert.match(done.body, /admin account was created/);
    const chief = await hub.handle.services.users.require('chief');
    assert.equal(chief.admin, true);
    assert.equal((await login(racer, 'chief', 'Racing-To-Admin-1')).status, 403, "the racer's password is gone");
    assert.equal((await login(owner, 'chief', 'Real-Admin-Pass-1')).url, '/hub/spawn');
    assert.equal((await new BrowserLikeClient(hub.url).request(path)).status, 404, 'the link works once');

    await hub.stop();
    again = await startAuthHub({}, hub.dataDir);
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(again.logs.some((line) => 'setup_url' in line), false, 'no link once an admin exists');
  } finally {
    await again?.stop();
    await hub.close();
  }
});

test('smtp: admins (configured addresses and admin accounts with e-mail) are told about a new signup', async () => {
  const sink = await startSmtpSink();
  const hub = await startAuthHub({
    'authenticator.native.ask_email_on_signup': true,
    'authenticator.native.smtp.host': '127.0.0.1',
    'authenticator.native.smtp.port': sink.port,
    'authenticator.native.smtp.from': 'hub@bulwark.test',
    'authenticator.native.smtp.notify_on_signup': ['ops@bulwark.test'],
  });
  try {
    const admin = await makeUser(hub, 'admina', 'Admin-Pass-Word-1', true);
    await hub.handle.services.database.db.updateTable('users').set({ email: 'admina@bulwark.test' }).where('id', '=', admin.id).execute();
    const c = new BrowserLikeClient(hub.url);
    await signup(c, signupFields('newbie', 'Signup-Pass-N1', { email: 'newbie@example.org' }));
    for (let i = 0; i < 100 && sink.mails.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(sink.mails.length, 1);
    const mail = sink.mails[0];
    assert.equal(mail?.from, 'hub@bulwark.test');
    assert.deepEqual([...(mail?.to ?? [])].sort(), ['admina@bulwark.test', 'ops@bulwark.test']);
    assert.match(mail?.data ?? '', /^Subject: New signup: newbie$/m);
    assert.match(mail?.data ?? '', /newbie <newbie@example\.org>/);
    assert.match(mail?.data ?? '', /\/hub\/authorize/);
  } finally {
    await hub.close();
    await sink.close();
  }
});
