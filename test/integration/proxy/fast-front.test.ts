import assert from 'node:assert/strict';
import http, { type IncomingHttpHeaders } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { bodyText, closeServer, listen, startProxy, startUpstream, type TestProxy, type Upstream } from './proxy-harness.js';

/**
 * The fast front (src/proxy/fast-front.ts) against raw client bytes: what it serves itself, what it
 * hands to Node's HTTP server, and that the connection stays correct across both. The behaviour of
 * forwarding as such runs in both modes in http-forwarding.test.ts and upstream-failures.test.ts.
 */

interface Seen {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A client connection that keeps everything it received. */
class RawClient {
  readonly socket: net.Socket;
  received = '';
  closed = false;
  private waiters: (() => void)[] = [];

  constructor(port: number) {
    this.socket = net.connect(port, '127.0.0.1');
    this.socket.on('data', (chunk: Buffer) => {
      this.received += chunk.toString('latin1');
      this.wake();
    });
    this.socket.on('error', () => {});
    this.socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  send(text: string): void {
    this.socket.write(text, 'latin1');
  }

  /** Waits until `done()` holds (or the connection closed), at most 10 s. */
  async until(done: () => boolean): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!done() && !this.closed && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  }

  answers(): number {
    return this.received.split('HTTP/1.1 ').length - 1;
  }

  close(): void {
    this.socket.destroy();
  }

