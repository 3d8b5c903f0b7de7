// Where the hub's CPU time per API request goes: starts the built hub as the bench does, with a few
// seeded users and an admin token, then drives (a) keep-alive GET /hub/api/users/<name> and (b)
// bursts of 200 parallel GETs on fresh connections, and prints the hub's CPU time per request
// (user + system from /proc/<pid>/stat). The same burst against a bare Node HTTP server in its
// own process gives this machine's floor. With --cpu-prof the hub runs under V8's profiler and
// the functions with the most self time are printed (the .cpuprofile is kept).
//
// Run: node --import tsx bench/hub/request-profile.ts [--no-build] [--cpu-prof] [--requests N] [--rounds N] [--out DIR] [--node-flags '…'] [--runner-flags '…']
// Builds into .tmp/profile-build (never .tmp/bench-build or dist/); --no-build reuses that build.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { runLoad } from '../lib/http-load.js';
import { buildBulwark, cpuMs, startBulwark, type HubSystem } from './hub-systems.js';
import { getStatus as freshGet, startBareNodeServer } from './scenarios.js';
import { seedBulwarkUsers } from './seed-users.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const { values: flags } = parseArgs({
  options: {
    'no-build': { type: 'boolean', default: false },
    'cpu-prof': { type: 'boolean', default: false },
    requests: { type: 'string', default: '4000' },
    rounds: { type: 'string', default: '10' },
    'build-dir': { type: 'string', default: join(repo, '.tmp/profile-build') },
    out: { type: 'string', default: join(repo, '.tmp/profile-out') },
    top: { type: 'string', default: '40' },
    /** More Node flags for the hub, space-separated, e.g. "--max-semi-space-size=16" to see GC's share. */
    'node-flags': { type: 'string', default: '' },
    /** Replaces bin/bulwark's shebang flags, space-separated (compare builds whose shebangs differ). */
    'runner-flags': { type: 'string' },
  },
});
const buildDir = resolve(flags['build-dir']);
const REQUESTS = Number(flags.requests);
const ROUNDS = Number(flags.rounds);
const BURST = 200;

interface Row {
  what: string;
  requests: number;
  errors: number;
  cpuMs: number;
  wallMs: number;
}

/** `rounds` bursts of 200 parallel GETs, a fresh connection each; CPU summed over all rounds. */
async function bursts(system: HubSystem, path: string, token: string, rounds: number): Promise<Row> {
  let errors = 0;
  let wallMs = 0;
  const cpuBefore = cpuMs(system.hubPids());
  for (let round = 0; round < rounds; round++) {
    const agent = new http.Agent({ keepAlive: false, maxSockets: BURST });
    const began = performance.now();
    const statuses = await Promise.all(Array.from({ length: BURST }, () => freshGet(`${system.url}${path}`, token, agent)));
    wallMs += performance.now() - began;
    errors += statuses.filter((status) => status !== 200).length;
    agent.destroy();
  }
  return { what: `${system.name}: ${rounds} × ${BURST} parallel GETs, fresh connections`, requests: rounds * BURST, errors, cpuMs: cpuMs(system.hubPids()) - cpuBefore, wallMs: wallMs / rounds };
}

/** Keep-alive requests on 8 connections until `requests` were answered (closed loop). */
async function keepAlive(system: HubSystem, path: string, token: string, requests: number): Promise<Row> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  let left = requests;
  let errors = 0;
  const one = () =>
    new Promise<void>((resolve) => {
      const request = http.get(`${system.url}${path}`, { agent, headers: { authorization: `token ${token}` } }, (response) => {
        response.resume();
        response.on('end', () => {
          if (response.statusCode !== 200) errors++;
          resolve();
        });
      });
      request.on('error', () => (errors++, resolve()));
    });
  const worker = async () => {
    while (left > 0) {
      left--;
      await one();
    }
  };
  const cpuBefore = cpuMs(system.hubPids());
  const began = performance.now();
  await Promise.all(Array.from({ length: 8 }, worker));
  const wallMs = performance.now() - began;
  const row = { what: `${system.name}: ${requests} keep-alive GETs, 8 connections`, requests, errors, cpuMs: cpuMs(system.hubPids()) - cpuBefore, wallMs };
  agent.destroy();
  return row;
}

