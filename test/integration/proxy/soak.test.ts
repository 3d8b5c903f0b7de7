// Soak: rounds of 1,000 WebSocket connections opened, used and closed through `bulwark proxy` (a
// separate process, as in production). Afterwards the proxy holds no more sockets than before and
// its live heap after a full collection is what it was (RSS is reported: V8 keeps freed pages, so it
// says little about leaks). Bounded to about a minute.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { WebSocket, WebSocketServer } from 'ws';
import { findFreePort } from '../../helpers/ports.js';
import { bulwarkProxyCommand, startProxyProcess, type RunningProxy } from './bulwark-proxy-process.js';
import { socketCount } from './process-usage.js';

const token = 'soak-token';
const connectionsPerRound = 1000;
const concurrency = 50;
const rounds = 8;
let proxy: RunningProxy;
let backend: http.Server;
let wss: WebSocketServer;
let proxyPort: number;

before(async () => {
  backend = http.createServer((_req, res) => res.end('ok'));
  wss = new WebSocketServer({ server: backend });
  wss.on('connection', (ws) => ws.on('message', (data) => ws.send(data)));
  backend.listen(0, '127.0.0.1');
  await once(backend, 'listening');
  const backendUrl = `http://127.0.0.1:${(backend.address() as AddressInfo).port}`;
  proxyPort = await findFreePort();
  const apiPort = await findFreePort();
  const [node = '', ...rest] = bulwarkProxyCommand();
  const gcProbe = new URL('./gc-probe.ts', import.meta.url).pathname;
  proxy = await startProxyProcess(
    [node, '--expose-gc', ...rest.slice(0, 2), '--import', gcProbe, ...rest.slice(2)],
    ['--ip', '127.0.0.1', '--port', String(proxyPort), '--api-port', String(apiPort), '--default-target', backendUrl, '--log-level', 'warn'],
    { port: proxyPort, apiPort },
    { CONFIGPROXY_AUTH_TOKEN: token },
  );
});

after(async () => {
  await proxy?.stop();
  wss?.close();
  backend?.closeAllConnections();
  await new Promise<void>((resolve) => backend?.close(() => resolve()));
});

/** One client: connect, one echo round trip, close, wait for the close to complete. */
async function oneConnection(i: number): Promise<void> {
  const ws = new WebSocket(`ws://127.0.0.1:${proxyPort}/user/soak${i % 20}/api/kernels/k/channels`);
  await once(ws, 'open');
  ws.send(`hello ${i}`);
  const [data] = (await once(ws, 'message')) as [Buffer];
  assert.equal(data.toString(), `hello ${i}`);
  ws.close();
  await once(ws, 'close');
}

async function round(): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < connectionsPerRound) await oneConnection(next++);
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

/** Sockets of the proxy once the closes have drained (the tunnel gives each side a grace period). */
async function settledSockets(pid: number, atMost: number): Promise<number> {
  const deadline = Date.now() + 10_000;
  let count = socketCount(pid);
  while (count > atMost && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    count = socketCount(pid);
  }
  return count;
}

/** Asks the proxy (through gc-probe.ts) to collect garbage; returns its live heap and RSS in bytes. */
async function collected(): Promise<{ heap: number; rss: number }> {
  const seen = proxy.log().length;
  proxy.child.kill('SIGUSR2');
  const deadline = Date.now() + 5000;
  for (;;) {
    const match = /gc-probe heapUsed=(\d+) rss=(\d+)/.exec(proxy.log().slice(seen));
    if (match) return { heap: Number(match[1]), rss: Number(match[2]) };
    if (Date.now() > deadline) throw new Error(`no gc-probe answer from the proxy:\n${proxy.log()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

test(`${rounds} × ${connectionsPerRound} WebSocket connections leave no sockets or memory behind`, { timeout: 120_000 }, async () => {
  const pid = proxy.child.pid ?? 0;
  await round(); // warm-up: JIT, buffers and pools reach their working size
  const baseSockets = await settledSockets(pid, 0);
  const base = await collected();
  const samples: { heap: number; rss: number }[] = [];
  for (let r = 0; r < rounds; r++) {
    await round();
    await settledSockets(pid, baseSockets);
    samples.push(await collected());
  }
  const sockets = await settledSockets(pid, baseSockets);
  const last = samples.at(-1) ?? base;
  const mb = (n: number) => (n / 1024 / 1024).toFixed(1);
  const report =
    `sockets ${baseSockets} → ${sockets}; live heap ${mb(base.heap)} MB → ${samples.map((s) => mb(s.heap)).join(', ')} MB; ` +
    `RSS ${mb(base.rss)} MB → ${mb(last.rss)} MB`;
  // Listening sockets only: no client or backend connection may outlive its WebSocket.
  assert.equal(sockets, baseSockets, report);
  assert.equal(wss.clients.size, 0, 'the backend saw every connection closed');
  // 4,000 connections leaking even 500 bytes each would add 2 MB of live heap.
  assert.ok(last.heap - base.heap < 2 * 1024 * 1024, `live heap grew: ${report}`);
  console.log(`soak: ${report}`);
});
