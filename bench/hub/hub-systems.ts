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
const buildDir = join(repo, '.tmp/bench-build');
const runner = join(buildDir, 'bulwark.mjs');
const bundledRunner = join(buildDir, 'bulwark-bundled.mjs');

export interface HubSystem {
  name: string;
  url: string;
  /** A token allowed to create users and start, stop and reach their servers. */
  token: string;
  /** Spawn of the process to the first answer of /hub/api. */
  startupMs: number;
  /** The hub's own processes: the hub and its proxy, not users' servers. */
  hubPids(): number[];
  stop(): Promise<void>;
}

/** Compiles src/ to .tmp/bench-build (never touching dist/), so start-up is not tsx's. */
export async function buildBulwark(): Promise<void> {
  mkdirSync(buildDir, { recursive: true });
  // Other work in progress may carry type errors; tsc still emits, and the runner's import proves it ran.
  await run(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', join(repo, 'tsconfig.build.json'), '--outDir', join(buildDir, 'dist')], { cwd: repo }).catch(() => undefined);
  cpSync(join(repo, 'src/hub/pages/static'), join(buildDir, 'dist/hub/pages/static'), { recursive: true });
  writeFileSync(runner, "const { main } = await import('./dist/cli/main.js');\nprocess.exit(await main(process.argv.slice(2)));\n");
  if (!existsSync(join(buildDir, 'dist/cli/main.js'))) throw new Error('the Bulwark build produced no dist/cli/main.js');
}

/**
 * The same build bundled into one file with esbuild (native and worker-thread packages stay
 * external): Node then reads one module instead of about a thousand, which is most of start-up.
 */
export async function bundleBulwark(): Promise<void> {
  const externals = ['better-sqlite3', 'better-sqlite3-napi', '@node-rs/*', 'pg-native', 'pino', 'thread-stream', 'pino-pretty'];
  await run(join(repo, 'node_modules/.bin/esbuild'), [
    join(buildDir, 'dist/cli/main.js'),
    '--bundle', '--platform=node', '--format=esm', '--target=node20', `--outfile=${join(buildDir, 'bundle/main.mjs')}`, '--log-level=warning',
    ...externals.map((name) => `--external:${name}`),
    "--banner:js=import { createRequire as bulwarkCreateRequire } from 'node:module'; const require = bulwarkCreateRequire(import.meta.url);",
  ]);
  cpSync(join(repo, 'src/hub/pages/static'), join(buildDir, 'bundle/static'), { recursive: true });
  writeFileSync(bundledRunner, "const { main } = await import('./bundle/main.mjs');\nprocess.exit(await main(process.argv.slice(2)));\n");
}

export async function bulwarkCli(dataDir: string, args: string[]): Promise<string> {
  const { stdout } = await run(process.execPath, [runner, ...args], { cwd: dataDir });
  return stdout.trim();
}

/** Settings as dotted keys, passed as BULWARK_SECTION__KEY environment variables (JSON values). */
function settingsEnv(settings: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(settings).map(([key, value]) => [`BULWARK_${key.toUpperCase().replace('.', '__')}`, typeof value === 'string' ? value : JSON.stringify(value)]),
  );
}

/** `dataDir` is the working directory; its ./data holds the database. An admin token is made once. */
export async function startBulwark(dataDir: string, settings: Record<string, unknown> = {}, options: { bundled?: boolean } = {}): Promise<HubSystem> {
  const tokenFile = join(dataDir, 'bench-token');
  if (!existsSync(tokenFile)) {
    await bulwarkCli(dataDir, ['user', 'add', 'benchadmin', '--admin', '--no-password']);
    writeFileSync(tokenFile, await bulwarkCli(dataDir, ['token', 'create', 'benchadmin']));
  }
  const token = readFileSync(tokenFile, 'utf8').trim();
  const port = await findFreePort();
  const began = performance.now();
  const child: ChildProcess = spawn(process.execPath, [options.bundled ? bundledRunner : runner, 'hub', '--bind-url', `http://127.0.0.1:${port}`, '--log-level', 'warn'], {
    cwd: dataDir,
    env: { ...process.env, ...settingsEnv({ 'spawner.cleanup_servers': true, ...settings }) },
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
  return {
    name: 'Bulwark',
    url,
    token,
    startupMs,
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
  return {
    name: 'JupyterHub 3.0 + CHP',
    url: hub.url,
    token: hub.token,
    dbPath: hub.dbPath,
    startupMs,
    hubPids: () => [pid, ...childPids(pid).filter((child) => readFileSync(`/proc/${child}/cmdline`, 'utf8').includes('configurable-http-proxy'))],
    stop: () => hub.stop(),
  };
}
