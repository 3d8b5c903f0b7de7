// Bulwark's hub side by side with the real JupyterHub 3.0 (Debian, with configurable-http-proxy),
// in one run on 127.0.0.1: start-up time, hub memory, token-authenticated REST throughput,
// spawn-to-ready time of the real jupyterhub-singleuser, and requests through each proxy to it.
// Needs root (servers run as a throwaway Linux user). Run: node --import tsx bench/hub/hub-vs-jupyterhub.ts
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOsUser, removeOsUser } from '../../test/helpers/os-users.js';
import { findFreePort } from '../../test/helpers/ports.js';
import { runLoad, treeRssMiB, waitFor, type LoadResult } from '../lib/http-load.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const seconds = Number(process.env['BENCH_SECONDS'] ?? 5);
const concurrency = Number(process.env['BENCH_CONCURRENCY'] ?? 8);
const spawnRounds = Number(process.env['BENCH_SPAWNS'] ?? 3);
const notebookEnv = { JUPYTERHUB_SINGLEUSER_APP: 'notebook.notebookapp.NotebookApp' };

interface System {
  name: string;
  url: string;
  token: string;
  process: ChildProcess;
  startupMs: number;
}

interface Row {
  system: string;
  startupMs: number;
  hubRssMiB: number;
  api: LoadResult;
  spawnMs: number;
  proxied: LoadResult;
}

async function ok(url: string, token?: string): Promise<boolean> {
  const response = await fetch(url, token ? { headers: { authorization: `token ${token}` } } : {});
  await response.arrayBuffer();
  return response.ok;
}

function run(command: string, args: string[], env: Record<string, string>, cwd: string): ChildProcess {
  return spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
}

async function runCli(args: string[], cwd: string, input = ''): Promise<string> {
  const child = spawn(process.execPath, [join(repo, 'bin/bulwark'), ...args], { cwd });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stdin.end(input);
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`bulwark ${args.join(' ')} exited ${code}`);
  return out.trim();
}

async function startBulwark(dir: string, user: string): Promise<System> {
  const port = await findFreePort();
  await runCli(['user', 'add', user, '--no-password'], dir);
  await runCli(['user', 'set-admin', user], dir);
  const token = await runCli(['token', 'create', user], dir);
  const begin = performance.now();
  const child = run(process.execPath, [join(repo, 'bin/bulwark'), 'hub', '--bind-url', `http://127.0.0.1:${port}`, '--log-level', 'warn'], {
    BULWARK_SPAWNER__ENVIRONMENT: JSON.stringify(notebookEnv),
    BULWARK_SPAWNER__CLEANUP_SERVERS: 'true',
  }, dir);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(() => ok(`${url}/hub/api`), 30_000, 'Bulwark to answer');
  return { name: 'Bulwark', url, token, process: child, startupMs: performance.now() - begin };
}

function chpCommand(): { command: string; env: Record<string, string> } {
  const npmChp = join(repo, '.tmp/chp/node_modules/.bin/configurable-http-proxy');
  if (existsSync(npmChp)) return { command: npmChp, env: {} };
  if (existsSync('/usr/bin/configurable-http-proxy')) return { command: '/usr/bin/configurable-http-proxy', env: { NODE_PATH: '/usr/share/nodejs' } };
  throw new Error('configurable-http-proxy not found: run scripts/setup.sh --test');
}

async function startJupyterHub(dir: string, user: string): Promise<System> {
  if (!existsSync('/usr/lib/python3/dist-packages/jupyterhub')) throw new Error('Debian jupyterhub missing: run scripts/setup.sh');
  const port = await findFreePort();
  const hubPort = await findFreePort();
  const apiPort = await findFreePort();
  const token = randomBytes(16).toString('hex');
  const chp = chpCommand();
  writeFileSync(
    join(dir, 'jupyterhub_config.py'),
    [
      `c.JupyterHub.bind_url = 'http://127.0.0.1:${port}'`,
      `c.JupyterHub.hub_ip = '127.0.0.1'`,
      `c.JupyterHub.hub_port = ${hubPort}`,
      `c.ConfigurableHTTPProxy.api_url = 'http://127.0.0.1:${apiPort}'`,
      `c.ConfigurableHTTPProxy.command = ['${chp.command}']`,
      `c.JupyterHub.authenticator_class = 'dummy'`,
      `c.Authenticator.allowed_users = {'${user}'}`,
      `c.Authenticator.admin_users = {'${user}'}`,
      `c.JupyterHub.db_url = 'sqlite:///${dir}/jupyterhub.sqlite'`,
      `c.JupyterHub.cookie_secret_file = '${dir}/cookie_secret'`,
      `c.JupyterHub.services = [{'name': 'bench', 'api_token': '${token}'}]`,
      `c.JupyterHub.load_roles = [{'name': 'bench', 'scopes': ['admin:users', 'admin:servers', 'access:servers'], 'services': ['bench']}]`,
      `c.Spawner.environment = ${JSON.stringify(notebookEnv)}`,
      `c.JupyterHub.log_level = 'WARN'`,
    ].join('\n'),
  );
  const begin = performance.now();
  const child = run('/usr/bin/python3', ['-m', 'jupyterhub', '-f', join(dir, 'jupyterhub_config.py')], chp.env, dir);
  const url = `http://127.0.0.1:${port}`;
  await waitFor(() => ok(`${url}/hub/api`), 60_000, 'JupyterHub to answer');
  // The user must exist before the API can spawn for it.
  await fetch(`${url}/hub/api/users/${user}`, { method: 'POST', headers: { authorization: `token ${token}` } });
  return { name: 'JupyterHub 3.0 + CHP', url, token, process: child, startupMs: performance.now() - begin };
}

