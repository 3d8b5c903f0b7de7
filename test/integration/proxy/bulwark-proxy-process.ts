import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * The command line that runs `bulwark proxy` from this checkout's sources (bin/bulwark would run
 * dist/, which may be older than the code under test). `tsx` is named by absolute path so the
 * command works from any working directory, as JupyterHub starts its proxy from its own.
 */
export function bulwarkProxyCommand(): string[] {
  return [
    process.execPath,
    '--import',
    `${repo}node_modules/tsx/dist/esm/index.mjs`,
    `${repo}test/integration/proxy/bulwark-proxy-main.ts`,
  ];
}

export interface RunningProxy {
  child: ChildProcess;
  /** Everything the process wrote to stderr so far (its log). */
  log(): string;
  stop(): Promise<void>;
}

/** Waits until `url` answers HTTP (any status, or `status` when given), or fails after `timeoutMs`. */
export async function waitForHttp(url: string, timeoutMs = 15_000, child?: ChildProcess, status?: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child?.exitCode !== null && child?.exitCode !== undefined) throw new Error(`proxy exited with ${child.exitCode}`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      if (status === undefined || response.status === status) return;
      throw new Error(`HTTP ${response.status}`);
    } catch {
      if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** Starts a CHP-compatible proxy command with `args`, waiting until its public and API ports answer. */
export async function startProxyProcess(
  command: readonly string[],
  args: readonly string[],
  ports: { port: number; apiPort: number },
  env: Record<string, string> = {},
): Promise<RunningProxy> {
  const [file = '', ...rest] = command;
  const child = spawn(file, [...rest, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  try {
    await waitForHttp(`http://127.0.0.1:${ports.port}/_chp_healthz`, 20_000, child);
    await waitForHttp(`http://127.0.0.1:${ports.apiPort}/api/routes`, 20_000, child);
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\n${stderr}`, { cause: error });
  }
  return { child, log: () => stderr, stop };
}