function print(row: Row): void {
  const perRequest = (row.cpuMs * 1000) / row.requests;
  console.log(`${row.what.padEnd(78)} ${perRequest.toFixed(0).padStart(5)} µs CPU/request  (${row.cpuMs.toFixed(0)} ms CPU, ${row.errors} errors, ${row.wallMs.toFixed(0)} ms wall${row.what.includes('fresh') ? ' per burst' : ''})`);
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time per function and per file (or package) of a .cpuprofile, largest first. */
function summarise(path: string, top: number): void {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, index) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[index] ?? 0)));
  const perFunction = new Map<string, number>();
  const perFile = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)?.callFrame;
    if (!frame) continue;
    total += us;
    if (frame.functionName === '(idle)') {
      idle += us;
      continue;
    }
    const file = frame.url.replace(/^file:\/\//, '');
    const shortFile = file.includes('node_modules/') ? `npm:${file.split('node_modules/').pop()?.split('/').slice(0, file.split('node_modules/').pop()?.startsWith('@') ? 2 : 1).join('/')}` : file.startsWith('/') ? relative(repo, file) : file || '(native)';
    const key = `${frame.functionName || '(anonymous)'}  ${shortFile}:${frame.lineNumber + 1}`;
    perFunction.set(key, (perFunction.get(key) ?? 0) + us);
    perFile.set(shortFile, (perFile.get(shortFile) ?? 0) + us);
  }
  // Inclusive time: each sample counts once for every distinct function on its stack.
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const inclusive = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at)?.callFrame;
      if (!frame || frame.functionName === '(idle)' || frame.functionName === '(root)') continue;
      seen.add(`${frame.functionName || '(anonymous)'}  ${frame.url.split('/').pop() ?? ''}:${frame.lineNumber + 1}`);
    }
    for (const key of seen) inclusive.set(key, (inclusive.get(key) ?? 0) + us);
  }
  const busy = total - idle;
  const list = (map: Map<string, number>, count: number) =>
    [...map].sort((a, b) => b[1] - a[1]).slice(0, count).forEach(([key, us]) => console.log(`${(us / 1000).toFixed(1).padStart(9)} ms ${((100 * us) / busy).toFixed(1).padStart(5)} %  ${key}`));
  console.log(`\nprofile ${path}: ${(busy / 1000).toFixed(0)} ms busy, ${(idle / 1000).toFixed(0)} ms idle`);
  console.log('\nself time by function:');
  list(perFunction, top);
  console.log('\nself time by file or package:');
  list(perFile, 20);
  console.log('\ninclusive time (self and callees) by function:');
  list(inclusive, top);
}

if (!flags['no-build']) {
  console.log(`building Bulwark into ${relative(repo, buildDir)}`);
  await buildBulwark(buildDir);
}
const profileDir = flags.out;
mkdirSync(profileDir, { recursive: true });
const dir = mkdtempSync(join(tmpdir(), 'bench-profile-'));
const before = loadavg();
try {
  await seedBulwarkUsers(join(dir, 'data'), 'seed', 5);
  const nodeFlags = [...flags['node-flags'].split(' ').filter(Boolean), ...(flags['cpu-prof'] ? ['--cpu-prof', '--cpu-prof-dir', profileDir] : [])];
  const runnerFlags = flags['runner-flags']?.split(' ').filter(Boolean);
  const hub = await startBulwark(dir, {}, { buildDir, nodeFlags, ...(runnerFlags ? { runnerFlags } : {}) });
  const hubPid = hub.hubPids()[0] ?? 0;
  const rows: Row[] = [];
  try {
    const path = '/hub/api/users/seed1';
    // Warm-up: V8 optimises the hot paths before anything is counted.
    await runLoad({ url: `${hub.url}${path}`, headers: { authorization: `token ${hub.token}` }, concurrency: 8, seconds: 1 });
    rows.push(await keepAlive(hub, path, hub.token, REQUESTS));
    rows.push(await bursts(hub, path, hub.token, ROUNDS));
  } finally {
    await hub.stop();
  }
  const bare = await startBareNodeServer();
  try {
    await runLoad({ url: `${bare.url}/hub/api/users/seed1`, concurrency: 8, seconds: 1 });
    rows.push(await keepAlive(bare, '/hub/api/users/seed1', bare.token, REQUESTS));
    rows.push(await bursts(bare, '/hub/api/users/seed1', bare.token, ROUNDS));
  } finally {
    await bare.stop();
  }
  console.log('');
  for (const row of rows) print(row);
  console.log(`\nload average before / after: ${before.map((l) => l.toFixed(2)).join(' ')} / ${loadavg().map((l) => l.toFixed(2)).join(' ')} (CPU time per request is the figure; wall time is shared with the client)`);
  if (flags['cpu-prof']) {
    // V8 names the file CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile.
    const written = readdirSync(profileDir).find((name) => name.endsWith('.cpuprofile') && name.includes(`.${hubPid}.`));
    if (written === undefined) console.log(`no .cpuprofile of process ${hubPid} in ${profileDir}`);
    else summarise(join(profileDir, written), Number(flags.top));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
