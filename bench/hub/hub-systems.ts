// The two hubs under test behind one small interface: Bulwark (compiled, as `npm run build` would
// ship it) and Debian's JupyterHub 3.0 with configurable-http-proxy (test/helpers/real-jupyterhub.ts).
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startRealJupyterHub } from '../../test/helpers/real-jupyterhub.js';
import { findFreePort } from '../../test/helpers/ports.js';

const run = promisify(execFile);
const repo = fileURLToPath(new URL('../..', import.meta.url));
/** Where the bench builds Bulwark; the profiling harness (request-profile.ts) uses its own directory. */
export const defaultBuildDir = join(repo, '.tmp/bench-build');
/** bin/bulwark as installed: run as an executable, so its shebang's Node flags apply. */
const runnerIn = (buildDir: string) => join(buildDir, 'bin/bulwark');
/** tsc's module tree without the bundle, for one comparison row of start-up. */
const modulesRunnerIn = (buildDir: string) => join(buildDir, 'bulwark-modules.mjs');
/**
 * The environment and Node flags of the runner's shebang (`#!/usr/bin/env -S [VAR=value…] node
 * [flags…]`), for starting it through `node` itself with more flags.
 */
export function shebangOf(script: string): { env: Record<string, string>; flags: string[] } {
  const words = (readFileSync(script, 'utf8').split('\n')[0] ?? '').replace(/^#!\S*env\s+(-S\s+)?/, '').split(/\s+/).filter(Boolean);
  const node = words.indexOf('node');
  return { env: Object.fromEntries(words.slice(0, Math.max(node, 0)).map((word) => word.split('=', 2) as [string, string])), flags: words.slice(node + 1) };
}

export interface HubSystem {
  name: string;
  url: string;
  /** A token allowed to create users and start, stop and reach their servers. */
  token: string;
  /** Spawn of the process to the first answer of /hub/api. */
  startupMs: number;
  /** CPU time (user + system) the hub and its proxy had used by then. */
  startupCpuMs: number;
  /** JupyterHub only: a token the hub generated for an admin user (one hash round), not the service token. */
  userToken?: () => Promise<string>;
  /** The hub's own processes: the hub and its proxy, not users' servers. */
  hubPids(): number[];
  stop(): Promise<void>;
}

/**
 * Builds Bulwark into .tmp/bench-build (never touching dist/) as `npm run build` ships it: tsc,
 * the data files, the esbuild bundle (scripts/bundle.mjs), bin/bulwark and package.json beside it.
 */
export async function buildBulwark(buildDir = defaultBuildDir): Promise<void> {
  const runner = runnerIn(buildDir);
  mkdirSync(join(buildDir, 'bin'), { recursive: true });
  // Other work in progress may carry type errors; tsc still emits, and the runner's import proves it ran.
  await run(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', join(repo, 'tsconfig.build.json'), '--outDir', join(buildDir, 'dist')], { cwd: repo }).catch(() => undefined);
  if (!existsSync(join(buildDir, 'dist/cli/main.js'))) throw new Error('the Bulwark build produced no dist/cli/main.js');
  for (const dir of ['hub/pages/static', 'identity/data']) cpSync(join(repo, 'src', dir), join(buildDir, 'dist', dir), { recursive: true });
  await run(process.execPath, [join(repo, 'scripts/bundle.mjs'), join(buildDir, 'dist')], { cwd: repo });
  cpSync(join(repo, 'bin/bulwark'), runner);
  cpSync(join(repo, 'package.json'), join(buildDir, 'package.json'));
  writeFileSync(modulesRunnerIn(buildDir), "const { main } = await import('./dist/cli/main.js');\nprocess.exit(await main(process.argv.slice(2)));\n");
}

export async function bulwarkCli(dataDir: string, args: string[], buildDir = defaultBuildDir): Promise<string> {
  const { stdout } = await run(runnerIn(buildDir), args, { cwd: dataDir });
  return stdout.trim();
}

/** CPU time (user + system, ms) the processes have used so far; gone ones count 0. */
export function cpuMs(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // gone
    }
  }
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

/** Settings as dotted keys, passed as BULWARK_SECTION__KEY environment variables (JSON values). */
function settingsEnv(settings: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(settings).map(([key, value]) => [`BULWARK_${key.toUpperCase().replace('.', '__')}`, typeof value === 'string' ? value : JSON.stringify(value)]),
  );
}

export interface StartBulwarkOptions {
  /** Run tsc's module tree instead of the bundle. */
  modules?: boolean;
  /** Another build than .tmp/bench-build (made with buildBulwark(dir)). */
  buildDir?: string;
  /** More Node flags for the hub process, e.g. --cpu-prof. */
  nodeFlags?: string[];
  /** Replaces the Node flags of bin/bulwark's shebang (to compare builds whose shebangs differ). */
  runnerFlags?: string[];
}

