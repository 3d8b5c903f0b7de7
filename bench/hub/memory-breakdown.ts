// Where the hub's resident memory goes (issue 12: hub + proxy RSS with 100 running servers at most
// half of JupyterHub 3.0 + CHP). Builds Bulwark as shipped (tsc + esbuild bundle + bin/bulwark) into
// .tmp/memory-build, starts the hub (its proxy is embedded: one process) through bin/bulwark's
// shebang, and for each variant of Node flags / environment reports, idle and with 100 running
// stand-in servers (50 throwaway Linux users × a default and a named server):
//   - /proc/<pid>/status RssAnon / RssFile / RssShmem, smaps_rollup, the largest mappings;
//   - V8's view (process.memoryUsage, heap spaces), printed on SIGUSR2 by a preload that only this
//     harness adds (NODE_OPTIONS=--import …), so the product carries no debug hook;
//   - the CPU a flag costs: hub CPU time per API request and per proxied request (keep-alive, a
//     fixed number of requests), from /proc/<pid>/stat.
// Needs root (servers run as throwaway Linux users).
// Run: node --import tsx bench/hub/memory-breakdown.ts [variant …]   (variants: see VARIANTS;
//      BENCH_NO_BUILD=1 reuses the last build, BENCH_SERVERS=100, BENCH_SEED=5000)
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/log/index.js';
import { openServices } from '../../src/server/services.js';
import { createOsUser, removeOsUser, type OsUser } from '../../test/helpers/os-users.js';
import { findFreePort } from '../../test/helpers/ports.js';
import { standInServerCmd } from '../../test/integration/operations/stand-in-server.js';
import { formLogin } from './form-login.js';
import { buildBulwark, cpuMs, shebangOf } from './hub-systems.js';
import { seedBulwarkUsers } from './seed-users.js';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../..', import.meta.url));
const buildDir = join(repo, '.tmp/memory-build');
const runner = join(buildDir, 'bin/bulwark');
const SERVERS = Number(process.env['BENCH_SERVERS'] ?? 100);
const SEED = Number(process.env['BENCH_SEED'] ?? 5000);
const REQUESTS = 3000;
const PASSWORD = 'bench-password-1';

/** A way of starting the hub: extra Node flags and environment on top of bin/bulwark's shebang. */
interface Variant {
  nodeFlags?: string[];
  env?: Record<string, string>;
  /** Replace the shebang's own flags and environment instead of adding to them. */
  bare?: boolean;
}

const VARIANTS: Record<string, Variant> = {
  shipped: {},
  /** bin/bulwark's flags before the memory work (issue 12), for comparison. */
  before: { bare: true, nodeFlags: ['--max-semi-space-size=1'] },
  bare: { bare: true },
  'before+optimize-for-size': { bare: true, nodeFlags: ['--max-semi-space-size=1', '--optimize-for-size'] },
  'before+arena-2+pool-1+growing-50': { bare: true, env: { MALLOC_ARENA_MAX: '2' }, nodeFlags: ['--max-semi-space-size=1', '--v8-pool-size=1', '--heap-growing-percent=50'] },
  'before+arena-2+pool-1': { bare: true, env: { MALLOC_ARENA_MAX: '2' }, nodeFlags: ['--max-semi-space-size=1', '--v8-pool-size=1'] },
  'arena-2': { env: { MALLOC_ARENA_MAX: '2' } },
  'arena-1': { env: { MALLOC_ARENA_MAX: '1' } },
  'pool-1': { nodeFlags: ['--v8-pool-size=1'] },
  'single-threaded-gc': { nodeFlags: ['--single-threaded-gc'] },
  'arena-2+pool-1': { env: { MALLOC_ARENA_MAX: '2' }, nodeFlags: ['--v8-pool-size=1'] },
  'arena-2+stgc': { env: { MALLOC_ARENA_MAX: '2' }, nodeFlags: ['--single-threaded-gc'] },
  'semi-space-default': { bare: true, nodeFlags: [] },
  'trim-threshold': { env: { MALLOC_ARENA_MAX: '2', MALLOC_TRIM_THRESHOLD_: '131072' } },
  'optimize-for-size': { nodeFlags: ['--optimize-for-size'] },
  'growing-50': { nodeFlags: ['--heap-growing-percent=50'] },
  'growing-20': { nodeFlags: ['--heap-growing-percent=20'] },
  'arena-2+growing-50': { env: { MALLOC_ARENA_MAX: '2' }, nodeFlags: ['--heap-growing-percent=50'] },
};

