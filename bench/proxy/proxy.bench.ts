// Side-by-side proxy benchmark on 127.0.0.1: direct to the backend, configurable-http-proxy 5.x,
// `bulwark proxy` (built CLI) and the hub's embedded forwarder. Measures small-response HTTP
// requests/s and latency (wrk), WebSocket round trips/s, large-body throughput and RSS. Writes
// bench/proxy/RESULTS.md and bench/proxy/results.svg. No assertions: numbers only.
//
//   npm run build && node --import tsx bench/proxy/proxy.bench.ts [--runs N] [--seconds S] [--dist DIR]
import { existsSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { binBulwarkNodeFlags, bulwarkProxyCommand, cpuTimeUs, memoryOf, repo, startChpLike, startPrintingPort, type Running } from './processes.js';
import { markdownTable, medianResults, svgChart, type TargetResult } from './report.js';
import { runWrk } from '../lib/wrk.js';
import { wsRoundTrips } from './ws-roundtrips.js';

const { values } = parseArgs({ options: { runs: { type: 'string' }, seconds: { type: 'string' }, dist: { type: 'string' } } });
const runs = Number(values.runs ?? 2);
const seconds = Number(values.seconds ?? 5);
const dist = values.dist ?? `${repo}dist`;
const chp = `${repo}.tmp/chp/node_modules/.bin/configurable-http-proxy`;
if (!existsSync(chp)) throw new Error(`configurable-http-proxy missing at ${chp}: run scripts/setup.sh --test`);
if (!existsSync(`${dist}/server/proxy-server.js`)) throw new Error(`${dist} has no built proxy: run npm run build (or pass --dist)`);

/** `bulwark proxy` exactly as bin/bulwark runs it: the built CLI's main(['proxy', …]) with its shebang's Node flags. */
const bulwarkCommand = bulwarkProxyCommand(dist, binBulwarkNodeFlags());

interface Target {
  name: string;
  start(backend: string): Promise<Running | undefined>;
}

const targets: Target[] = [
  { name: 'direct', start: async () => undefined },
  { name: 'CHP 5', start: (backend) => startChpLike([process.execPath, chp], backend) },
  { name: 'bulwark proxy', start: (backend) => startChpLike(bulwarkCommand, backend) },
  { name: 'embedded', start: (backend) => startPrintingPort([`${repo}bench/proxy/embedded-proxy.ts`, backend]) },
];

const mb = (bytes: number) => bytes / 1024 / 1024;

async function measure(target: Target, backend: Running): Promise<TargetResult> {
  const backendUrl = `http://127.0.0.1:${backend.port}`;
  const proxy = await target.start(backendUrl);
  const base = `http://127.0.0.1:${proxy?.port ?? backend.port}`;
  const pid = proxy?.child.pid;
  // CPU per request of the process doing the forwarding (for "direct", the backend's own cost): a
  // figure that, unlike requests/s, barely depends on what else runs on the machine.
  const cpuPid = pid ?? backend.child.pid ?? 0;
  try {
    await runWrk(`${base}/user/bench/small`, { connections: 10, seconds: 1 }); // warm-up
    const idle = pid === undefined ? null : mb(memoryOf(pid).rss);
    const small10 = await runWrk(`${base}/user/bench/small`, { connections: 10, seconds });
    const small32 = await runWrk(`${base}/user/bench/small`, { connections: 32, seconds });
    const cpuBefore = cpuTimeUs(cpuPid);
    const small50 = await runWrk(`${base}/user/bench/small`, { connections: 50, seconds });
    const cpuPerRequest = (cpuTimeUs(cpuPid) - cpuBefore) / Math.max(1, small50.requestsPerSecond * seconds);
    const latency = await runWrk(`${base}/user/bench/small`, { connections: 1, seconds });
    const wsCpuBefore = cpuTimeUs(cpuPid);
    const ws = await wsRoundTrips(`${base.replace('http', 'ws')}/user/bench/api/kernels/k/channels`, 50, seconds);
    const cpuPerRoundTrip = (cpuTimeUs(cpuPid) - wsCpuBefore) / Math.max(1, ws * seconds);
    const large = await runWrk(`${base}/user/bench/large`, { connections: 4, seconds });
    const errors = small10.errors + small32.errors + small50.errors + latency.errors + large.errors;
    if (errors > 0) console.error(`${target.name}: ${errors} failed requests`);
    const result: TargetResult = {
      name: target.name,
      smallRps10: small10.requestsPerSecond,
      smallRps32: small32.requestsPerSecond,
      smallRps50: small50.requestsPerSecond,
      p50Ms: latency.p50Ms,
      p99Ms: latency.p99Ms,
      wsRoundTrips: ws,
      cpuUsPerRequest: cpuPerRequest,
      cpuUsPerRoundTrip: cpuPerRoundTrip,
      largeMBps: mb(large.bytesPerSecond),
      idleRssMB: idle,
      peakRssMB: pid === undefined ? null : mb(memoryOf(pid).peak),
    };
    console.log(JSON.stringify(result));
    return result;
  } finally {
    await proxy?.stop();
  }
}

const startLoad = os.loadavg().map((n) => n.toFixed(1)).join(', ');
const all: TargetResult[][] = [];
for (let run = 0; run < runs; run++) {
  const backend = await startPrintingPort([`${repo}bench/proxy/backend.ts`]);
  try {
    const results: TargetResult[] = [];
    for (const target of targets) results.push(await measure(target, backend));
    all.push(results);
  } finally {
    await backend.stop();
  }
}

const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB, Node ${process.version}, ${os.release()}`;
const markdown = [
  '# Proxy benchmark results',
  '',
  `Generated by \`bench/proxy/proxy.bench.ts\` on ${new Date().toISOString()} (${machine}).`,
  `${runs} run(s), ${seconds} s per measurement; wrk with one thread; backend, proxy and load generator share the machine`,
  `(load average ${os.loadavg().map((n) => n.toFixed(1)).join(', ')} at the end, 1/5/15 min; ${startLoad} at the start).`,
  'Ratios in brackets are against CHP 5 in the same run. Latency is measured with one connection (moderate load);',
  'the proxy adds the difference to "direct". RSS of the proxy process (idle after warm-up / peak during the run).',
  'CPU µs is the user + system time the proxy process spent per request (50 connections) and per WebSocket round',
  'trip; in the "direct" rows it is the backend\'s own cost. Unlike requests/s it hardly changes with the load other',
  'processes put on the machine, so it is the fairer comparison on a shared machine (lower is better).',
  'Where the proxy\'s time goes, and why: [PROFILE.md](PROFILE.md).',
  'Memory with and without bin/bulwark\'s Node flags, and against an older build: [MEMORY.md](MEMORY.md) (bench/proxy/memory.bench.ts).',
  '',
  markdownTable(all, 'CHP 5'),
  '',
  'Median of each figure over the runs (the chart, results.svg, shows these):',
  '',
  markdownTable([medianResults(all)], 'CHP 5', () => 'median'),
  '',
].join('\n');
writeFileSync(`${repo}bench/proxy/RESULTS.md`, markdown);
writeFileSync(`${repo}bench/proxy/results.svg`, svgChart(medianResults(all).filter((r) => r.name !== 'direct'), 'CHP 5'));
console.log(markdown);