async function spawnOnce(system: System, user: string): Promise<number> {
  const auth = { authorization: `token ${system.token}` };
  const begin = performance.now();
  const started = await fetch(`${system.url}/hub/api/users/${user}/server`, { method: 'POST', headers: auth });
  if (started.status !== 201 && started.status !== 202) throw new Error(`${system.name} spawn: ${started.status} ${await started.text()}`);
  await waitFor(async () => {
    const model = (await (await fetch(`${system.url}/hub/api/users/${user}`, { headers: auth })).json()) as { server: string | null };
    return model.server !== null;
  }, 60_000, `${system.name} server ready`);
  return performance.now() - begin;
}

async function stopServer(system: System, user: string): Promise<void> {
  const auth = { authorization: `token ${system.token}` };
  await fetch(`${system.url}/hub/api/users/${user}/server`, { method: 'DELETE', headers: auth });
  await waitFor(async () => {
    const model = (await (await fetch(`${system.url}/hub/api/users/${user}`, { headers: auth })).json()) as { server: string | null; pending: string | null };
    return model.server === null && model.pending === null;
  }, 30_000, `${system.name} server stopped`);
}

async function measure(system: System, user: string): Promise<Row> {
  const hubRssMiB = await treeRssMiB(system.process.pid ?? 0);
  const headers = { authorization: `token ${system.token}` };
  const api = await runLoad({ url: `${system.url}/hub/api/users/${user}`, headers, concurrency, seconds });
  const spawns: number[] = [];
  for (let round = 0; round < spawnRounds; round++) {
    spawns.push(await spawnOnce(system, user));
    if (round < spawnRounds - 1) await stopServer(system, user);
  }
  spawns.sort((a, b) => a - b);
  await runLoad({ url: `${system.url}/user/${user}/api/status`, headers, concurrency: 1, seconds: 1 });
  const proxied = await runLoad({ url: `${system.url}/user/${user}/api/status`, headers, concurrency, seconds });
  await stopServer(system, user);
  return { system: system.name, startupMs: system.startupMs, hubRssMiB, api, spawnMs: spawns[Math.floor(spawns.length / 2)] ?? 0, proxied };
}

async function stop(system: System | undefined): Promise<void> {
  if (!system?.process.pid) return;
  try {
    process.kill(-system.process.pid, 'SIGTERM');
  } catch {
    return;
  }
  await new Promise((resolve) => setTimeout(resolve, 2000));
  try {
    process.kill(-system.process.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

function table(rows: Row[]): string {
  const [ours, theirs] = rows;
  const ratio = (a: number, b: number) => (b === 0 ? 'n/a' : `${(a / b).toFixed(2)}×`);
  const lines = [
    `| measure | ${rows.map((r) => r.system).join(' | ')} | Bulwark ÷ JupyterHub |`,
    '|---|---|---|---|',
    `| start-up to /hub/api (ms) | ${rows.map((r) => r.startupMs.toFixed(0)).join(' | ')} | ${ratio(ours?.startupMs ?? 0, theirs?.startupMs ?? 0)} |`,
    `| hub memory, RSS with its proxy (MiB) | ${rows.map((r) => r.hubRssMiB.toFixed(0)).join(' | ')} | ${ratio(ours?.hubRssMiB ?? 0, theirs?.hubRssMiB ?? 0)} |`,
    `| GET /hub/api/users/{name} (req/s, ${concurrency} conns) | ${rows.map((r) => r.api.perSecond.toFixed(0)).join(' | ')} | ${ratio(ours?.api.perSecond ?? 0, theirs?.api.perSecond ?? 0)} |`,
    `| … p50 / p99 latency (ms) | ${rows.map((r) => `${r.api.p50ms.toFixed(1)} / ${r.api.p99ms.toFixed(1)}`).join(' | ')} | |`,
    `| spawn to ready, median of ${spawnRounds} (ms) | ${rows.map((r) => r.spawnMs.toFixed(0)).join(' | ')} | ${ratio(ours?.spawnMs ?? 0, theirs?.spawnMs ?? 0)} |`,
    `| GET /user/{name}/api/status through the proxy (req/s) | ${rows.map((r) => r.proxied.perSecond.toFixed(0)).join(' | ')} | ${ratio(ours?.proxied.perSecond ?? 0, theirs?.proxied.perSecond ?? 0)} |`,
    `| … p50 / p99 latency (ms) | ${rows.map((r) => `${r.proxied.p50ms.toFixed(1)} / ${r.proxied.p99ms.toFixed(1)}`).join(' | ')} | |`,
    `| errors (API / proxied) | ${rows.map((r) => `${r.api.errors} / ${r.proxied.errors}`).join(' | ')} | |`,
  ];
  return lines.join('\n');
}

const user = await createOsUser();
const dirs = [mkdtempSync(join(tmpdir(), 'bench-bulwark-')), mkdtempSync(join(tmpdir(), 'bench-jupyterhub-'))];
let bulwark: System | undefined;
let jupyterhub: System | undefined;
try {
  const rows: Row[] = [];
  bulwark = await startBulwark(dirs[0] as string, user.name);
  rows.push(await measure(bulwark, user.name));
  await stop(bulwark);
  jupyterhub = await startJupyterHub(dirs[1] as string, user.name);
  rows.push(await measure(jupyterhub, user.name));
  console.log(`\nHub benchmark, ${new Date().toISOString()}, node ${process.version}, ${seconds}s per load run\n`);
  console.log(table(rows));
} finally {
  await stop(bulwark);
  await stop(jupyterhub);
  await removeOsUser(user);
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
}