/** The preload: on SIGUSR2 writes V8's and Node's memory figures to $BENCH_MEMORY_REPORT. */
function writePreload(dir: string): string {
  const file = join(dir, 'memory-report.mjs');
  writeFileSync(
    file,
    `import { existsSync, writeFileSync } from 'node:fs';
import v8 from 'node:v8';
import vm from 'node:vm';
process.on('SIGUSR2', () => {
  // A marker file asks for a full collection first, to tell live objects from garbage not yet collected.
  if (process.env.BENCH_MEMORY_GC && existsSync(process.env.BENCH_MEMORY_GC)) {
    v8.setFlagsFromString('--expose-gc');
    vm.runInNewContext('gc')();
  }
  const report = {
    usage: process.memoryUsage(),
    heap: v8.getHeapStatistics(),
    spaces: v8.getHeapSpaceStatistics().map((s) => ({ name: s.space_name, used: s.space_used_size, committed: s.physical_space_size })),
    code: v8.getHeapCodeStatistics(),
    handles: process.getActiveResourcesInfo().reduce((counts, name) => ((counts[name] = (counts[name] ?? 0) + 1), counts), {}),
  };
  writeFileSync(process.env.BENCH_MEMORY_REPORT, JSON.stringify(report));
});
`,
  );
  return file;
}

interface Hub {
  pid: number;
  url: string;
  child: ChildProcess;
  reportFile: string;
}

