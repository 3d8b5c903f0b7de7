import { spawn } from 'node:child_process';

/** One wrk run's figures. */
export interface WrkResult {
  requestsPerSecond: number;
  bytesPerSecond: number;
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

/** Runs wrk asynchronously (the channel under test shares this process) and parses its report. */
export function runWrk(url: string, options: { seconds: number; connections: number; headers: string[] }): Promise<WrkResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/wrk', ['-t2', `-c${options.connections}`, `-d${options.seconds}s`, '--latency', ...options.headers, url], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.on('error', reject);
    child.on('close', () => {
      const rps = /Requests\/sec:\s+([\d.]+)/.exec(out);
      const transfer = /Transfer\/sec:\s+([\d.]+)(\w+)/.exec(out);
      const p99 = /99%\s+([\d.]+)(us|ms|s)/.exec(out);
      const non2xx = /Non-2xx or 3xx responses:\s+(\d+)/.exec(out);
      const socketErrors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(out);
      if (!rps || !transfer) return reject(new Error(`cannot read wrk output:\n${out}`));
      resolve({
        requestsPerSecond: Number(rps[1]),
        bytesPerSecond: toBytes(transfer[1] ?? '0', transfer[2] ?? 'B'),
        p99Ms: p99 ? toMs(p99[1] ?? '0', p99[2] ?? 'ms') : NaN,
        errors: Number(non2xx?.[1] ?? 0) + (socketErrors ? socketErrors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0),
      });
    });
  });
}
