// Bulwark's hub side by side with Debian's JupyterHub 3.0 + configurable-http-proxy on 127.0.0.1,
// one after the other: 200 parallel GET /hub/api/users/<name> (and the same against a bare Node
// HTTP server, this machine's floor); GET /hub/api/users with 5,000 users;
// start-up with 10,000 users in the database; 50 simultaneous logins + spawns of a stand-in server
// and 10 of the real jupyterhub-singleuser; hub + proxy memory with 100 running stand-in servers.
// Needs root (servers run as throwaway Linux users). Prints the table (copied into bench/hub/RESULTS.md) and writes results.svg.
// Run: node --import tsx bench/hub/hub-vs-jupyterhub.ts   (BENCH_STORM=50 BENCH_REAL=10 to change sizes)
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../src/config/index.js';
import { createLogger } from '../../src/log/index.js';
import { openServices } from '../../src/server/services.js';
import { createOsUser, removeOsUser, type OsUser } from '../../test/helpers/os-users.js';
import { standInServerCmd } from '../../test/integration/operations/stand-in-server.js';
import { runLoad } from '../lib/http-load.js';
import { buildBulwark, startBulwark, startJupyterHub, type HubSystem } from './hub-systems.js';
import { renderChart, type ChartRow } from './results-chart.js';
import { listUsers, loginAndSpawnStorm, parallelUserGets, rssMiB, startBareNodeServer, stopAll, type StormResult } from './scenarios.js';
import { seedBulwarkUsers, seedJupyterHubUsers } from './seed-users.js';

const here = fileURLToPath(new URL('.', import.meta.url));
const STORM = Number(process.env['BENCH_STORM'] ?? 50);
const REAL = Number(process.env['BENCH_REAL'] ?? 10);
const PASSWORD = 'bench-password-1';
const notebookEnv = { JUPYTERHUB_SINGLEUSER_APP: 'notebook.notebookapp.NotebookApp' };

