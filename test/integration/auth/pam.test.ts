// authenticator.class pam: system passwords through PAM (python3-pam helper), with the hub as root.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';
import { BrowserLikeClient } from '../../helpers/browser-like-client.js';
import { createOsUser, removeOsUser, type OsUser } from '../../helpers/os-users.js';
import { login, startAuthHub, type AuthHub } from './auth-hub.js';

const run = promisify(execFile);
let hub: AuthHub;
let user: OsUser;

before(async () => {
  user = await createOsUser({ password: true });
  hub = await startAuthHub({ 'authenticator.class': 'pam', 'authenticator.allow_all': true, 'authenticator.native.allowed_failed_logins_per_address': 0 });
});
after(async () => {
  await hub?.close();
  if (user) await removeOsUser(user);
});

test('a system account logs in with its system password; a wrong one is refused', async () => {
  assert.ok(user.password);
  assert.equal((await login(new BrowserLikeClient(hub.url), user.name, 'not-the-password')).status, 403);
  assert.equal((await login(new BrowserLikeClient(hub.url), 'nosuchsystemuser', 'whatever')).status, 403);
  assert.equal((await login(new BrowserLikeClient(hub.url), user.name, user.password)).url, '/hub/spawn');
  assert.equal((await hub.handle.services.users.require(user.name)).hasPassword, false, 'no password is copied into the hub');
});

test('an expired system password is reported as "change it with passwd"', async () => {
  await run('chage', ['-d', '0', user.name]);
  const response = await login(new BrowserLikeClient(hub.url), user.name, user.password ?? '');
  assert.equal(response.status, 403);
  assert.match(response.body, /Your password has expired: change it with passwd/);
});
