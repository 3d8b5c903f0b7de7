// The measurements, each run the same way against either hub.
import { spawn } from 'node:child_process';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { formLogin } from './form-login.js';
import { cpuMs, type HubSystem } from './hub-systems.js';

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

/** One GET on a fresh connection each (no keep-alive), resolving with the status (0 on error). */
export function getStatus(url: string, token: string, agent: http.Agent): Promise<number> {
  return new Promise((resolve) => {
    const request = http.get(url, { agent, headers: { authorization: `token ${token}` } }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', () => resolve(0));
  });
}

/**
 * `count` requests for one user model sent at once; wall time until the last answer, and the CPU
 * time the hub and its proxy spent on them (what the hub costs, apart from the client's share of
 * the two cores). Medians of `rounds`.
 */
export async function parallelUserGets(system: HubSystem, name: string, count: number, rounds = 3, token = system.token): Promise<{ ms: number; cpuMs: number; errors: number }> {
  const times: number[] = [];
  const cpu: number[] = [];
  let errors = 0;
  for (let round = 0; round < rounds; round++) {
    const agent = new http.Agent({ keepAlive: false, maxSockets: count });
    const cpuBefore = cpuMs(system.hubPids());
    const began = performance.now();
    const statuses = await Promise.all(Array.from({ length: count }, () => getStatus(`${system.url}/hub/api/users/${name}`, token, agent)));
    times.push(performance.now() - began);
    cpu.push(cpuMs(system.hubPids()) - cpuBefore);
    errors += statuses.filter((status) => status !== 200).length;
    agent.destroy();
  }
  return { ms: median(times), cpuMs: median(cpu), errors };
}

/** GET /hub/api/users (one page, as a plain client asks), median of 5; and paging through every user. */
export async function listUsers(system: HubSystem, expected: number): Promise<{ firstPageMs: number; allPagesMs: number; seen: number }> {
  const headers = { authorization: `token ${system.token}` };
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const began = performance.now();
    const response = await fetch(`${system.url}/hub/api/users`, { headers });
    await response.json();
    times.push(performance.now() - began);
  }
  const began = performance.now();
  let seen = 0;
  for (let offset = 0; offset < expected + 200; offset += 200) {
    const response = await fetch(`${system.url}/hub/api/users?offset=${offset}&limit=200`, { headers: { ...headers, accept: 'application/jupyterhub-pagination+json' } });
    const body = (await response.json()) as { items?: unknown[] } | unknown[];
    const items = Array.isArray(body) ? body : (body.items ?? []);
    seen += items.length;
    if (items.length < 200) break;
  }
  return { firstPageMs: median(times), allPagesMs: performance.now() - began, seen };
}

export interface StormResult {
  users: number;
  loginFailures: number;
  spawnFailures: number;
  /** From the first login to the last server ready. */
  allReadyMs: number;
}

async function serverReady(system: HubSystem, name: string, serverName: string): Promise<boolean | 'failed'> {
  const response = await fetch(`${system.url}/hub/api/users/${name}`, { headers: { authorization: `token ${system.token}` } });
  if (!response.ok) return false;
  const model = (await response.json()) as { servers?: Record<string, { ready?: boolean; pending?: string | null }> };
  const server = model.servers?.[serverName];
  return server?.ready === true;
}

/** Everyone logs in with the login form and starts a server at the same moment; waits for all to be ready. */
export async function loginAndSpawnStorm(system: HubSystem, users: ReadonlyArray<{ name: string; password: string }>, serverName = '', timeoutMs = 180_000): Promise<StormResult> {
  const began = performance.now();
  const path = (name: string) => (serverName === '' ? `/hub/api/users/${name}/server` : `/hub/api/users/${name}/servers/${serverName}`);
  const outcomes = await Promise.all(
    users.map(async (user) => {
      const loggedIn = serverName === '' ? await formLogin(system.url, user.name, user.password).catch(() => false) : true;
      const started = await fetch(`${system.url}${path(user.name)}`, { method: 'POST', headers: { authorization: `token ${system.token}` } });
      await started.arrayBuffer();
      if (started.status !== 201 && started.status !== 202) return { loggedIn, ready: false };
      const deadline = performance.now() + timeoutMs;
      for (;;) {
        const ready = await serverReady(system, user.name, serverName).catch(() => false);
        if (ready === true) return { loggedIn, ready: true };
        if (performance.now() > deadline) return { loggedIn, ready: false };
        await new Promise((resolve) => setTimeout(resolve, 250));
      }
    }),
  );
  return {
    users: users.length,
    loginFailures: outcomes.filter((o) => !o.loggedIn).length,
    spawnFailures: outcomes.filter((o) => !o.ready).length,
    allReadyMs: performance.now() - began,
  };
}

/** Stops every listed server and waits until each is gone. */
export async function stopAll(system: HubSystem, names: readonly string[], serverName = ''): Promise<void> {
  const headers = { authorization: `token ${system.token}` };
  const path = (name: string) => (serverName === '' ? `/hub/api/users/${name}/server` : `/hub/api/users/${name}/servers/${serverName}`);
  await Promise.all(names.map((name) => fetch(`${system.url}${path(name)}`, { method: 'DELETE', headers }).then((r) => r.arrayBuffer())));
  for (const name of names) {
    for (let i = 0; i < 120; i++) {
      const model = (await (await fetch(`${system.url}/hub/api/users/${name}`, { headers })).json()) as { servers?: Record<string, unknown> };
      if (!model.servers || !(serverName in model.servers)) break;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

/** Resident memory of the given processes, in MiB. */
export function rssMiB(pids: readonly number[]): number {
  let kb = 0;
  for (const pid of pids) {
    try {
      kb += Number(/^VmRSS:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return kb / 1024;
}

/**
 * The floor of this machine: a bare `http.createServer` in its own process answering every request
 * with one constant JSON body (a user model's size), no routing, auth or database. Measured with
 * the same scenarios as the hubs, it shows how much of a request's CPU time is Node's HTTP itself.
 */
export async function startBareNodeServer(): Promise<HubSystem> {
  const body = JSON.stringify({ kind: 'user', name: 'seed1', admin: false, groups: [], last_activity: null, roles: ['user'], server: null, pending: null, created: new Date().toISOString(), auth_state: null, servers: {} });
  const source = `const body = ${JSON.stringify(body)};
const server = require('node:http').createServer((req, res) => {
  req.resume();
  res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(body) });
  res.end(body);
});
server.listen(0, '127.0.0.1', () => process.stdout.write(server.address().port + '\\n'));
process.on('SIGTERM', () => process.exit(0));`;
  const began = performance.now();
  const child = spawn(process.execPath, ['-e', source], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the bare Node server exited with ${code}`)));
    child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
  });
  const pids = () => (child.pid === undefined ? [] : [child.pid]);
  return {
    name: 'bare Node HTTP server',
    url: `http://127.0.0.1:${port}`,
    token: 'unused',
    startupMs: performance.now() - began,
    startupCpuMs: cpuMs(pids()),
    hubPids: pids,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
