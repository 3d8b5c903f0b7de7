import { spawn } from 'node:child_process';

/** One wrk run's figures. */
export interface WrkResult {
  requestsPerSecond: number;
  bytesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Non-2xx/3xx answers plus socket errors. */
  errors: number;
}

export interface WrkOptions {
  seconds: number;
  connections: number;
  threads?: number;
  /** Extra wrk arguments such as ['-H', 'Accept: …']. */
  headers?: readonly string[];
}

function toMs(value: string, unit: string): number {
  const n = Number(value);
  return unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : n;
}

function toBytes(value: string, unit: string): number {
  const scale: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };
  return Number(value) * (scale[unit] ?? 1);
}

/** Reads wrk's text report (run with --latency). */
export function parseWrkReport(out: string): WrkResult {
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
  const transfer = /Transfer\/sec:\s+([\d.]+)(B|KB|MB|GB)/.exec(out);
  if (!rps || !transfer) throw new Error(`cannot read wrk output:\n${out}`);
  const p50 = /\s50%\s+([\d.]+)(us|ms|s)/.exec(out);
  const p99 = /\s99%\s+([\d.]+)(us|ms|s)/.exec(out);
  const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(out);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
  return {
    requestsPerSecond: Number(rps[1]),
    bytesPerSecond: toBytes(transfer[1] ?? '0', transfer[2] ?? 'B'),
    p50Ms: p50 ? toMs(p50[1] ?? '0', p50[2] ?? 'ms') : NaN,
    p99Ms: p99 ? toMs(p99[1] ?? '0', p99[2] ?? 'ms') : NaN,
    errors: Number(non2xx?.[1] ?? 0) + (socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0),
  };
}

/**
 * Runs Debian's wrk against `url` without blocking this process (the server under test may live
 * in it) and parses the report.
 */
export function runWrk(url: string, options: WrkOptions): Promise<WrkResult> {
  const args = [`-t${options.threads ?? 1}`, `-c${options.connections}`, `-d${options.seconds}s`, '--latency', ...(options.headers ?? []), url];
  return new Promise((resolve, reject) => {
    const child = spawn('wrk', args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', (error) => reject(new Error(`wrk failed (install it: scripts/setup.sh --test): ${error.message}`, { cause: error })));
    child.on('close', () => {
      try {
        resolve(parseWrkReport(out));
      } catch (error) {
        reject(error);
      }
    });
  });
}
