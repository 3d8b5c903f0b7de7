// `bulwark proxy` reads its route file and API token from the Bulwark config when one is given
// (--config, ./bulwark.yaml, BULWARK_* variables). Without one it skips the config loader, so this
// checks the loader path still works end to end in a real proxy process.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { findFreePort } from '../../helpers/ports.js';
import { bulwarkProxyCommand, startProxyProcess, type RunningProxy } from './bulwark-proxy-process.js';

const fileToken = 'token-from-the-config-file-0123456789';
let dir: string;
let ports: { port: number; apiPort: number };
const running: RunningProxy[] = [];

const listenArgs = () => ['--ip', '127.0.0.1', '--port', String(ports.port), '--api-ip', '127.0.0.1', '--api-port', String(ports.apiPort), '--log-level', 'warn'];

async function api(method: string, path: string, token: string | undefined, body?: object): Promise<Response> {
  return fetch(`http://127.0.0.1:${ports.apiPort}/api/routes${path}`, {
    method,
    headers: token === undefined ? {} : { authorization: `token ${token}` },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

async function start(args: readonly string[], env: Record<string, string> = {}): Promise<RunningProxy> {
  const proxy = await startProxyProcess(bulwarkProxyCommand(), [...listenArgs(), ...args], ports, env);
  running.push(proxy);
  return proxy;
}

before(async () => {
  // The token must come from the config, not from the environment this test runs in.
  assert.equal(process.env['CONFIGPROXY_AUTH_TOKEN'], undefined);
  dir = mkdtempSync(join(tmpdir(), 'bulwark-proxy-config-file-'));
  ports = { port: await findFreePort(), apiPort: await findFreePort() };
});

after(async () => {
  await Promise.all(running.map((proxy) => proxy.stop()));
  rmSync(dir, { recursive: true, force: true });
});

test('proxy.auth_token and proxy.routes_file from --config: the API wants that token, routes survive a restart', async () => {
  const routesFile = join(dir, 'routes.json');
  const config = join(dir, 'bulwark.yaml');
  writeFileSync(config, `proxy:\n  auth_token: ${fileToken}\n  routes_file: ${routesFile}\n`);

  const first = await start(['--config', config]);
  assert.equal((await api('GET', '', undefined)).status, 403);
  assert.equal((await api('GET', '', 'wrong-token')).status, 403);
  assert.equal((await api('POST', '/user/ada', fileToken, { target: 'http://127.0.0.1:9' })).status, 201);
  await first.stop();
  assert.ok(Object.keys(JSON.parse(readFileSync(routesFile, 'utf8')) as object).length > 0, 'the route file holds the route');

  await start(['--config', config]);
  const routes = (await (await api('GET', '', fileToken)).json()) as Record<string, { target: string }>;
  assert.equal(routes['/user/ada']?.target, 'http://127.0.0.1:9');
  await running.pop()?.stop();
});

test('proxy.auth_token from a BULWARK_* variable', async () => {
  const envToken = 'token-from-the-environment-0123456789';
  const proxy = await start([], { BULWARK_PROXY__AUTH_TOKEN: envToken });
  assert.equal((await api('GET', '', undefined)).status, 403);
  assert.equal((await api('GET', '', envToken)).status, 200);
  await proxy.stop();
});

test('a --log-level the config does not know is still the config error, exit 2', async () => {
  const [file = '', ...rest] = bulwarkProxyCommand();
  const child = spawn(file, [...rest, ...listenArgs().slice(0, -2), '--log-level', 'verbose'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  assert.equal(code, 2, stderr);
  assert.match(stderr, /invalid configuration[\s\S]*log\.level/);
});
