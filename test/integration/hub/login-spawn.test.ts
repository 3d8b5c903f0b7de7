// The hub's first vertical slice over plain HTTP (no browser): native signup and authorization,
// login, spawn of the real jupyterhub-singleuser under a real Linux account, OAuth through the
// embedded proxy, the REST endpoints, and the audit trail.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { cliActor } from '../../../src/log/index.js';
import { BrowserLikeClient } from '../../helpers/browser-like-client.js';
import { createOsUser, pidsOfUid, removeOsUser, type OsUser } from '../../helpers/os-users.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';

let hub: TestHub;
let alice: OsUser;
let bob: OsUser;
const adminName = 'hubadmin';

before(async () => {
  alice = await createOsUser({ supplementaryGroup: true });
  bob = await createOsUser();
  hub = await startTestHub({
    'authenticator.native.allowed_failed_logins': 3,
    'authenticator.native.seconds_before_next_try': 600,
  });
});

after(async () => {
  await hub?.close();
  if (alice) await removeOsUser(alice);
  if (bob) await removeOsUser(bob);
});

async function signup(client: BrowserLikeClient, name: string, password: string) {
  return client.submitForm('/hub/signup', '/hub/signup', {
    username: name,
    signup_password: password,
    signup_password_confirmation: password,
  });
}

async function login(client: BrowserLikeClient, name: string, password: string, next = '/hub/home') {
  return client.submitForm(`/hub/login?next=${encodeURIComponent(next)}`, `/hub/login?next=${encodeURIComponent(next)}`, { username: name, password });
}

async function apiToken(name: string): Promise<string> {
  const owner = await hub.handle.services.users.require(name);
  return (await hub.handle.services.tokens.create({ owner, note: 'test' }, cliActor)).token;
}

async function api(path: string, token: string, init: RequestInit = {}) {
  return fetch(`${hub.url}${path}`, { ...init, headers: { authorization: `token ${token}`, ...(init.headers ?? {}) } });
}