async function startHub(dataDir: string, preload: string, variant: Variant): Promise<Hub> {
  const port = await findFreePort();
  const own = shebangOf(runner);
  const flags = [...(variant.bare ? [] : own.flags), ...(variant.nodeFlags ?? [])];
  const reportFile = join(dataDir, 'memory-report.json');
  const env = {
    ...process.env,
    ...(variant.bare ? {} : own.env),
    ...variant.env,
    NODE_OPTIONS: `--import=${pathToFileURL(preload).href}`,
    BENCH_MEMORY_REPORT: reportFile,
    BENCH_MEMORY_GC: join(dataDir, 'memory-gc'),
    BULWARK_SPAWNER__CMD: JSON.stringify(standInServerCmd),
    BULWARK_SPAWNER__CLEANUP_SERVERS: 'true',
    BULWARK_HUB__ALLOW_NAMED_SERVERS: 'true',
  };
  const child = spawn(process.execPath, [...flags, runner, 'hub', '--bind-url', `http://127.0.0.1:${port}`, '--log-level', 'warn'], { cwd: dataDir, env, stdio: ['ignore', 'ignore', 'pipe'], detached: true });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the hub exited with ${child.exitCode}: ${stderr}`);
    if (await fetch(`${url}/hub/api`).then((r) => r.ok, () => false)) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { pid: child.pid ?? 0, url, child, reportFile };
}

interface Snapshot {
  status: Record<string, number>;
  rollup: Record<string, number>;
  /** kB resident per mapping name (anonymous mappings as [anon]), largest first. */
  mappings: Array<[string, number]>;
  threads: number;
  fds: number;
  v8: { usage: Record<string, number>; heap: Record<string, number>; spaces: Array<{ name: string; used: number; committed: number }>; code: Record<string, number>; handles: Record<string, number> };
}

function kBFields(text: string, names: readonly string[]): Record<string, number> {
  return Object.fromEntries(names.map((name) => [name, Number(new RegExp(`^${name}:\\s+(\\d+)`, 'm').exec(text)?.[1] ?? 0)]));
}

async function snapshot(hub: Hub, options: { gc?: boolean } = {}): Promise<Snapshot> {
  rmSync(hub.reportFile, { force: true });
  const gcMarker = join(hub.reportFile, '../memory-gc');
  if (options.gc) writeFileSync(gcMarker, '');
  else rmSync(gcMarker, { force: true });
  process.kill(hub.pid, 'SIGUSR2');
  for (let i = 0; i < 100 && !existsSync(hub.reportFile); i++) await new Promise((resolve) => setTimeout(resolve, 20));
  await new Promise((resolve) => setTimeout(resolve, 100)); // the preload's GC returns pages a moment later
  const status = readFileSync(`/proc/${hub.pid}/status`, 'utf8');
  const mappings = new Map<string, number>();
  let name = '';
  for (const line of readFileSync(`/proc/${hub.pid}/smaps`, 'utf8').split('\n')) {
    const header = /^[0-9a-f]+-[0-9a-f]+ (\S+) \S+ \S+ \S+\s*(.*)$/.exec(line);
    // The node binary by segment (code, read-only data with ICU's tables, …); others by name.
    if (header) name = header[2] === '' ? '[anon]' : header[2]?.endsWith('/node') ? `node(${header[1]})` : (header[2] ?? '');
    else if (line.startsWith('Rss:')) mappings.set(name, (mappings.get(name) ?? 0) + Number(/(\d+)/.exec(line)?.[1] ?? 0));
  }
  return {
    status: kBFields(status, ['VmRSS', 'RssAnon', 'RssFile', 'RssShmem', 'VmHWM']),
    rollup: kBFields(readFileSync(`/proc/${hub.pid}/smaps_rollup`, 'utf8'), ['Rss', 'Pss', 'Pss_Anon', 'Pss_File', 'Shared_Clean', 'Private_Clean', 'Private_Dirty', 'Anonymous']),
    mappings: [...mappings].sort((a, b) => b[1] - a[1]).slice(0, 12),
    threads: Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? 0),
    fds: (await run('/bin/ls', [`/proc/${hub.pid}/fd`])).stdout.split('\n').filter(Boolean).length,
    v8: JSON.parse(readFileSync(hub.reportFile, 'utf8')) as Snapshot['v8'],
  };
}

/** `count` keep-alive GETs over 8 connections; the hub's CPU time per request in µs. */
async function cpuPerRequest(hub: Hub, path: string, token: string, count = REQUESTS): Promise<number> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const target = new URL(`${hub.url}${path}`);
  let left = count;
  let failures = 0;
  const one = (): Promise<void> =>
    new Promise((resolve) => {
      const request = http.get({ agent, host: target.hostname, port: target.port, path: target.pathname, headers: { authorization: `token ${token}` } }, (response) => {
        if (response.statusCode !== 200) failures++;
        response.resume();
        response.on('end', resolve);
      });
      request.on('error', () => (failures++, resolve()));
    });
  const worker = async () => {
    while (left-- > 0) await one();
  };
  await Promise.all(Array.from({ length: 20 }, () => one())); // warm-up
  const before = cpuMs([hub.pid]);
  left = count;
  await Promise.all(Array.from({ length: 8 }, worker));
  const used = cpuMs([hub.pid]) - before;
  agent.destroy();
  if (failures > 0) throw new Error(`${failures} requests to ${path} failed`);
  return (used * 1000) / count;
}

async function startServers(hub: Hub, token: string, users: readonly OsUser[]): Promise<void> {
  const headers = { authorization: `token ${token}` };
  const paths = users.flatMap((u) => [`/hub/api/users/${u.name}/server`, `/hub/api/users/${u.name}/servers/b`]).slice(0, SERVERS);
  for (const path of paths) {
    const response = await fetch(`${hub.url}${path}`, { method: 'POST', headers });
    await response.arrayBuffer();
    if (response.status !== 201 && response.status !== 202) throw new Error(`POST ${path}: ${response.status}`);
  }
  for (const user of users) {
    for (let i = 0; ; i++) {
      const model = (await (await fetch(`${hub.url}/hub/api/users/${user.name}`, { headers })).json()) as { servers?: Record<string, { ready?: boolean }> };
      const servers = Object.values(model.servers ?? {});
      if (servers.length > 0 && servers.every((s) => s.ready === true)) break;
      if (i > 600) throw new Error(`${user.name}'s servers never became ready`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

async function stopHub(hub: Hub): Promise<void> {
  if (hub.child.exitCode !== null) return;
  const exited = new Promise((resolve) => hub.child.once('exit', resolve));
  hub.child.kill('SIGTERM');
  await exited;
}

const MiB = (kB: number) => (kB / 1024).toFixed(1);

function describe(label: string, s: Snapshot): string {
  const u = s.v8.usage;
  const m = (bytes: number | undefined) => ((bytes ?? 0) / 1048576).toFixed(1);
  return [
    `  ${label}: RSS ${MiB(s.status['VmRSS'] ?? 0)} MiB = anon ${MiB(s.status['RssAnon'] ?? 0)} + file ${MiB(s.status['RssFile'] ?? 0)} + shmem ${MiB(s.status['RssShmem'] ?? 0)}; PSS ${MiB(s.rollup['Pss'] ?? 0)} (file ${MiB(s.rollup['Pss_File'] ?? 0)}); threads ${s.threads}, fds ${s.fds}`,
    `    V8 heap used ${m(u['heapUsed'])} / total ${m(u['heapTotal'])} MiB, external ${m(u['external'])}, arrayBuffers ${m(u['arrayBuffers'])}; code+metadata ${m((s.v8.code['code_and_metadata_size'] ?? 0) + (s.v8.code['bytecode_and_metadata_size'] ?? 0))}; malloced ${m(s.v8.heap['malloced_memory'])} (peak ${m(s.v8.heap['peak_malloced_memory'])})`,
    `    spaces (used/committed MiB): ${s.v8.spaces.filter((sp) => sp.committed > 0).map((sp) => `${sp.name.replace('_space', '')} ${m(sp.used)}/${m(sp.committed)}`).join(', ')}`,
    `    handles: ${Object.entries(s.v8.handles).map(([k, v]) => `${k}×${v}`).join(' ')}`,
    `    largest mappings (MiB): ${s.mappings.slice(0, 8).map(([name, kB]) => `${name.replace(/^.*\//, '')} ${MiB(kB)}`).join(', ')}`,
  ].join('\n');
}

async function main(): Promise<void> {
  const names = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['shipped'];
  for (const name of names) if (!(name in VARIANTS)) throw new Error(`unknown variant ${name}; known: ${Object.keys(VARIANTS).join(', ')}`);
  if (process.env['BENCH_NO_BUILD'] !== '1' || !existsSync(runner)) await buildBulwark(buildDir);
  const dir = mkdtempSync(join(tmpdir(), 'bench-memory-'));
  const users: OsUser[] = [];
  try {
    const preload = writePreload(dir);
    await seedBulwarkUsers(join(dir, 'data'), 'seed', SEED);
    for (let i = 0; i < Math.ceil(SERVERS / 2); i++) users.push(await createOsUser());
    const { config } = loadConfig({ env: {}, flags: { 'hub.data_dir': join(dir, 'data') } });
    const services = await openServices(config, { logger: createLogger({ level: 'silent', pretty: false }) });
    await services.users.create({ name: 'benchadmin', authorized: true, admin: true }, { name: null });
    for (const user of users) await services.users.create({ name: user.name, password: PASSWORD, authorized: true }, { name: null });
    await services.close();
    const token = (await run(runner, ['token', 'create', 'benchadmin'], { cwd: dir })).stdout.trim();
    console.log(`hub with ${SEED} seeded users; ${SERVERS} stand-in servers; CPU per request over ${REQUESTS} keep-alive requests`);
    for (const name of names) {
      const hub = await startHub(dir, preload, VARIANTS[name] ?? {});
      try {
        await new Promise((resolve) => setTimeout(resolve, 2000));
        const idle = await snapshot(hub);
        // As bench/hub/hub-vs-jupyterhub.ts does: everyone logs in with the form at once (argon2 verifications).
        const logins = await Promise.all(users.map((u) => formLogin(hub.url, u.name, PASSWORD).catch(() => false)));
        if (logins.some((ok) => !ok)) throw new Error('a login failed');
        const loggedIn = await snapshot(hub);
        await startServers(hub, token, users);
        await new Promise((resolve) => setTimeout(resolve, 2000));
        const busy = await snapshot(hub);
        const apiUs = await cpuPerRequest(hub, `/hub/api/users/seed1`, token);
        const proxiedUs = await cpuPerRequest(hub, `/user/${users[0]?.name ?? ''}/api/status`, token);
        const after = await snapshot(hub);
        const collected = await snapshot(hub, { gc: true });
        console.log(`\n${name}: API ${apiUs.toFixed(0)} µs CPU/request, proxied ${proxiedUs.toFixed(0)} µs CPU/request`);
        console.log(describe('idle', idle));
        console.log(describe(`${users.length} logins`, loggedIn));
        console.log(describe(`${SERVERS} servers`, busy));
        console.log(describe(`after ${2 * REQUESTS} requests`, after));
        console.log(describe('then a full GC', collected));
      } finally {
        await stopHub(hub);
      }
    }
  } finally {
    for (const user of users) await removeOsUser(user).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
