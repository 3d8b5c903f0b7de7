// Spawns that cannot succeed must fail with a clear message (API, spawn page, audit) and leave
// nothing behind: no process, no route, no server credentials.
import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { after, test } from 'node:test';
import { cliActor } from '../../../src/log/index.js';
import { BrowserLikeClient } from '../../helpers/browser-like-client.js';
import { createOsUser, pidsOfUid, removeOsUser, type OsUser } from '../../helpers/os-users.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';

const cleanups: Array<() => Promise<void>> = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
});

async function hubWith(settings: Record<string, unknown> = {}): Promise<TestHub> {
  const hub = await startTestHub(settings);
  cleanups.push(() => hub.close());
  return hub;
}

async function osUser(options: Parameters<typeof createOsUser>[0] = {}): Promise<OsUser> {
  const user = await createOsUser(options);
  cleanups.push(() => removeOsUser(user));
  return user;
}

/** Registers the hub account, asks for a spawn over the API and returns the final answer. */
async function spawnViaApi(hub: TestHub, name: string): Promise<{ status: number; message: string; failure: string | null }> {
  const users = hub.handle.services.users;
  const user = (await users.get(name)) ?? (await users.create({ name, password: 'password-123', authorized: true }, cliActor));
  const { token } = await hub.handle.services.tokens.create({ owner: user }, cliActor);
  const response = await fetch(`${hub.url}/hub/api/users/${name}/server`, { method: 'POST', headers: { authorization: `token ${token}` } });
  const text = await response.text();
  const view = await hub.handle.servers.waitForSpawn(user, '', 60_000);
  return { status: response.status, message: text === '' ? '' : (JSON.parse(text) as { message: string }).message, failure: view?.failure ?? null };
}

async function assertNothingLeft(hub: TestHub, name: string): Promise<void> {
  assert.equal(hub.handle.routes.match(`/user/${name}/`), undefined, 'no proxy route');
  const user = await hub.handle.services.users.require(name);
  const serverTokens = (await hub.handle.services.tokens.list(name)).filter((t) => t.kind === 'server');
  assert.deepEqual(serverTokens, [], 'the server token is removed');
  assert.equal(hub.handle.servers.view(user)?.ready ?? false, false);
}

test('a hub user without an OS account: clear error on the API, the spawn page and in the audit', async () => {
  const hub = await hubWith();
  const result = await spawnViaApi(hub, 'nosuchosaccount');
  assert.equal(result.status, 500);
  assert.match(result.message, /no OS account named nosuchosaccount/);
  await assertNothingLeft(hub, 'nosuchosaccount');
  const client = new BrowserLikeClient(hub.url);
  await client.submitForm('/hub/login', '/hub/login', { username: 'nosuchosaccount', password: 'password-123' });
  const page = await client.request('/hub/spawn-pending/nosuchosaccount');
  assert.equal(page.status, 500);
  assert.match(page.body, /no OS account named nosuchosaccount/);
  const records = await hub.handle.services.audit.list({ action: 'server.spawn' });
  assert.equal(records[0]?.outcome, 'failure');
  assert.equal(records[0]?.detail['code'], 'SPAWNER_NO_OS_ACCOUNT');
});

test('an OS account without a home directory, or below min_uid, is refused before anything starts', async () => {
  const hub = await hubWith({ 'spawner.min_uid': 1000 });
  const homeless = await osUser();
  await rm(homeless.home, { recursive: true, force: true });
  const noHome = await spawnViaApi(hub, homeless.name);
  assert.equal(noHome.status, 500);
  assert.match(noHome.message, /home/i);
  assert.match(noHome.failure ?? '', new RegExp(homeless.home));
  await assertNothingLeft(hub, homeless.name);

  const system = await osUser({ uid: 950 });
  const low = await spawnViaApi(hub, system.name);
  assert.equal(low.status, 500);
  assert.match(low.message, /950/);
  assert.match(low.message, /1000/);
  await assertNothingLeft(hub, system.name);
});

test('a spawner.cmd that does not exist fails with its name', async () => {
  const hub = await hubWith({ 'spawner.cmd': ['/opt/nowhere/jupyterhub-singleuser'] });
  const user = await osUser();
  const result = await spawnViaApi(hub, user.name);
  assert.equal(result.status, 500);
  assert.match(result.message, /\/opt\/nowhere\/jupyterhub-singleuser/);
  await assertNothingLeft(hub, user.name);
});

test('a server that never becomes ready times out, is stopped, and leaves no process', async () => {
  const hub = await hubWith({ 'spawner.cmd': ['/bin/sleep', '1000'], 'spawner.http_timeout': 3, 'spawner.start_timeout': 20 });
  const user = await osUser();
  const result = await spawnViaApi(hub, user.name);
  assert.match(result.failure ?? '', /didn't respond in 3 seconds/);
  assert.deepEqual(await pidsOfUid(user.uid), [], 'no orphan process');
  await assertNothingLeft(hub, user.name);
  const progress = hub.handle.servers.progress(await hub.handle.services.users.require(user.name), '');
  assert.equal(progress?.last?.failed, true);
  assert.match(progress?.last?.message ?? '', /^Spawn failed: /);
});
