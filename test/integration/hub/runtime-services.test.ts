// Runtime services (JupyterHub 5.x ServiceAPIHandler.post/delete): POST /hub/api/services/{name}
// adds an external service that is stored in the database, so a restarted hub still routes it,
// accepts its token and lets it log users in; DELETE removes it, and configured services answer
// 405. The service is Python code no one here wrote (Debian's jupyterhub.services.auth), run
// by the test as an external process.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { loadConfig } from '../../../src/config/index.js';
import { cliActor, createLogger } from '../../../src/log/index.js';
import { startHub, type HubHandle } from '../../../src/server/hub-server.js';
import { BrowserLikeClient } from '../../helpers/browser-like-client.js';
import { findFreePort } from '../../helpers/ports.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { InProcessSpawner } from './fake-spawner.js';

const script = fileURLToPath(new URL('../../fixtures/jupyterhub/whoami-service.py', import.meta.url));
const temp = makeTempDir('bulwark-rtsvc-');
const RT_TOKEN = 'rt-service-token-0123456789abcdef';
let hubPort: number;
let servicePort: number;
let handle: HubHandle | undefined;
let service: ChildProcess | undefined;
let adminToken: string;

async function start(): Promise<HubHandle> {
  const { config } = loadConfig({
    env: {},
    flags: {
      'hub.bind_url': `http://127.0.0.1:${hubPort}`,
      'hub.data_dir': temp.path,
      services: [{ name: 'fixed', url: 'http://127.0.0.1:9', api_token: 'fixed-service-token-0123456789ab' }],
      roles: [
        { name: 'service-manager', scopes: ['admin:services'], users: ['sam'] },
        { name: 'rt-users', scopes: ['access:services!service=rt'], users: ['wanda'] },
        // Roles may name a service that is added later at runtime (load_roles does the same).
        { name: 'rt-service', scopes: ['list:users', 'read:users:name'], services: ['rt'] },
      ],
    },
  });
  const level = (process.env['BULWARK_TEST_LOG'] ?? 'silent') as 'silent';
  handle = await startHub(config, { logger: createLogger({ level, pretty: false }), spawner: new InProcessSpawner() });
  // fetch may hold a kept-alive socket to the previous hub on the same port; the first request drops it.
  await waitFor('the hub API', async () => ((await api('/hub/api/', undefined)).ok ? true : undefined));
  return handle;
}

async function stop(): Promise<void> {
  await handle?.close({ stopServers: true });
  handle = undefined;
}

function api(path: string, token: string | undefined, init: { method?: string; json?: unknown } = {}): Promise<Response> {
  const headers: Record<string, string> = token ? { authorization: `token ${token}` } : {};
  if (init.json !== undefined) headers['content-type'] = 'application/json';
  return fetch(`http://127.0.0.1:${hubPort}${path}`, {
    method: init.method ?? 'GET',
    headers,
    ...(init.json !== undefined ? { body: JSON.stringify(init.json) } : {}),
  });
}

