// proxy.mode: external — Bulwark's hub drives `bulwark proxy` through the CHP REST API. Users'
// connections go through the proxy process, so restarting the hub leaves an open kernel WebSocket
// alone, and a restarted proxy gets every route back within one check interval.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { cliActor } from '../../../src/log/index.js';
import { createOsUser, removeOsUser, type OsUser } from '../../helpers/os-users.js';
import { findFreePort } from '../../helpers/ports.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';
import { bulwarkProxyCommand, startProxyProcess, type RunningProxy } from './bulwark-proxy-process.js';
import { openKernelChannel, type KernelChannel } from './kernel-channel.js';

const authToken = 'external-proxy-test-token-0123456789';
const checkInterval = 2;
let user: OsUser;
let proxy: RunningProxy | undefined;
let ports: { port: number; apiPort: number };
let hubPort: number;
const hubs: TestHub[] = [];
let kernel: KernelChannel | undefined;

const proxyUrl = () => `http://127.0.0.1:${ports.port}`;
const apiUrl = () => `http://127.0.0.1:${ports.apiPort}`;

async function startProxy(): Promise<RunningProxy> {
  const args = ['--ip', '127.0.0.1', '--port', String(ports.port), '--api-ip', '127.0.0.1', '--api-port', String(ports.apiPort), '--log-level', 'warn'];
  return startProxyProcess(bulwarkProxyCommand(), args, ports, { CONFIGPROXY_AUTH_TOKEN: authToken });
}

async function startHub(dataDir?: string): Promise<TestHub> {
  const hub = await startTestHub({
    'hub.bind_url': `http://127.0.0.1:${hubPort}`,
    ...(dataDir === undefined ? {} : { 'hub.data_dir': dataDir }),
    'proxy.mode': 'external',
    'proxy.api_url': apiUrl(),
    'proxy.auth_token': authToken,
    'proxy.check_routes_interval': checkInterval,
    'spawner.cleanup_servers': false,
  });
  hubs.push(hub);
  return hub;
}

async function proxyRoutes(): Promise<Record<string, { target: string; user?: string }>> {
  const response = await fetch(`${apiUrl()}/api/routes`, { headers: { authorization: `token ${authToken}` } });
  return (await response.json()) as Record<string, { target: string; user?: string }>;
}

async function statusThroughProxy(token: string): Promise<number> {
  const response = await fetch(`${proxyUrl()}/user/${user.name}/api/status`, { headers: { authorization: `token ${token}` } });
  await response.arrayBuffer();
  return response.status;
}

before(async () => {
  user = await createOsUser();
  ports = { port: await findFreePort(), apiPort: await findFreePort() };
  hubPort = await findFreePort();
  proxy = await startProxy();
});

after(async () => {
  await kernel?.close().catch(() => undefined);
  // The last hub stops the server; earlier ones only remove their temporary directories.
  for (const hub of hubs.reverse()) await hub.close().catch(() => undefined);
  await proxy?.stop();
  if (user !== undefined) await removeOsUser(user);
});

test('hub restart keeps the kernel WebSocket open; proxy restart gets its routes back', async () => {
  const first = await startHub();
  // The hub pushes its routes to the proxy asynchronously after start-up; wait for the default one.
  const routeDeadline = Date.now() + 5000;
  while ((await proxyRoutes())['/'] === undefined && Date.now() < routeDeadline) await new Promise((r) => setTimeout(r, 50));
  const routes = await proxyRoutes();
  assert.equal(routes['/']?.target, first.url, 'the hub adds its own default route');

  const users = first.handle.services.users;
  const account = await users.create({ name: user.name, password: 'password-123', authorized: true }, cliActor);
  const { token } = await first.handle.services.tokens.create({ owner: account }, cliActor);
  const spawn = await fetch(`${proxyUrl()}/hub/api/users/${user.name}/server`, { method: 'POST', headers: { authorization: `token ${token}` } });
  assert.ok(spawn.status === 201 || spawn.status === 202, `spawn through the proxy: ${spawn.status}`);
  const view = await first.handle.servers.waitForSpawn(account, '', 60_000);
  assert.equal(view?.ready, true, `server ready (${view?.failure ?? ''})`);
  const deadline = Date.now() + 5000;
  while ((await proxyRoutes())[`/user/${user.name}`] === undefined && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  assert.equal((await proxyRoutes())[`/user/${user.name}`]?.user, user.name, 'the user route reached the proxy');
  assert.equal(await statusThroughProxy(token), 200);

  kernel = await openKernelChannel(proxyUrl(), `/user/${user.name}/`, token);
  assert.equal((await kernel.execute('print(6 * 7)')).trim(), '42');

  // Hub restart: the old hub goes away without stopping servers; a new one adopts them from the DB.
  await first.handle.close({ stopServers: false });
  assert.equal((await kernel.execute('print("hub down")')).trim(), 'hub down', 'kernel traffic flows while the hub is down');
  const second = await startHub(first.dataDir);
  assert.equal(second.handle.servers.view(account, '')?.ready, true, 'the new hub re-adopted the running server');
  assert.equal((await kernel.execute('print("hub back")')).trim(), 'hub back', 'the same WebSocket still works');
  assert.equal(await statusThroughProxy(token), 200);
  assert.equal((await proxyRoutes())[`/user/${user.name}`]?.user, user.name);

  // Proxy restart: an empty table until the hub's next check puts the routes back.
  await kernel.close();
  kernel = undefined;
  await proxy?.stop();
  proxy = await startProxy();
  const restarted = Date.now();
  assert.equal((await proxyRoutes())[`/user/${user.name}`], undefined, 'a fresh proxy starts empty');
  while ((await proxyRoutes())[`/user/${user.name}`] === undefined) {
    assert.ok(Date.now() - restarted < (checkInterval + 2) * 1000, 'routes came back within one check interval');
    await new Promise((r) => setTimeout(r, 100));
  }
  const back = Date.now() - restarted;
  assert.ok(back <= checkInterval * 1000 + 500, `routes back after ${back} ms (interval ${checkInterval} s)`);
  assert.equal((await proxyRoutes())['/']?.target, second.url);
  assert.equal(await statusThroughProxy(token), 200);
});