  private wake(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}

const get = (path: string, extra = ''): string => `GET ${path} HTTP/1.1\r\nHost: proxy.test\r\n${extra}\r\n`;

describe('fast front', () => {
  const seen: Seen[] = [];
  let upstream: Upstream;
  let proxy: TestProxy;
  const backendPorts = new Set<number>();

  before(async () => {
    upstream = await startUpstream(async (req, res) => {
      backendPorts.add(req.socket.remotePort ?? 0);
      seen.push({ method: req.method, url: req.url, headers: req.headers, body: await bodyText(req) });
      if (req.url === '/user/a/chunked') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('one,');
        setTimeout(() => res.end('two'), 20);
        return;
      }
      if (req.url === '/user/a/large') {
        res.writeHead(200, { 'content-length': 100_000 });
        res.end(Buffer.alloc(100_000, 'z'));
        return;
      }
      const body = `${req.method ?? ''} ${req.url ?? ''}`;
      res.writeHead(200, { 'content-type': 'text/plain', 'x-backend': 'yes', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
    proxy = await startProxy({}, http.createServer({ keepAliveTimeout: 5000 }));
    proxy.table.add('/user/a', upstream.url, {});
  });

  after(async () => {
    await proxy.close();
    await upstream.close();
  });

  it('serves a simple GET itself, with the headers Node would write', async () => {
    const before = proxy.forwardedByFront();
    const client = new RawClient(proxy.port);
    client.send(get('/user/a/x?y=1'));
    await client.until(() => client.received.endsWith('GET /user/a/x?y=1'));
    client.close();
    assert.equal(proxy.forwardedByFront(), before + 1);
    const [head = '', body] = client.received.split('\r\n\r\n');
    const lines = head.split('\r\n');
    assert.equal(lines[0], 'HTTP/1.1 200 OK');
    const names = lines.slice(1).map((line) => line.slice(0, line.indexOf(':')).toLowerCase());
    assert.deepEqual(new Set(names), new Set(['content-type', 'x-backend', 'date', 'content-length', 'connection', 'keep-alive']));
    assert.ok(lines.includes('Keep-Alive: timeout=5'), head);
    assert.equal(body, 'GET /user/a/x?y=1');
    assert.equal(seen.at(-1)?.headers['x-forwarded-host'], 'proxy.test');
  });

  it('keeps the connection for later requests and reuses the backend connection', async () => {
    const before = proxy.forwardedByFront();
    const portsBefore = backendPorts.size;
    const client = new RawClient(proxy.port);
    for (const n of [1, 2, 3]) {
      client.send(get(`/user/a/seq${n}`));
      await client.until(() => client.received.endsWith(`/user/a/seq${n}`));
    }
    client.close();
    assert.equal(client.answers(), 3);
    assert.equal(proxy.forwardedByFront(), before + 3);
    assert.ok(backendPorts.size - portsBefore <= 1, 'the three requests used one backend connection');
  });

  it('answers pipelined requests in order, and hands a request with a body to Node mid-connection', async () => {
    const before = proxy.forwardedByFront();
    const client = new RawClient(proxy.port);
    client.send(get('/user/a/p1') + get('/user/a/p2') + 'POST /user/a/p3 HTTP/1.1\r\nHost: proxy.test\r\nContent-Length: 5\r\n\r\nhello' + get('/user/a/p4'));
    await client.until(() => client.answers() === 4 && client.received.endsWith('GET /user/a/p4'));
    client.close();
    const bodies = client.received.split('HTTP/1.1 ').slice(1).map((answer) => answer.slice(answer.indexOf('\r\n\r\n') + 4));
    assert.deepEqual(bodies, ['GET /user/a/p1', 'GET /user/a/p2', 'POST /user/a/p3', 'GET /user/a/p4']);
    assert.equal(seen.find((entry) => entry.url === '/user/a/p3')?.body, 'hello');
    // p1 and p2 by the front; from the POST on the connection belongs to Node.
    assert.equal(proxy.forwardedByFront(), before + 2);
  });

  it('reads a head that arrives in several pieces', async () => {
    const before = proxy.forwardedByFront();
    const client = new RawClient(proxy.port);
    client.send('GET /user/a/split HTTP/1.1\r\nHo');
    await new Promise((resolve) => setTimeout(resolve, 50));
    client.send('st: proxy.test\r\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    client.send('\r\n');
    await client.until(() => client.received.endsWith('GET /user/a/split'));
    client.close();
    assert.equal(proxy.forwardedByFront(), before + 1);
  });

  it('leaves every request that is not plainly simple to Node, which answers it as it always did', async () => {
    const cases: { name: string; text: string; expect: RegExp }[] = [
      { name: 'HTTP/1.0', text: 'GET /user/a/old HTTP/1.0\r\nHost: proxy.test\r\n\r\n', expect: /^HTTP\/1\.1 200[\s\S]*GET \/user\/a\/old$/ },
      { name: 'Content-Length and Transfer-Encoding together (smuggling)', text: 'GET /user/a/s HTTP/1.1\r\nHost: proxy.test\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n', expect: /^HTTP\/1\.1 400/ },
      { name: 'a folded header line', text: 'GET /user/a/f HTTP/1.1\r\nHost: proxy.test\r\nX-A: one\r\n two\r\n\r\n', expect: /^HTTP\/1\.1 400/ },
      { name: 'a bare LF inside a header', text: 'GET /user/a/lf HTTP/1.1\r\nHost: proxy.test\r\nX-A: one\nX-B: two\r\n\r\n', expect: /^HTTP\/1\.1 400/ },
      { name: 'no Host', text: 'GET /user/a/nohost HTTP/1.1\r\n\r\n', expect: /^HTTP\/1\.1 400/ },
      { name: 'a path no route covers', text: get('/elsewhere'), expect: /^HTTP\/1\.1 404[\s\S]*no route/ },
      { name: 'absolute-form target', text: 'GET http://proxy.test/user/a/abs HTTP/1.1\r\nHost: proxy.test\r\n\r\n', expect: /^HTTP\/1\.1 (200|404)/ },
    ];
    const before = proxy.forwardedByFront();
    for (const { name, text, expect } of cases) {
      const client = new RawClient(proxy.port);
      client.send(text);
      await client.until(() => expect.test(client.received));
      client.close();
      assert.match(client.received, expect, name);
    }
    assert.equal(proxy.forwardedByFront(), before, 'none of them went through the front');
    assert.equal(seen.some((entry) => entry.url === '/user/a/s' || entry.url === '/user/a/f' || entry.url === '/user/a/lf'), false);
  });

  it('gives repeated headers to Node, which joins them as it always did', async () => {
    const client = new RawClient(proxy.port);
    client.send(get('/user/a/dup', 'X-Dup: one\r\nX-Dup: two\r\n'));
    await client.until(() => client.received.endsWith('GET /user/a/dup'));
    client.close();
    assert.equal(seen.find((entry) => entry.url === '/user/a/dup')?.headers['x-dup'], 'one, two');
  });

  it('re-frames a chunked answer and sends HEAD answers without a body', async () => {
    const client = new RawClient(proxy.port);
    client.send(get('/user/a/chunked'));
    await client.until(() => client.received.endsWith('0\r\n\r\n'));
    assert.match(client.received, /Transfer-Encoding: chunked\r\n/);
    assert.match(client.received, /\r\n\r\n4\r\none,\r\n3\r\ntwo\r\n0\r\n\r\n$/);
    client.received = '';
    client.send('HEAD /user/a/head HTTP/1.1\r\nHost: proxy.test\r\n\r\n' + get('/user/a/after-head'));
    await client.until(() => client.received.endsWith('GET /user/a/after-head'));
    client.close();
    assert.equal(client.answers(), 2);
    assert.match(client.received, /^HTTP\/1\.1 200 OK\r\n[\s\S]*?content-length: 17\r\n[\s\S]*?\r\n\r\nHTTP\/1\.1 200 OK/);
  });

  it('relays a large body byte for byte', async () => {
    const client = new RawClient(proxy.port);
    client.send(get('/user/a/large'));
    await client.until(() => client.received.length >= 100_000 && client.received.endsWith('z'.repeat(10)));
    client.close();
    const body = client.received.slice(client.received.indexOf('\r\n\r\n') + 4);
    assert.equal(body, 'z'.repeat(100_000));
  });

  it('closes after the answer when the client asks for it', async () => {
    const client = new RawClient(proxy.port);
    client.send(get('/user/a/bye', 'Connection: close\r\n'));
    await client.until(() => client.closed);
    assert.equal(client.closed, true);
    assert.match(client.received, /Connection: close\r\n/);
    assert.ok(client.received.endsWith('GET /user/a/bye'));
  });

  it('sends a head larger than the limit to Node, which refuses it with 431', async () => {
    const client = new RawClient(proxy.port);
    client.send(get('/user/a/big', `X-Big: ${'b'.repeat(20_000)}\r\n`));
    await client.until(() => client.received.startsWith('HTTP/1.1 431'));
    client.close();
    assert.match(client.received, /^HTTP\/1\.1 431/);
  });
});

describe('fast front: failures and limits', () => {
  let proxy: TestProxy;
  let rawBackend: net.Server;

  before(async () => {
    proxy = await startProxy({}, http.createServer({ keepAliveTimeout: 300 }));
    // A backend that answers with a header carrying a bare LF: relayed, it would split the answer.
    rawBackend = net.createServer((socket) => {
      socket.on('data', () => socket.write('HTTP/1.1 200 OK\r\nX-A: one\nSet-Cookie: injected=1\r\nContent-Length: 2\r\n\r\nok'));
      socket.on('error', () => {});
    });
    await new Promise<void>((resolve) => rawBackend.listen(0, '127.0.0.1', resolve));
    proxy.table.add('/user/split', `http://127.0.0.1:${(rawBackend.address() as AddressInfo).port}`, {});
    // A backend that is not there.
    const closed = http.createServer();
    const url = await listen(closed);
    await closeServer(closed);
    proxy.table.add('/user/gone', url, {});
  });

  after(async () => {
    await proxy.close();
    await new Promise<void>((resolve) => rawBackend.close(() => resolve()));
  });

  it('answers an unreachable backend with the error page through the request handler, once', async () => {
    const client = new RawClient(proxy.port);
    client.send(get('/user/gone/x'));
    await client.until(() => /\}$/.test(client.received));
    assert.match(client.received, /^HTTP\/1\.1 503 /);
    assert.match(client.received, /"code":"PROXY_UPSTREAM_UNREACHABLE"/);
    assert.equal(client.answers(), 1);
    // The connection stays usable.
    client.received = '';
    client.send(get('/user/gone/y'));
    await client.until(() => /\}$/.test(client.received));
    client.close();
    assert.match(client.received, /^HTTP\/1\.1 503 /);
  });

  it('refuses a backend header with a bare line feed (502), never relaying it', async () => {
    const client = new RawClient(proxy.port);
    client.send(get('/user/split/x'));
    await client.until(() => /\}$/.test(client.received));
    client.close();
    assert.match(client.received, /^HTTP\/1\.1 502 /);
    assert.doesNotMatch(client.received, /injected/);
  });

  it('closes an idle kept-alive connection after the keep-alive timeout', async () => {
    const client = new RawClient(proxy.port);
    client.send(get('/user/gone/z'));
    await client.until(() => client.closed);
    assert.equal(client.closed, true, 'closed within 10 s of a 300 ms keep-alive timeout');
  });

  it('lets the server close while a connection is held idle by the front', async () => {
    const extra = await startProxy({}, http.createServer());
    const client = new RawClient(extra.port);
    client.send('GET /partial HTTP/1.1\r\nHost: x\r\n');
    await new Promise((resolve) => setTimeout(resolve, 50));
    await extra.close();
    await client.until(() => client.closed);
    assert.equal(client.closed, true);
  });
});