/** `dataDir` is the working directory; its ./data holds the database. An admin token is made once. */
export async function startBulwark(dataDir: string, settings: Record<string, unknown> = {}, options: StartBulwarkOptions = {}): Promise<HubSystem> {
  const buildDir = options.buildDir ?? defaultBuildDir;
  const tokenFile = join(dataDir, 'bench-token');
  if (!existsSync(tokenFile)) {
    await bulwarkCli(dataDir, ['user', 'add', 'benchadmin', '--admin', '--no-password'], buildDir);
    writeFileSync(tokenFile, await bulwarkCli(dataDir, ['token', 'create', 'benchadmin'], buildDir));
  }
  const token = readFileSync(tokenFile, 'utf8').trim();
  const port = await findFreePort();
  const began = performance.now();
  const argv = ['hub', '--bind-url', `http://127.0.0.1:${port}`, '--log-level', 'warn'];
  const script = options.modules ? modulesRunnerIn(buildDir) : runnerIn(buildDir);
  // bin/bulwark runs as an executable (its shebang's flags); with other flags, through node itself.
  const throughNode = !options.modules && ((options.nodeFlags ?? []).length > 0 || options.runnerFlags !== undefined);
  const shebang = throughNode ? shebangOf(script) : { env: {}, flags: [] };
  const [command, args] = options.modules
    ? [process.execPath, [...(options.nodeFlags ?? []), script, ...argv]]
    : throughNode
      ? [process.execPath, [...(options.runnerFlags ?? shebang.flags), ...(options.nodeFlags ?? []), script, ...argv]]
      : [script, argv];
  const child: ChildProcess = spawn(command, args, {
    cwd: dataDir,
    env: { ...process.env, ...shebang.env, ...settingsEnv({ 'spawner.cleanup_servers': true, ...settings }) },
    stdio: ['ignore', 'ignore', 'pipe'],
    detached: true,
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`Bulwark exited with ${child.exitCode}: ${stderr}`);
    if (await fetch(`${url}/hub/api`).then((r) => r.ok, () => false)) break;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  const startupMs = performance.now() - began;
  const startupCpuMs = cpuMs(child.pid === undefined ? [] : [child.pid]);
  return {
    name: 'Bulwark',
    url,
    token,
    startupMs,
    startupCpuMs,
    hubPids: () => (child.pid === undefined ? [] : [child.pid]),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Direct children of `parent` (processes that end while we look are skipped). */
function childPids(parent: number): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const status = readFileSync(`/proc/${entry}/status`, 'utf8');
      if (Number(/^PPid:\s+(\d+)/m.exec(status)?.[1]) === parent) found.push(Number(entry));
    } catch {
      // gone
    }
  }
  return found;
}

/** Debian's JupyterHub 3.0 + CHP in `dir`, with extra `c.…` lines. */
export async function startJupyterHub(dir: string, extraConfig: string[] = []): Promise<HubSystem & { dbPath: string }> {
  const began = performance.now();
  const hub = await startRealJupyterHub(dir, { extraConfig });
  const startupMs = performance.now() - began;
  const pid = hub.process.pid ?? 0;
  const hubPids = () => [pid, ...childPids(pid).filter((child) => readFileSync(`/proc/${child}/cmdline`, 'utf8').includes('configurable-http-proxy'))];
  const startupCpuMs = cpuMs(hubPids());
  return {
    name: 'JupyterHub 3.0 + CHP',
    url: hub.url,
    token: hub.token,
    dbPath: hub.dbPath,
    startupMs,
    startupCpuMs,
    hubPids,
    // The service token is checked with 16,384 rounds of salted SHA-512; tokens JupyterHub generates
    // for users use one round. An admin user's token shows JupyterHub without that cost.
    async userToken() {
      const headers = { authorization: `token ${hub.token}`, 'content-type': 'application/json' };
      const user = await fetch(`${hub.url}/hub/api/users/benchadmin`, { method: 'POST', headers, body: JSON.stringify({ admin: true }) });
      if (user.status !== 201 && user.status !== 409) throw new Error(`JupyterHub did not create benchadmin: ${user.status} ${await user.text()}`);
      const created = await fetch(`${hub.url}/hub/api/users/benchadmin/tokens`, { method: 'POST', headers, body: JSON.stringify({ note: 'bench' }) });
      const body = (await created.json()) as { token?: string };
      if (typeof body.token !== 'string') throw new Error(`JupyterHub made no user token: ${JSON.stringify(body)}`);
      return body.token;
    },
    stop: () => hub.stop(),
  };
}
