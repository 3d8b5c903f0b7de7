// `bulwark hub` as a real subprocess, for tests that kill it (SIGKILL) and start it again.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../../../bin/bulwark', import.meta.url));
/** Tests run the TypeScript sources (scripts/run-tests.mjs sets this too). */
const env = { ...process.env, BULWARK_RUN_SOURCES: process.env['BULWARK_RUN_SOURCES'] ?? '1' };

/** Runs one CLI command in `cwd` (whose ./data is the hub's data directory). */
export function cli(args: string[], cwd: string, input = ''): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { cwd, env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code, stdout: stdout.trim(), stderr }));
    child.stdin.end(input);
  });
}

export interface HubProcess {
  child: ChildProcess;
  /** Milliseconds from spawning the process to its "running" line. */
  startupMs: number;
  /** Everything the hub wrote so far (its log). */
  output(): string;
  /** SIGKILL (a crash) or SIGTERM, resolving with the exit code or signal. */
  kill(signal: NodeJS.Signals): Promise<number | string | null>;
}

/** Starts `bulwark hub` on 127.0.0.1:`port` with `--set` settings and waits until it serves. */
export async function startHubProcess(cwd: string, port: number, settings: Record<string, string> = {}): Promise<HubProcess> {
  const sets = Object.entries(settings).flatMap(([key, value]) => ['--set', `${key}=${value}`]);
  const began = Date.now();
  const child = spawn(process.execPath, [bin, 'hub', '--bind-url', `http://127.0.0.1:${port}`, ...sets], { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      if (output.includes('Bulwark hub running at')) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => reject(new Error(`hub exited early with ${String(code)}:\n${output}`)));
  });
  return {
    child,
    startupMs: Date.now() - began,
    output: () => output,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** fetch with a hub token. */
export function api(port: number, token: string, path: string, init: RequestInit = {}): Promise<Response> {
  return fetch(`http://127.0.0.1:${port}${path}`, { ...init, headers: { authorization: `token ${token}`, ...(init.headers ?? {}) } });
}

/** Polls `check` every 200 ms until it returns a value or `timeoutMs` passes. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
