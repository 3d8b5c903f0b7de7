import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { WebSocket, WebSocketServer, type RawData } from 'ws';
import type { Route } from '../../../src/proxy/route-table.js';
import { bodyText, closeServer, startProxy, startUpstream, type TestProxy, type Upstream } from './proxy-harness.js';

interface Received {
  data: Buffer;
  isBinary: boolean;
}

/** What the backend saw of one WebSocket connection. */
interface BackendSide {
  socket: WebSocket;
  headers: IncomingHttpHeaders;
  received: Received[];
  closed: Promise<{ code: number; reason: string }>;
}

function toBuffer(data: RawData): Buffer {
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.isBuffer(data) ? data : Buffer.from(data);
}

function nextMessage(ws: WebSocket): Promise<Received> {
  return new Promise((resolve) => ws.once('message', (data, isBinary) => resolve({ data: toBuffer(data), isBinary })));
}

function closeOf(ws: WebSocket): Promise<{ code: number; reason: string }> {
  return new Promise((resolve) => ws.once('close', (code, reason) => resolve({ code, reason: reason.toString() })));
}

describe('WebSocket forwarding', () => {
  const backends: BackendSide[] = [];
  const waiting: Array<(side: BackendSide) => void> = [];
  const activity: Route[] = [];
  let upstream: Upstream;
  let proxy: TestProxy;
  const wss = new WebSocketServer({ noServer: true });

  function nextBackend(): Promise<BackendSide> {
    return new Promise((resolve) => waiting.push(resolve));
  }

  before(async () => {
    upstream = await startUpstream(
      (_req, res) => res.end(),
      (req, socket, head) => {
        // Like the notebook server: refuse a WebSocket whose Origin is not the Host it was sent to.
        if (req.url?.startsWith('/user/alice/refuse') === true || req.headers.origin !== `http://${req.headers.host ?? ''}`) {
          const body = '{"message": "Blocking Cross Origin WebSocket Attempt"}';
          socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
          return;
        }
        wss.handleUpgrade(req, socket, head, (ws) => {
          const side: BackendSide = { socket: ws, headers: req.headers, received: [], closed: closeOf(ws) };
          ws.on('message', (data, isBinary) => side.received.push({ data: toBuffer(data), isBinary }));
          backends.push(side);
          waiting.shift()?.(side);
        });
      },
    );
    proxy = await startProxy({ removeCookies: ['bulwark-hub-login'], onActivity: (route) => activity.push(route) });
    proxy.table.add('/user/alice', upstream.url);
  });

  after(async () => {
    wss.close();
    await proxy.close();
    await upstream.close();
  });

  async function connect(path = '/user/alice/api/kernels/k1/channels', options: ConstructorParameters<typeof WebSocket>[2] = {}): Promise<{ client: WebSocket; backend: BackendSide }> {
    const backend = nextBackend();
    const client = new WebSocket(`ws://127.0.0.1:${proxy.port}${path}`, { origin: `http://127.0.0.1:${proxy.port}`, ...options });
    await once(client, 'open');
    return { client, backend: await backend };
  }

  function refusal(client: WebSocket): Promise<{ status: number | undefined; body: string }> {
    return new Promise((resolve, reject) => {
      client.on('error', () => undefined);
      client.once('open', () => reject(new Error('the upgrade should have been refused')));
      client.once('unexpected-response', (_req, res: IncomingMessage) => {
        bodyText(res).then((body) => resolve({ status: res.statusCode, body }), reject);
      });
    });
  }

  it('keeps Host (so the Origin check passes), forwards the upgrade headers and removes hub cookies', async () => {
    const { client, backend } = await connect('/user/alice/api/kernels/k1/channels?session_id=s1', {
      headers: { cookie: 'bulwark-hub-login=SECRET; jupyterhub-user-alice=ok' },
    });
    assert.equal(backend.headers.host, `127.0.0.1:${proxy.port}`);
    assert.equal(backend.headers.upgrade, 'websocket');
    assert.equal(backend.headers.connection, 'Upgrade');
    assert.equal(backend.headers.cookie, 'jupyterhub-user-alice=ok');
    assert.equal(backend.headers['x-forwarded-proto'], 'http');
    assert.equal(backend.headers['x-forwarded-for'], '127.0.0.1');
    client.close();
    await backend.closed;
  });

  it('carries text and binary messages both ways, small and large', async () => {
    const { client, backend } = await connect();
    client.send('{"msg_type": "kernel_info_request"}');
    client.send(Buffer.from([0, 1, 2, 255]));
    const large = Buffer.alloc(5 * 1024 * 1024, 7);
    client.send(large);
    const fromBackend = nextMessage(client);
    backend.socket.send('{"msg_type": "kernel_info_reply"}');
    assert.deepEqual(await fromBackend, { data: Buffer.from('{"msg_type": "kernel_info_reply"}'), isBinary: false });
    const binaryFromBackend = nextMessage(client);
    backend.socket.send(large, { binary: true });
    const got = await binaryFromBackend;
    assert.equal(got.isBinary, true);
    assert.ok(got.data.equals(large));
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(backend.received.length, 3);
    assert.deepEqual(backend.received[0], { data: Buffer.from('{"msg_type": "kernel_info_request"}'), isBinary: false });
    assert.deepEqual(backend.received[1], { data: Buffer.from([0, 1, 2, 255]), isBinary: true });
    assert.ok(backend.received[2]?.data.equals(large));
    client.close();
    await backend.closed;
  });

  it('carries a close from the client to the backend, with code and reason', async () => {
    const { client, backend } = await connect();
    const clientClosed = closeOf(client);
    client.close(4001, 'tab closed');
    assert.deepEqual(await backend.closed, { code: 4001, reason: 'tab closed' });
    assert.equal((await clientClosed).code, 4001);
  });

  it('carries a close from the backend to the client, with code and reason', async () => {
    const { client, backend } = await connect();
    const clientClosed = closeOf(client);
    backend.socket.close(4002, 'kernel restarted');
    assert.deepEqual(await clientClosed, { code: 4002, reason: 'kernel restarted' });
    assert.equal((await backend.closed).code, 4002);
  });

  it('closes the client when the backend connection drops, and the backend when the client drops', async () => {
    const first = await connect();
    const clientClosed = closeOf(first.client);
    first.backend.socket.terminate();
    assert.equal((await clientClosed).code, 1006);

    const second = await connect();
    second.client.terminate();
    assert.equal((await second.backend.closed).code, 1006);
  });

  it('relays a refused upgrade (403 with its body) to the client', async () => {
    const client = new WebSocket(`ws://127.0.0.1:${proxy.port}/user/alice/refuse`, { origin: `http://127.0.0.1:${proxy.port}` });
    const { status, body } = await refusal(client);
    assert.equal(status, 403);
    assert.equal(JSON.parse(body).message, 'Blocking Cross Origin WebSocket Attempt');
  });

  it('lets the backend refuse a foreign Origin', async () => {
    const client = new WebSocket(`ws://127.0.0.1:${proxy.port}/user/alice/api/kernels/k1/channels`, { origin: 'https://evil.example' });
    assert.equal((await refusal(client)).status, 403);
  });

  it('answers 503 to an upgrade when the backend is down', async () => {
    const dead = await startUpstream(() => undefined);
    const deadUrl = dead.url;
    await dead.close();
    proxy.table.add('/user/bob', deadUrl);
    const client = new WebSocket(`ws://127.0.0.1:${proxy.port}/user/bob/api/kernels/k1/channels`);
    const { status, body } = await refusal(client);
    assert.equal(status, 503);
    assert.equal(JSON.parse(body).code, 'PROXY_UPSTREAM_UNREACHABLE');
    assert.equal(proxy.logger.entries.at(-1)?.level, 'warn');
    proxy.table.remove('/user/bob');
  });

  it('records activity at most once a second for a busy socket', async () => {
    const { client, backend } = await connect();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    activity.length = 0;
    for (let i = 0; i < 200; i++) client.send(`message ${i}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(backend.received.length, 200);
    assert.equal(activity.length, 1);
    client.close();
    await backend.closed;
  });

  it('closes open tunnels when the forwarder closes', async () => {
    const { client, backend } = await connect();
    const clientClosed = closeOf(client);
    proxy.forwarder.close();
    assert.equal((await clientClosed).code, 1006);
    assert.equal((await backend.closed).code, 1006);
  });
});

describe('WebSocket activity', () => {
  it('counts data frames in both directions but not pings and pongs', async () => {
    const wss = new WebSocketServer({ noServer: true });
    let backend: WebSocket | undefined;
    const upstream = await startUpstream(
      (_req, res) => res.end(),
      (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => (backend = ws)),
    );
    const recorded: number[] = [];
    const proxy = await startProxy({ activityIntervalMs: 0, onActivity: () => recorded.push(Date.now()) });
    proxy.table.add('/user/alice', upstream.url);
    try {
      const client = new WebSocket(`ws://127.0.0.1:${proxy.port}/user/alice/terminals/websocket/1`);
      await once(client, 'open');
      assert.equal(recorded.length, 1, 'the handshake itself is activity');
      client.ping();
      await once(client, 'pong');
      backend?.ping();
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(recorded.length, 1, 'pings and pongs are not activity');
      client.send('ls\r');
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(recorded.length, 2);
      backend?.send(Buffer.from('output'));
      await once(client, 'message');
      assert.equal(recorded.length, 3);
      client.close();
      await once(client, 'close');
    } finally {
      wss.close();
      await proxy.close();
      await closeServer(upstream.server);
    }
  });
});

