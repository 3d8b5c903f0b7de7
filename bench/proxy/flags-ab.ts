// CPU cost of Node flag sets on one build of `bulwark proxy`: alternates the flag sets round by round
// against bench/proxy/backend.ts and prints the median CPU µs (user + system from /proc) per small
// HTTP request under `wrk -t1 -c50`, the requests/s at 10 connections and p99 latency at one. Used to choose bin/bulwark's shebang flags. Numbers only.
//
//   npm run build && node --import tsx bench/proxy/flags-ab.ts [--rounds N] [--seconds S] -- 'FLAGS A' 'FLAGS B' …
//   ('' for no flags, 'shebang' for bin/bulwark's)
import { parseArgs } from 'node:util';
import { binBulwarkNodeFlags, bulwarkProxyCommand, cpuTimeUs, repo, startChpLike, startPrintingPort } from './processes.js';
import { runWrk } from '../lib/wrk.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { rounds: { type: 'string' }, seconds: { type: 'string' } } });
const rounds = Number(values.rounds ?? 5);
const seconds = Number(values.seconds ?? 3);
const flagsOf = (set: string): string[] => (set === 'shebang' ? binBulwarkNodeFlags() : set.split(/\s+/).filter(Boolean));
const backend = await startPrintingPort([`${repo}bench/proxy/backend.ts`]);
const results = new Map<string, { cpu: number[]; rps10: number[]; p99: number[] }>(positionals.map((set) => [set, { cpu: [], rps10: [], p99: [] }]));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
try {
  for (let round = 0; round < rounds; round++) {
    for (const set of positionals) {
      const proxy = await startChpLike(bulwarkProxyCommand(`${repo}dist`, flagsOf(set)), `http://127.0.0.1:${backend.port}`);
      try {
        const base = `http://127.0.0.1:${proxy.port}/user/bench/small`;
        await runWrk(base, { connections: 50, seconds: 1 });
        const before = cpuTimeUs(proxy.child.pid as number);
        const run = await runWrk(base, { connections: 50, seconds });
        const figures = results.get(set);
        figures?.cpu.push((cpuTimeUs(proxy.child.pid as number) - before) / (run.requestsPerSecond * seconds));
        figures?.rps10.push((await runWrk(base, { connections: 10, seconds })).requestsPerSecond);
        figures?.p99.push((await runWrk(base, { connections: 1, seconds })).p99Ms);
      } finally {
        await proxy.stop();
      }
    }
  }
  for (const [set, { cpu, rps10, p99 }] of results) {
    const name = set === '' ? '(none)' : set;
    console.log(`${name}: median ${median(cpu).toFixed(1)} µs per request (${cpu.map((value) => value.toFixed(0)).join(', ')}); ${median(rps10).toFixed(0)} req/s at 10 connections; p99 ${median(p99).toFixed(2)} ms at 1`);
  }
} finally {
  await backend.stop();
}
