// CPU cost A/B of proxy builds: alternates the given proxies round by round (a tsc output directory
// such as .tmp/c-dist, or `chp`) against bench/proxy/backend.ts and prints, per proxy, the median CPU
// µs (user + system from /proc) per small HTTP request under `wrk -t1 -c50` and per WebSocket round
// trip with 50 connections. Alternating rounds keeps a busy shared machine from favouring one build.
// No assertions: numbers only.
//
//   npx tsc -p tsconfig.build.json --outDir .tmp/x && node --import tsx bench/proxy/cpu-ab.ts [--rounds N] [--seconds S] [--only http|ws] .tmp/x chp
import { parseArgs } from 'node:util';
import { binBulwarkNodeFlags, bulwarkProxyCommand, cpuTimeUs, repo, startChpLike, startPrintingPort } from './processes.js';
import { runWrk } from '../lib/wrk.js';
import { wsRoundTrips } from './ws-roundtrips.js';
const { values, positionals } = parseArgs({ allowPositionals: true, options: { rounds: { type: 'string' }, seconds: { type: 'string' }, only: { type: 'string' } } });
const rounds = Number(values.rounds ?? 5), seconds = Number(values.seconds ?? 4);
// `DIR:plain` runs the build without bin/bulwark's shebang flags (its memory settings).
const cmd = (d: string) =>
  d === 'chp'
    ? [process.execPath, `${repo}.tmp/chp/node_modules/.bin/configurable-http-proxy`]
    : d.endsWith(':plain')
      ? bulwarkProxyCommand(d.slice(0, -':plain'.length), [])
      : bulwarkProxyCommand(d, binBulwarkNodeFlags());
const backend = await startPrintingPort([`${repo}bench/proxy/backend.ts`]);
const res = new Map<string, { http: number[]; ws: number[] }>(positionals.map((d) => [d, { http: [], ws: [] }]));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]?.toFixed(1);
for (let r = 0; r < rounds; r++) for (const d of positionals) {
  const proxy = await startChpLike(cmd(d), `http://127.0.0.1:${backend.port}`);
  const pid = proxy.child.pid as number, base = `http://127.0.0.1:${proxy.port}`, out = res.get(d)!;
  try {
    if (values.only !== 'ws') {
      await runWrk(`${base}/user/bench/small`, { connections: 50, seconds: 1 });
      const c0 = cpuTimeUs(pid);
      const w = await runWrk(`${base}/user/bench/small`, { connections: 50, seconds });
      out.http.push((cpuTimeUs(pid) - c0) / (w.requestsPerSecond * seconds));
    }
    if (values.only !== 'http') {
      const u = `${base.replace('http', 'ws')}/user/bench/api/kernels/k/channels`;
      await wsRoundTrips(u, 50, 1);
      const c0 = cpuTimeUs(pid);
      const rt = await wsRoundTrips(u, 50, seconds);
      out.ws.push((cpuTimeUs(pid) - c0) / (rt * seconds));
    }
  } finally { await proxy.stop(); }
}
for (const [d, o] of res) console.log(`${d}: http median ${median(o.http)} [${o.http.map((x) => x.toFixed(0)).join(' ')}]  ws median ${median(o.ws)} [${o.ws.map((x) => x.toFixed(1)).join(' ')}]`);
await backend.stop();