test('signup, authorization by an admin, login, spawn, OAuth and the notebook through the proxy', async () => {
  const admin = new BrowserLikeClient(hub.url);
  // The first admin comes from the CLI's code path (never from racing to sign up an admin name).
  await hub.handle.services.users.create({ name: adminName, password: 'admin-password-1', admin: true, authorized: true }, cliActor);

  const a = new BrowserLikeClient(hub.url);
  const pending = await signup(a, alice.name, 'alice-password-1');
  assert.match(pending.body, /waiting for an administrator/);

  const refused = await login(a, alice.name, 'alice-password-1');
  assert.equal(refused.status, 403, 'an account waiting for authorization cannot log in');
  assert.match(refused.body, /Invalid username or password/);
  const wrong = await login(a, 'no-such-user', 'whatever-password');
  assert.equal(wrong.status, 403);
  assert.match(wrong.body, /Invalid username or password/, 'the same message whatever the reason');

  await login(admin, adminName, 'admin-password-1');
  const list = await admin.request('/hub/authorize');
  assert.equal(list.status, 200);
  assert.match(list.body, new RegExp(`data-user="${alice.name}"`));
  const authorized = await admin.request(`/hub/authorize/${alice.name}`, {
    form: { _xsrf: BrowserLikeClient.xsrfFrom(list.body), action: 'authorize' },
  });
  assert.equal(authorized.url, '/hub/authorize');
  assert.equal((await hub.handle.services.users.require(alice.name)).authorized, true);

  const home = await login(a, alice.name, 'alice-password-1');
  assert.equal(home.url, '/hub/home');
  assert.match(home.body, /id="start"/);
  assert.ok(a.cookie('jupyterhub-session-id'), 'the session id cookie single-user servers read is set');

  const spawned = await a.request('/hub/spawn', { form: { _xsrf: BrowserLikeClient.xsrfFrom(home.body) } });
  assert.ok(spawned.hops.some((hop) => hop.startsWith(`/hub/spawn-pending/${alice.name}`)), spawned.hops.join(' '));
  const view = await hub.handle.servers.waitForSpawn(await hub.handle.services.users.require(alice.name), '', 60_000);
  assert.equal(view?.ready, true, `spawn failed: ${view?.failure ?? 'still pending'}`);

  const tree = await a.request(`/user/${alice.name}/tree`);
  assert.equal(tree.status, 200);
  assert.match(tree.body, /Home Page - Select or create a notebook/);
  assert.ok(tree.hops.some((hop) => hop.startsWith('/hub/api/oauth2/authorize?client_id=jupyterhub-user-')), tree.hops.join(' '));
  assert.ok(tree.hops.some((hop) => hop.startsWith(`/user/${alice.name}/oauth_callback?code=`)), tree.hops.join(' '));
  assert.equal(a.cookie('jupyterhub-hub-login') !== undefined, true);

  const status = await a.request(`/user/${alice.name}/api/status`, { headers: { accept: 'application/json' } });
  assert.equal(status.status, 200);
  assert.ok('kernels' in (JSON.parse(status.body) as object));

  // The process runs as alice: uid, gid and the supplementary group.
  const pid = view?.state?.pid ?? 0;
  const procStatus = await import('node:fs/promises').then((fs) => fs.readFile(`/proc/${pid}/status`, 'utf8'));
  assert.match(procStatus, new RegExp(`^Uid:\\s+${alice.uid}\\s`, 'm'));
  const groups = /^Groups:\s*(.*)$/m.exec(procStatus)?.[1]?.trim().split(/\s+/).map(Number) ?? [];
  assert.ok(groups.includes(alice.supplementaryGroup?.gid ?? -1), `groups ${groups.join(',')}`);

  const records = await hub.handle.services.audit.list({ limit: 100 });
  const find = (action: string, target: string, outcome = 'success') =>
    records.find((r) => r.action === action && r.target === target && r.outcome === outcome);
  assert.ok(find('user.create', adminName));
  assert.ok(find('signup', alice.name));
  assert.ok(find('login', alice.name, 'failure'), 'failed login of a waiting account is audited');
  assert.equal(find('login', alice.name, 'failure')?.detail['reason'], 'not-authorized');
  assert.ok(find('user.authorize', alice.name)?.actor === adminName);
  assert.ok(find('login', alice.name));
  const spawnRecord = find('server.spawn', alice.name);
  assert.equal(spawnRecord?.detail['uid'], alice.uid);
  assert.equal(spawnRecord?.detail['pid'], pid);
  assert.equal(typeof spawnRecord?.detail['port'], 'number');
});

