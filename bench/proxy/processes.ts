import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const repo = fileURLToPath(new URL('../../', import.meta.url));
const tsx = `${repo}node_modules/tsx/dist/esm/index.mjs`;

export interface Running {
  child: ChildProcess;
  port: number;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function stopper(child: ChildProcess): () => Promise<void> {
  return async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
}

/** Starts a script that prints its port on its first stdout line. */
export async function startPrintingPort(args: readonly string[]): Promise<Running> {
  const child = spawn(process.execPath, ['--import', tsx, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout?.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}`)));
  });
  return { child, port, stop: stopper(child) };
}

/** Starts a CHP-compatible proxy with `/` routed to `target` and waits for its health check. */
export async function startChpLike(command: readonly string[], target: string): Promise<Running> {
  const port = await freePort();
  const apiPort = await freePort();
  const [file = '', ...rest] = command;
  const args = [...rest, '--ip', '127.0.0.1', '--port', String(port), '--api-ip', '127.0.0.1', '--api-port', String(apiPort)];
  const child = spawn(file, [...args, '--default-target', target, '--log-level', 'error'], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, CONFIGPROXY_AUTH_TOKEN: 'bench-token' },
  });
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      const response = await fetch(`http://127.0.0.1:${port}/_chp_healthz`);
      await response.arrayBuffer();
      break;
    } catch {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`${command.join(' ')} did not start`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return { child, port, stop: stopper(child) };
}

/** Current and peak resident memory of a process, in bytes. */
export function memoryOf(pid: number): { rss: number; peak: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: kb('VmRSS'), peak: kb('VmHWM') };
}

const clockTicks = Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;

/** CPU time (user + system) a process has used so far, in microseconds. */
export function cpuTimeUs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may contain spaces) start after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return ((Number(fields[11]) + Number(fields[12])) / clockTicks) * 1e6;
}

/**
 * The Node flags bin/bulwark's shebang gives its process (`#!/usr/bin/env -S node --flag …`), so
 * the benchmarks run `bulwark proxy` with the same heap settings as an installed `bulwark`.
 */
export function binBulwarkNodeFlags(): string[] {
  const shebang = readFileSync(`${repo}bin/bulwark`, 'utf8').split('\n', 1)[0] ?? '';
  const words = shebang.replace(/^#!\s*/, '').split(/\s+/);
  const node = words.indexOf('node');
  return node === -1 ? [] : words.slice(node + 1).filter((word) => word.startsWith('--'));
}

/** `bulwark proxy` as bin/bulwark runs it: the built CLI's main(['proxy', …]) under `nodeFlags`. */
export function bulwarkProxyCommand(dist: string, nodeFlags: readonly string[]): string[] {
  const main = JSON.stringify(pathToFileURL(resolve(dist, 'cli/main.js')).href);
  return [
    process.execPath,
    ...nodeFlags,
    '--input-type=module',
    '-e',
    `const { main } = await import(${main}); process.exitCode = await main(['proxy', ...process.argv.slice(1)]);`,
    '--',
  ];
}
