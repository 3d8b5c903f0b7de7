import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface WrkResult {
  requestsPerSecond: number;
  bytesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
}

function toMs(value: string, unit: string): number {
  const n = Number(value);
  return unit === 'us' ? n / 1000 : unit === 's' ? n * 1000 : n;
}

function toBytes(value: string, unit: string): number {
  const scale: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3 };
  return Number(value) * (scale[unit] ?? 1);
}

/** Runs Debian's wrk (one thread) against `url` and reads its summary and latency percentiles. */
export async function wrk(url: string, connections: number, seconds: number): Promise<WrkResult> {
  let stdout: string;
  try {
    ({ stdout } = await run('wrk', ['-t1', `-c${connections}`, `-d${seconds}s`, '--latency', url], { timeout: (seconds + 30) * 1000 }));
  } catch (error) {
    throw new Error(`wrk failed (install it: apt-get install -y wrk, or scripts/setup.sh --test): ${(error as Error).message}`, { cause: error });
  }
  const rps = /Requests\/sec:\s+([\d.]+)/.exec(stdout);
  const transfer = /Transfer\/sec:\s+([\d.]+)(B|KB|MB|GB)/.exec(stdout);
  const p50 = /\s50%\s+([\d.]+)(us|ms|s)/.exec(stdout);
  const p99 = /\s99%\s+([\d.]+)(us|ms|s)/.exec(stdout);
  const errors = /Non-2xx or 3xx responses:\s+(\d+)/.exec(stdout);
  const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
  return {
    requestsPerSecond: Number(rps?.[1] ?? 0),
    bytesPerSecond: transfer ? toBytes(transfer[1] ?? '0', transfer[2] ?? 'B') : 0,
    p50Ms: p50 ? toMs(p50[1] ?? '0', p50[2] ?? 'ms') : 0,
    p99Ms: p99 ? toMs(p99[1] ?? '0', p99[2] ?? 'ms') : 0,
    errors: Number(errors?.[1] ?? 0) + (socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0),
  };
}