test('REST API: user model, 400 when running, token scopes, 403/404 rules, stop with 204', async () => {
  const aliceToken = await apiToken(alice.name);
  const model = (await (await api(`/hub/api/users/${alice.name}`, aliceToken)).json()) as Record<string, unknown>;
  assert.equal(model['name'], alice.name);
  assert.equal(model['server'], `/user/${alice.name}/`);
  assert.equal((model['servers'] as Record<string, { ready: boolean }>)['']?.ready, true);

  const again = await api(`/hub/api/users/${alice.name}/server`, aliceToken, { method: 'POST' });
  assert.equal(again.status, 400);
  assert.deepEqual(await again.json(), { status: 400, code: 'HUB_SERVER_ALREADY_RUNNING', message: `${alice.name} is already running` });

  const me = (await (await api('/hub/api/user', aliceToken)).json()) as { name: string; scopes: string[] };
  assert.equal(me.name, alice.name);
  assert.ok(me.scopes.includes(`access:servers!user=${alice.name}`));

  const bogus = await api('/hub/api/user', '0123456789abcdef0123456789abcdef');
  assert.equal(bogus.status, 403, 'unknown tokens get 403, never 401 or 404');

  await hub.handle.services.users.create({ name: bob.name, password: 'bob-password-1', authorized: true }, cliActor);
  const bobToken = await apiToken(bob.name);
  const hidden = await api(`/hub/api/users/${alice.name}`, bobToken);
  assert.equal(hidden.status, 404, 'a user cannot see another user');
  const stopByBob = await api(`/hub/api/users/${alice.name}/server`, bobToken, { method: 'DELETE' });
  assert.equal(stopByBob.status, 404);
  const readOnly = await hub.handle.services.tokens.create(
    { owner: await hub.handle.services.users.require(alice.name), scopes: ['read:users:name!user'] },
    cliActor,
  );
  const noScope = await api(`/hub/api/users/${alice.name}/server`, readOnly.token, { method: 'DELETE' });
  assert.equal(noScope.status, 403, 'holding none of the scopes is 403');

  const stop = await api(`/hub/api/users/${alice.name}/server`, aliceToken, { method: 'DELETE' });
  assert.equal(stop.status, 204);
  assert.deepEqual(await pidsOfUid(alice.uid), [], 'no process of alice is left');
  const after = (await (await api(`/hub/api/users/${alice.name}`, aliceToken)).json()) as Record<string, unknown>;
  assert.equal(after['server'], null);
  assert.deepEqual(after['servers'], {});
  const stopped = await fetch(`${hub.url}/user/${alice.name}/api/status`, { redirect: 'manual' });
  assert.equal(stopped.status, 302, 'a stopped server path goes to the hub');
  assert.equal(stopped.headers.get('location'), `/hub/user/${alice.name}/api/status`);
  const records = await hub.handle.services.audit.list({ limit: 100 });
  assert.ok(records.some((r) => r.action === 'server.stop' && r.target === alice.name && r.actor === alice.name));

  const restart = await api(`/hub/api/users/${alice.name}/server`, aliceToken, { method: 'POST' });
  assert.equal(restart.status, 201, 'a quick spawn answers 201');
  const stopAgain = await api(`/hub/api/users/${alice.name}/server`, aliceToken, { method: 'DELETE' });
  assert.equal(stopAgain.status, 204);
});

test('state changes need XSRF; repeated failed logins lock the account, and the lock is in the database', async () => {
  const c = new BrowserLikeClient(hub.url);
  const noToken = await c.request('/hub/login', { form: { username: bob.name, password: 'bob-password-1' }, follow: false });
  assert.equal(noToken.status, 403);
  for (let i = 0; i < 3; i++) await login(c, bob.name, 'wrong-password');
  const locked = await login(c, bob.name, 'bob-password-1');
  assert.equal(locked.status, 403, 'locked even with the right password');
  assert.match(locked.body, /Invalid username or password/);
  const row = await hub.handle.services.users.require(bob.name);
  assert.ok(row.lockedUntil !== null && row.lockedUntil > new Date().toISOString());
});

test('single-user contract: GET /hub/api without a slash, version header, activity validation', async () => {
  const info = await fetch(`${hub.url}/hub/api`);
  assert.equal(info.status, 200);
  assert.equal(info.headers.get('x-jupyterhub-version'), '3.0.0');
  assert.deepEqual(await info.json(), { version: '3.0.0' });
  for (const header of ['content-security-policy', 'x-content-type-options', 'referrer-policy']) {
    assert.ok(info.headers.get(header), header);
  }
  assert.match(info.headers.get('content-security-policy') ?? '', /frame-ancestors 'none'/);
  const token = await apiToken(alice.name);
  const bad = await api(`/hub/api/users/${alice.name}/activity`, token, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ servers: { '': 'yesterday' } }),
  });
  assert.equal(bad.status, 400);
  const future = await api(`/hub/api/users/${alice.name}/activity`, token, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ last_activity: new Date(Date.now() + 2 * 3600_000).toISOString() }),
  });
  assert.equal(future.status, 400);
  assert.match(((await future.json()) as { message: string }).message, /more than an hour in the future/);
});