async function expectError(response: Response, status: number, message: RegExp): Promise<void> {
  const body = (await response.json()) as { status: number; message: string };
  assert.equal(response.status, status, body.message);
  assert.equal(body.status, status);
  assert.match(body.message, message);
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function apiCheck(): Promise<{ me: Record<string, unknown> } | undefined> {
  const response = await fetch(`http://127.0.0.1:${hubPort}/services/rt/api-check`);
  return response.status === 200 ? ((await response.json()) as { me: Record<string, unknown> }) : undefined;
}

before(async () => {
  hubPort = await findFreePort();
  servicePort = await findFreePort();
  const hub = await start();
  const { users, tokens } = hub.services;
  const root = await users.create({ name: 'root', admin: true, authorized: true }, cliActor);
  await users.create({ name: 'sam', authorized: true }, cliActor);
  await users.create({ name: 'wanda', password: 'wanda-password-1', authorized: true }, cliActor);
  adminToken = (await tokens.create({ owner: root, note: 'test' }, cliActor)).token;
});

after(async () => {
  service?.kill('SIGTERM');
  await stop();
  temp.remove();
});

test('POST /services/{name}: admin:services is needed; bad data, managed services and unheld scopes are refused', async () => {
  const hub = handle!;
  const ann = await hub.services.users.create({ name: 'ann', authorized: true }, cliActor);
  const annToken = (await hub.services.tokens.create({ owner: ann, note: 'test' }, cliActor)).token;
  const sam = await hub.services.users.get('sam');
  const samToken = (await hub.services.tokens.create({ owner: sam!, note: 'test' }, cliActor)).token;

  await expectError(await api('/hub/api/services/rt', annToken, { method: 'POST', json: { url: 'http://127.0.0.1:1' } }), 403, /admin:services/);
  await expectError(await api('/hub/api/services/rt', adminToken, { method: 'POST', json: {} }), 400, /^Invalid service data$/);
  await expectError(await api('/hub/api/services/rt', adminToken, { method: 'POST', json: [1] }), 400, /Invalid service data/);
  await expectError(await api('/hub/api/services/rt', adminToken, { method: 'POST', json: { url: 'http://x', colour: 'red' } }), 400, /Invalid service data/);
  await expectError(await api('/hub/api/services/rt', adminToken, { method: 'POST', json: { url: 'not a url' } }), 400, /Invalid service data: url/);
  await expectError(await api('/hub/api/services/rt', adminToken, { method: 'POST', json: { url: 'javascript:alert(1)' } }), 400, /http or https/);
  await expectError(await api('/hub/api/services/rt', adminToken, { method: 'POST', json: { command: ['/bin/true'] } }), 400, /^Can not create managed service rt at runtime$/);
  await expectError(await api('/hub/api/services/fixed', adminToken, { method: 'POST', json: { url: 'http://127.0.0.1:1' } }), 409, /^Service fixed already exists$/);
  await expectError(
    await api('/hub/api/services/rt', adminToken, { method: 'POST', json: { url: 'http://127.0.0.1:1', api_token: 'fixed-service-token-0123456789ab' } }),
    400,
    /already in use/,
  );
  await expectError(
    await api('/hub/api/services/rt', adminToken, { method: 'POST', json: { url: 'http://127.0.0.1:1', oauth_client_id: 'jupyterhub-user-wanda' } }),
    400,
    /must start with 'service-'/,
  );
  await expectError(
    await api('/hub/api/services/rt', adminToken, { method: 'POST', json: { url: 'http://127.0.0.1:1', api_token: 'another-token-0123456789abcdef', oauth_client_id: 'service-fixed' } }),
    409,
    /OAuth client service-fixed already exists/,
  );
  // sam may manage services but is no admin: an admin service, or OAuth scopes sam lacks, are not his to give.
  await expectError(await api('/hub/api/services/rt', samToken, { method: 'POST', json: { url: 'http://127.0.0.1:1', admin: true } }), 400, /^Not assigning requested scopes .*admin:users.* not held by User sam$/);
  await expectError(
    await api('/hub/api/services/rt', samToken, { method: 'POST', json: { url: 'http://127.0.0.1:1', oauth_client_allowed_scopes: ['read:users'] } }),
    400,
    /Not assigning requested scopes read:users/,
  );
  const bySam = await api('/hub/api/services/samsvc', samToken, { method: 'POST', json: { url: 'http://127.0.0.1:1' } });
  assert.equal(bySam.status, 201);
  assert.equal((await api('/hub/api/services/samsvc', samToken, { method: 'DELETE' })).status, 200);
  assert.equal((await api('/hub/api/services/rt', adminToken)).status, 404, 'nothing was created by the refused requests');

  // Two requests for one name at the same moment: exactly one wins.
  const twins = await Promise.all([1, 2].map((port) => api('/hub/api/services/twin', adminToken, { method: 'POST', json: { url: `http://127.0.0.1:${port}` } })));
  assert.deepEqual(twins.map((response) => response.status).sort(), [201, 409]);
  assert.equal((await api('/hub/api/services/twin', adminToken, { method: 'DELETE' })).status, 200);
});

test('an added service is routed, its token works, it logs users in with OAuth, and all of that survives a restart', async () => {
  const created = await api('/hub/api/services/rt', adminToken, {
    method: 'POST',
    json: { name: 'ignored', url: `http://127.0.0.1:${servicePort}`, api_token: RT_TOKEN, info: { team: 'data' } },
  });
  assert.equal(created.status, 201);
  const model = (await created.json()) as Record<string, unknown>;
  assert.equal(model['name'], 'rt', 'the name comes from the path');
  assert.equal(model['kind'], 'service');
  assert.equal(model['admin'], false);
  assert.equal(model['url'], `http://127.0.0.1:${servicePort}`);
  assert.equal(model['prefix'], '/services/rt/');
  assert.deepEqual(model['info'], { team: 'data' });
  assert.equal(model['api_token'], undefined, 'the token is never echoed');
  assert.ok('rt' in ((await (await api('/hub/api/services', adminToken)).json()) as Record<string, unknown>));

  service = spawn('/usr/bin/python3', [script], {
    env: {
      PATH: '/usr/bin:/bin',
      JUPYTERHUB_SERVICE_NAME: 'rt',
      JUPYTERHUB_API_TOKEN: RT_TOKEN,
      JUPYTERHUB_API_URL: `http://127.0.0.1:${hubPort}/hub/api`,
      JUPYTERHUB_BASE_URL: '/',
      JUPYTERHUB_CLIENT_ID: 'service-rt',
      JUPYTERHUB_SERVICE_PREFIX: '/services/rt/',
      JUPYTERHUB_SERVICE_URL: `http://127.0.0.1:${servicePort}`,
      JUPYTERHUB_OAUTH_CALLBACK_URL: '/services/rt/oauth_callback',
    },
    stdio: ['ignore', 'ignore', process.env['BULWARK_TEST_LOG'] ? 'inherit' : 'ignore'],
  });
  const first = await waitFor('the service behind /services/rt/', apiCheck);
  assert.equal(first.me['kind'], 'service');
  assert.equal(first.me['name'], 'rt');

  await stop();
  await start();

  const again = await waitFor('the service after the hub restarted', apiCheck);
  assert.equal(again.me['name'], 'rt', "the stored token hash still authenticates the service's calls");
  const stored = (await (await api('/hub/api/services/rt', adminToken)).json()) as Record<string, unknown>;
  assert.deepEqual(stored['info'], { team: 'data' });
  assert.equal(stored['url'], `http://127.0.0.1:${servicePort}`);

  const wanda = new BrowserLikeClient(`http://127.0.0.1:${hubPort}`);
  await wanda.submitForm('/hub/login', '/hub/login', { username: 'wanda', password: 'wanda-password-1' });
  const page = await wanda.request('/services/rt/', { headers: { accept: 'application/json' } });
  assert.equal(page.status, 200, page.hops.join(' -> '));
  assert.ok(page.hops.some((hop) => hop.startsWith('/hub/api/oauth2/authorize?client_id=service-rt')), page.hops.join(' '));
  assert.equal((JSON.parse(page.body) as { name: string }).name, 'wanda');
});

test('DELETE: configured services answer 405, unknown 404; a runtime service is gone for good', async () => {
  await expectError(await api('/hub/api/services/fixed', adminToken, { method: 'DELETE' }), 405, /^Service fixed is not modifiable at runtime$/);
  await expectError(await api('/hub/api/services/nope', adminToken, { method: 'DELETE' }), 404, /^Service nope does not exist$/);

  const removed = await api('/hub/api/services/rt', adminToken, { method: 'DELETE' });
  assert.equal(removed.status, 200);
  assert.equal(await removed.text(), '');
  assert.equal((await api('/hub/api/services/rt', adminToken)).status, 404);
  assert.equal((await api('/hub/api/user', RT_TOKEN)).status, 403, 'its token no longer works');
  assert.equal(await apiCheck(), undefined, 'the proxy no longer routes /services/rt/');

  await stop();
  await start();
  assert.equal((await api('/hub/api/services/rt', adminToken)).status, 404, 'still gone after a restart');
  assert.equal((await api('/hub/api/services/fixed', adminToken)).status, 200);
});