interface Figures {
  system: string;
  parallelMs: number;
  /** CPU time of the hub and its proxy for those 200 requests. */
  parallelCpuMs: number;
  parallelErrors: number;
  /** JupyterHub only: the same with a token it generated for an admin user instead of the service token. */
  userToken?: { ms: number; cpuMs: number; errors: number };
  keepAlivePerSecond: number;
  listFirstPageMs: number;
  listAllPagesMs: number;
  listSeen: number;
  startupMs5k: number;
  startupMs10k: number;
  startupCpuMs10k: number;
  /** Bulwark only: the same start-up from tsc's module tree instead of the shipped bundle. */
  modules?: { ms: number; cpuMs: number };
  standIn: StormResult;
  named: StormResult;
  memoryMiB100: number;
  real: StormResult;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const log = (message: string) => console.log(`[${new Date().toISOString().slice(11, 19)}] ${message}`);

async function phaseA(system: HubSystem, users: readonly OsUser[]): Promise<Omit<Figures, 'system' | 'startupMs10k' | 'startupCpuMs10k' | 'real'>> {
  log(`${system.name}: 200 parallel GET /hub/api/users/seed1`);
  const parallel = await parallelUserGets(system, 'seed1', 200, 5);
  const userToken = system.userToken
    ? await system.userToken().then(
        (token) => parallelUserGets(system, 'seed1', 200, 5, token),
        (error: unknown) => (log(`no user-token run: ${String(error)}`), undefined),
      )
    : undefined;
  const keepAlive = await runLoad({ url: `${system.url}/hub/api/users/seed1`, headers: { authorization: `token ${system.token}` }, concurrency: 8, seconds: 3 });
  log(`${system.name}: GET /hub/api/users`);
  const list = await listUsers(system, 5000);
  log(`${system.name}: ${users.length} logins + stand-in spawns`);
  const credentials = users.map((u) => ({ name: u.name, password: PASSWORD }));
  const standIn = await loginAndSpawnStorm(system, credentials);
  log(`${system.name}: ${users.length} more (named) stand-in servers`);
  const named = await loginAndSpawnStorm(system, credentials, 'b');
  await new Promise((resolve) => setTimeout(resolve, 2000));
  const memoryMiB100 = rssMiB(system.hubPids());
  await stopAll(system, users.map((u) => u.name), 'b');
  await stopAll(system, users.map((u) => u.name));
  return { parallelMs: parallel.ms, parallelCpuMs: parallel.cpuMs, parallelErrors: parallel.errors, ...(userToken ? { userToken } : {}), keepAlivePerSecond: keepAlive.perSecond, listFirstPageMs: list.firstPageMs, listAllPagesMs: list.allPagesMs, listSeen: list.seen, startupMs5k: system.startupMs, standIn, named, memoryMiB100 };
}

async function benchBulwark(users: readonly OsUser[]): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-bulwark-'));
  try {
    await seedBulwarkUsers(join(dir, 'data'), 'seed', 5000);
    const { config } = loadConfig({ env: {}, flags: { 'hub.data_dir': join(dir, 'data') } });
    const services = await openServices(config, { logger: createLogger({ level: 'silent', pretty: false }) });
    for (const user of users) await services.users.create({ name: user.name, password: PASSWORD, authorized: true }, { name: null });
    await services.close();
    const a = await startBulwark(dir, { 'spawner.cmd': standInServerCmd, 'hub.allow_named_servers': true });
    const figuresA = await phaseA(a, users).finally(() => a.stop());
    const b = await startBulwark(dir, { 'spawner.environment': notebookEnv });
    log(`Bulwark: ${REAL} logins + real jupyterhub-singleuser spawns`);
    const real = await loginAndSpawnStorm(b, users.slice(0, REAL).map((u) => ({ name: u.name, password: PASSWORD })));
    await stopAll(b, users.slice(0, REAL).map((u) => u.name));
    await b.stop();
    await seedBulwarkUsers(join(dir, 'data'), 'more', 5000);
    const startups: number[] = [];
    const startupCpu: number[] = [];
    for (let i = 0; i < 3; i++) {
      const hub = await startBulwark(dir);
      startups.push(hub.startupMs);
      startupCpu.push(hub.startupCpuMs);
      await hub.stop();
    }
    const modules: number[] = [];
    const modulesCpu: number[] = [];
    for (let i = 0; i < 3; i++) {
      const hub = await startBulwark(dir, {}, { modules: true });
      modules.push(hub.startupMs);
      modulesCpu.push(hub.startupCpuMs);
      await hub.stop();
    }
    return { system: 'Bulwark', ...figuresA, startupMs10k: median(startups), startupCpuMs10k: median(startupCpu), modules: { ms: median(modules), cpuMs: median(modulesCpu) }, real };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function benchJupyterHub(users: readonly OsUser[]): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-jupyterhub-'));
  try {
    const first = await startJupyterHub(dir);
    await first.stop();
    await seedJupyterHubUsers(first.dbPath, 'seed', 5000);
    // `tokens` lets the driving service make a token for an admin user (the user-token row).
    const standInConfig = [`c.Spawner.cmd = ${JSON.stringify(standInServerCmd)}`, 'c.JupyterHub.allow_named_servers = True', "c.JupyterHub.load_roles[0]['scopes'].append('tokens')"];
    const a = await startJupyterHub(dir, standInConfig);
    const figuresA = await phaseA(a, users).finally(() => a.stop());
    const b = await startJupyterHub(dir, [`c.Spawner.environment = ${JSON.stringify(notebookEnv)}`]);
    log(`JupyterHub: ${REAL} logins + real jupyterhub-singleuser spawns`);
    const real = await loginAndSpawnStorm(b, users.slice(0, REAL).map((u) => ({ name: u.name, password: PASSWORD })));
    await stopAll(b, users.slice(0, REAL).map((u) => u.name));
    await b.stop();
    await seedJupyterHubUsers(first.dbPath, 'more', 5000);
    const startups: number[] = [];
    const startupCpu: number[] = [];
    for (let i = 0; i < 3; i++) {
      const hub = await startJupyterHub(dir);
      startups.push(hub.startupMs);
      startupCpu.push(hub.startupCpuMs);
      await hub.stop();
    }
    return { system: 'JupyterHub 3.0 + CHP', ...figuresA, startupMs10k: median(startups), startupCpuMs10k: median(startupCpu), real };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function storm(result: StormResult): string {
  return `${(result.allReadyMs / 1000).toFixed(1)} s, ${result.spawnFailures} failed${result.loginFailures > 0 ? `, ${result.loginFailures} logins failed` : ''}`;
}

/** This machine's floor for the parallel GETs: a bare Node HTTP server answering constant JSON. */
interface Floor {
  ms: number;
  cpuMs: number;
  errors: number;
}

async function measureFloor(): Promise<Floor> {
  log('bare Node HTTP server: the same 200 parallel GETs');
  const bare = await startBareNodeServer();
  try {
    return await parallelUserGets(bare, 'seed1', 200, 5);
  } finally {
    await bare.stop();
  }
}

function report(ours: Figures, theirs: Figures, floor: Floor, load: { before: number[]; after: number[] }): string {
  const ratio = (jh: number, bw: number) => (bw === 0 ? 'n/a' : `${(jh / bw).toFixed(1)}×`);
  const rows = [
    `| 200 parallel GET /hub/api/users/{name}, all answered (ms, median of 5) | ${ours.parallelMs.toFixed(0)} | ${theirs.parallelMs.toFixed(0)} | ${ratio(theirs.parallelMs, ours.parallelMs)} faster (target ≥ 20×) |`,
    `| … hub + proxy CPU time for the 200 (ms) | ${ours.parallelCpuMs.toFixed(0)} | ${theirs.parallelCpuMs.toFixed(0)} | ${ratio(theirs.parallelCpuMs, ours.parallelCpuMs)} less |`,
    `| … errors | ${ours.parallelErrors} | ${theirs.parallelErrors} | |`,
    `| … bare Node HTTP server (constant JSON body, no hub), same 200 requests: this machine's floor, wall / CPU (ms) | ${floor.ms.toFixed(0)} / ${floor.cpuMs.toFixed(0)} | | Bulwark at ${(ours.parallelCpuMs / Math.max(floor.cpuMs, 1)).toFixed(1)}× its CPU |`,
    `| … JupyterHub with a user token it generated (one hash round), wall / CPU (ms) | ${ours.parallelMs.toFixed(0)} / ${ours.parallelCpuMs.toFixed(0)} | ${(theirs.userToken?.ms ?? 0).toFixed(0)} / ${(theirs.userToken?.cpuMs ?? 0).toFixed(0)} | ${ratio(theirs.userToken?.ms ?? 0, ours.parallelMs)} / ${ratio(theirs.userToken?.cpuMs ?? 0, ours.parallelCpuMs)} |`,
    `| GET /hub/api/users/{name}, 8 keep-alive connections (req/s) | ${ours.keepAlivePerSecond.toFixed(0)} | ${theirs.keepAlivePerSecond.toFixed(0)} | ${ratio(ours.keepAlivePerSecond, theirs.keepAlivePerSecond)} |`,
    `| GET /hub/api/users with 5,000 users, one page of 200 (ms, median of 5) | ${ours.listFirstPageMs.toFixed(0)} | ${theirs.listFirstPageMs.toFixed(0)} | ${ratio(theirs.listFirstPageMs, ours.listFirstPageMs)} faster |`,
    `| … paging through all users, 200 per page (ms; users seen) | ${ours.listAllPagesMs.toFixed(0)} (${ours.listSeen}) | ${theirs.listAllPagesMs.toFixed(0)} (${theirs.listSeen}) | ${ratio(theirs.listAllPagesMs, ours.listAllPagesMs)} faster |`,
    `| start-up to /hub/api, 5,000 users (ms) | ${ours.startupMs5k.toFixed(0)} | ${theirs.startupMs5k.toFixed(0)} | ${ratio(theirs.startupMs5k, ours.startupMs5k)} faster |`,
    `| start-up to /hub/api, 10,000 users (ms, median of 3) | ${ours.startupMs10k.toFixed(0)} | ${theirs.startupMs10k.toFixed(0)} | ${ratio(theirs.startupMs10k, ours.startupMs10k)} faster (target < 1 s) |`,
    `| … CPU time used by then (ms) | ${ours.startupCpuMs10k.toFixed(0)} | ${theirs.startupCpuMs10k.toFixed(0)} | ${ratio(theirs.startupCpuMs10k, ours.startupCpuMs10k)} less |`,
    `| … Bulwark from tsc's module tree instead of the bundle, wall / CPU (ms) | ${(ours.modules?.ms ?? 0).toFixed(0)} / ${(ours.modules?.cpuMs ?? 0).toFixed(0)} | | |`,
    `| ${ours.standIn.users} simultaneous logins + stand-in spawns, to all ready | ${storm(ours.standIn)} | ${storm(theirs.standIn)} | ${ratio(theirs.standIn.allReadyMs, ours.standIn.allReadyMs)} faster |`,
    `| ${ours.named.users} more stand-in servers (named), to all ready | ${storm(ours.named)} | ${storm(theirs.named)} | ${ratio(theirs.named.allReadyMs, ours.named.allReadyMs)} faster |`,
    `| hub + proxy RSS with ${ours.standIn.users + ours.named.users} running servers (MiB) | ${ours.memoryMiB100.toFixed(0)} | ${theirs.memoryMiB100.toFixed(0)} | ${(ours.memoryMiB100 / theirs.memoryMiB100).toFixed(2)} of JupyterHub's (target ≤ 0.5) |`,
    `| ${ours.real.users} simultaneous logins + real jupyterhub-singleuser spawns, to all ready | ${storm(ours.real)} | ${storm(theirs.real)} | ${ratio(theirs.real.allReadyMs, ours.real.allReadyMs)} faster |`,
  ];
  return [
    '| measure | Bulwark | JupyterHub 3.0 + CHP | ratio |',
    '|---|---|---|---|',
    ...rows,
    '',
    `Load average before / after the run: ${load.before.map((l) => l.toFixed(2)).join(' ')} / ${load.after.map((l) => l.toFixed(2)).join(' ')} (2 cores, shared).`,
  ].join('\n');
}

function chartRows(ours: Figures, theirs: Figures): ChartRow[] {
  return [
    { label: '200 parallel GET /users/{name}', unit: 'ms', bulwark: ours.parallelMs, jupyterhub: theirs.parallelMs, lowerIsBetter: true },
    { label: '… hub + proxy CPU for them', unit: 'ms', bulwark: ours.parallelCpuMs, jupyterhub: theirs.parallelCpuMs, lowerIsBetter: true },
    { label: 'GET /users, 5,000 users (page)', unit: 'ms', bulwark: ours.listFirstPageMs, jupyterhub: theirs.listFirstPageMs, lowerIsBetter: true },
    { label: 'start-up, 10,000 users', unit: 'ms', bulwark: ours.startupMs10k, jupyterhub: theirs.startupMs10k, lowerIsBetter: true },
    { label: `${ours.standIn.users} logins + stand-in spawns`, unit: 'ms', bulwark: ours.standIn.allReadyMs, jupyterhub: theirs.standIn.allReadyMs, lowerIsBetter: true },
    { label: `${ours.real.users} real singleuser spawns`, unit: 'ms', bulwark: ours.real.allReadyMs, jupyterhub: theirs.real.allReadyMs, lowerIsBetter: true },
    { label: 'hub + proxy RSS, 100 servers', unit: 'MiB', bulwark: ours.memoryMiB100, jupyterhub: theirs.memoryMiB100, lowerIsBetter: true },
  ];
}

const before = loadavg();
log('building Bulwark into .tmp/bench-build');
await buildBulwark();
log(`creating ${STORM} Linux accounts`);
const users: OsUser[] = [];
try {
  for (let i = 0; i < STORM; i += 10) users.push(...(await Promise.all(Array.from({ length: Math.min(10, STORM - i) }, () => createOsUser()))));
  const floor = await measureFloor();
  const ours = await benchBulwark(users);
  const theirs = await benchJupyterHub(users);
  const table = report(ours, theirs, floor, { before, after: loadavg() });
  console.log(`\n${table}\n`);
  writeFileSync(join(here, 'results.svg'), renderChart(chartRows(ours, theirs), 'Bulwark vs JupyterHub 3.0 + CHP on 127.0.0.1 (2 shared cores)'));
  // RESULTS.md is written by hand from this table, with what the figures mean.
  console.log(JSON.stringify({ ours, theirs, floor }));
} finally {
  for (const user of users) await removeOsUser(user).catch((error: unknown) => console.error(String(error)));
}
