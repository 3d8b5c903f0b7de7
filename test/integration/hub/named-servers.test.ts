// Named servers with the real jupyterhub-singleuser under a real Linux account: started through
// the REST API, reached at /user/<name>/<server>/ through the proxy after OAuth with the named
// server's own client, and stopped and removed.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { cliActor } from '../../../src/log/index.js';
import { BrowserLikeClient } from '../../helpers/browser-like-client.js';
import { createOsUser, pidsOfUid, removeOsUser, type OsUser } from '../../helpers/os-users.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';

let hub: TestHub;
let carol: OsUser;

before(async () => {
  carol = await createOsUser();
  hub = await startTestHub({ 'hub.allow_named_servers': true, 'hub.named_server_limit_per_user': 1 });
  await hub.handle.services.users.create({ name: carol.name, password: 'carol-password-1', authorized: true }, cliActor);
});

after(async () => {
  await hub?.close();
  if (carol) await removeOsUser(carol);
});

test('a named server runs the real jupyterhub-singleuser at /user/<name>/<server>/', async () => {
  const owner = await hub.handle.services.users.require(carol.name);
  const { token } = await hub.handle.services.tokens.create({ owner, note: 'test' }, cliActor);
  const api = (path: string, init: RequestInit = {}) => fetch(`${hub.url}/hub/api${path}`, { ...init, headers: { authorization: `token ${token}` } });

  const started = await api(`/users/${carol.name}/servers/lab`, { method: 'POST' });
  assert.ok([201, 202].includes(started.status), await started.text());
  const view = await hub.handle.servers.waitForSpawn(owner, 'lab', 60_000);
  assert.equal(view?.ready, true, `spawn failed: ${view?.failure ?? 'still pending'}`);
  const limit = await api(`/users/${carol.name}/servers/other`, { method: 'POST' });
  assert.equal(limit.status, 400, 'named_server_limit_per_user is 1');

  const browser = new BrowserLikeClient(hub.url);
  await browser.submitForm('/hub/login', '/hub/login', { username: carol.name, password: 'carol-password-1' });
  const tree = await browser.request(`/user/${carol.name}/lab/tree`);
  assert.equal(tree.status, 200, tree.hops.join(' -> '));
  assert.ok(tree.hops.some((hop) => hop.startsWith(`/hub/api/oauth2/authorize?client_id=jupyterhub-user-${carol.name}-lab`)), tree.hops.join(' '));
  assert.ok(tree.hops.some((hop) => hop.startsWith(`/user/${carol.name}/lab/oauth_callback?code=`)), tree.hops.join(' '));
  const status = await browser.request(`/user/${carol.name}/lab/api/status`, { headers: { accept: 'application/json' } });
  assert.equal(status.status, 200);

  const model = (await (await api(`/users/${carol.name}`)).json()) as { server: string | null; servers: Record<string, { url: string; ready: boolean }> };
  assert.equal(model.server, null, 'the default server is not running');
  assert.equal(model.servers['lab']?.url, `/user/${carol.name}/lab/`);
  assert.equal(model.servers['lab']?.ready, true);

  const stop = await api(`/users/${carol.name}/servers/lab`, { method: 'DELETE', body: JSON.stringify({ remove: true }) });
  assert.equal(stop.status, 204);
  assert.deepEqual(await pidsOfUid(carol.uid), [], 'no process of the user is left');
  const gone = (await (await api(`/users/${carol.name}?include_stopped_servers`)).json()) as { servers: Record<string, unknown> };
  assert.deepEqual(gone.servers, {}, 'remove forgets the named server');
  const stopped = await browser.request(`/user/${carol.name}/lab/tree`);
  assert.notEqual(stopped.status, 200, 'a stopped named server is not reachable');
});
