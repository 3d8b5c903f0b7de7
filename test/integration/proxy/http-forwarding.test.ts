import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, type IncomingHttpHeaders, type Server } from 'node:http';
import https from 'node:https';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createForwarder } from '../../../src/proxy/forwarder.js';
import type { Route } from '../../../src/proxy/route-table.js';
import { bodyText, frontModes, rawExchange, recordingLogger, request, startProxy, startUpstream, type TestProxy, type Upstream } from './proxy-harness.js';

interface Seen {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingHttpHeaders;
  body: string;
  remotePort: number | undefined;
}

for (const mode of frontModes) describe(`HTTP forwarding (${mode})`, () => {
  const seen: Seen[] = [];
  const activity: Route[] = [];
  let upstream: Upstream;
  let proxy: TestProxy;

  before(async () => {
    upstream = await startUpstream(async (req, res) => {
      seen.push({
        method: req.method,
        url: req.url,
        headers: req.headers,
        body: await bodyText(req),
        remotePort: req.socket.remotePort,
      });
      if (req.url === '/user/alice/no-content') {
        res.writeHead(204).end();
        return;
      }
      if (req.url === '/user/alice/not-modified') {
        res.writeHead(304, { etag: '"v1"' }).end();
        return;
      }
      if (req.url?.startsWith('/user/alice/redirect') === true) {
        res.writeHead(302, { location: '/user/alice/tree?x=1' }).end();
        return;
      }
      res.writeHead(201, 'Made It', {
        'content-type': 'text/plain',
        connection: 'keep-alive, X-Upstream-Hop',
        'x-upstream-hop': 'secret',
        'keep-alive': 'timeout=60',
        'set-cookie': ['a=1; Path=/user/alice', 'b=2; Path=/user/alice'],
        'x-served-by': 'alice',
      });
      res.end(`hello ${req.method ?? ''}`);
    });
    proxy = await startProxy({ removeCookies: ['bulwark-hub-login'], onActivity: (route) => activity.push(route) }, undefined, mode);
    proxy.table.add('/user/alice', upstream.url, { user: 'alice' });
  });

  after(async () => {
    await proxy.close();
    await upstream.close();
  });

  it('forwards method, path, query and body unchanged and relays status, message and body', async () => {
    seen.length = 0;
    const { res, text } = await request(
      `${proxy.url}/user/alice/api/contents/a%20b.ipynb?token=abc&x=%2F`,
      { method: 'PUT', headers: { 'content-type': 'application/json' } },
      '{"type":"notebook"}',
    );
    assert.equal(res.statusCode, 201);
    assert.equal(res.statusMessage, 'Made It');
    assert.equal(text, 'hello PUT');
    assert.equal(seen[0]?.method, 'PUT');
    assert.equal(seen[0]?.url, '/user/alice/api/contents/a%20b.ipynb?token=abc&x=%2F');
    assert.equal(seen[0]?.body, '{"type":"notebook"}');
  });

  it('keeps the Host header and appends X-Forwarded-*', async () => {
    seen.length = 0;
    await request(`${proxy.url}/user/alice/tree`, {
      headers: { host: 'hub.example.org', 'x-forwarded-for': '203.0.113.9' },
    });
    const headers = seen[0]?.headers ?? {};
    assert.equal(headers.host, 'hub.example.org');
    assert.equal(headers['x-forwarded-for'], '203.0.113.9, 127.0.0.1');
    assert.equal(headers['x-forwarded-proto'], 'http');
    assert.equal(headers['x-forwarded-host'], 'hub.example.org');
    assert.equal(headers['x-forwarded-port'], String(proxy.port));
  });

  it('strips hop-by-hop request headers, including those named in Connection', async () => {
    seen.length = 0;
    const answer = await rawExchange(
      proxy.port,
      [
        'GET /user/alice/tree HTTP/1.1',
        'Host: hub.example.org',
        'Connection: close, X-Client-Hop',
        'X-Client-Hop: drop me',
        'Keep-Alive: timeout=5',
        'Proxy-Authorization: Basic dXNlcjpwdw==',
        'Proxy-Connection: keep-alive',
        'TE: trailers',
        'Trailer: x-checksum',
        'Upgrade: h2c',
        'X-End-To-End: keep me',
        '',
        '',
      ].join('\r\n'),
    );
    assert.match(answer, /^HTTP\/1\.1 201 /);
    const headers = seen[0]?.headers ?? {};
    for (const name of ['x-client-hop', 'keep-alive', 'proxy-authorization', 'proxy-connection', 'te', 'trailer', 'upgrade']) {
      assert.equal(headers[name], undefined, name);
    }
    // The backend sees the proxy's own keep-alive connection, not the client's Connection header.
    assert.equal(headers.connection, 'keep-alive');
    assert.equal(headers['x-end-to-end'], 'keep me');
  });

  it('strips hop-by-hop response headers and keeps repeated Set-Cookie', async () => {
    const { res } = await request(`${proxy.url}/user/alice/tree`);
    assert.equal(res.headers['x-upstream-hop'], undefined);
    assert.equal(res.headers['keep-alive'], undefined);
    assert.deepEqual(res.headers['set-cookie'], ['a=1; Path=/user/alice', 'b=2; Path=/user/alice']);
    assert.equal(res.headers['x-served-by'], 'alice');
  });

  it('removes the hub login cookie and keeps the others', async () => {
    seen.length = 0;
    await request(`${proxy.url}/user/alice/tree`, {
      headers: { cookie: 'jupyterhub-user-alice=abc; bulwark-hub-login=SECRET; _xsrf=2|x' },
    });
    assert.equal(seen[0]?.headers.cookie, 'jupyterhub-user-alice=abc; _xsrf=2|x');
    seen.length = 0;
    await request(`${proxy.url}/user/alice/tree`, { headers: { cookie: 'bulwark-hub-login=SECRET' } });
    assert.equal(seen[0]?.headers.cookie, undefined);
  });

  it('relays answers without a body: HEAD, 204 and 304, keeping the client connection usable', async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const head = await request(`${proxy.url}/user/alice/tree`, { method: 'HEAD', agent });
      assert.equal(head.res.statusCode, 201);
      assert.equal(head.text, '');
      const noContent = await request(`${proxy.url}/user/alice/no-content`, { agent });
      assert.equal(noContent.res.statusCode, 204);
      const notModified = await request(`${proxy.url}/user/alice/not-modified`, { agent, headers: { 'if-none-match': '"v1"' } });
      assert.equal(notModified.res.statusCode, 304);
      assert.equal(notModified.res.headers.etag, '"v1"');
      const after = await request(`${proxy.url}/user/alice/tree`, { agent });
      assert.equal(after.text, 'hello GET');
    } finally {
      agent.destroy();
    }
  });

  it('passes redirects through untouched', async () => {
    const { res } = await request(`${proxy.url}/user/alice/redirect`);
    assert.equal(res.statusCode, 302);
    assert.equal(res.headers.location, '/user/alice/tree?x=1');
  });

  it('reuses backend connections (keep-alive agent)', async () => {
    seen.length = 0;
    for (let i = 0; i < 5; i++) await request(`${proxy.url}/user/alice/api/status`);
    const ports = new Set(seen.map((s) => s.remotePort));
    assert.equal(ports.size, 1, `expected one backend connection, saw ${ports.size}`);
  });

  it('records activity on the route, throttled', async () => {
    activity.length = 0;
    const before = Date.now();
    for (let i = 0; i < 3; i++) await request(`${proxy.url}/user/alice/api/status`);
    // The earlier tests ran within the same second, so zero or one call: never one per request.
    assert.ok(activity.length <= 1);
    const route = proxy.table.list().find((r) => r.prefix === '/user/alice');
    assert.ok(route !== undefined);
    assert.ok(route.lastActivity.getTime() >= before - 1000);
    await new Promise((resolve) => setTimeout(resolve, 1050));
    await request(`${proxy.url}/user/alice/api/status`);
    assert.equal(activity.at(-1)?.prefix, '/user/alice');
    assert.ok((proxy.table.match('/user/alice')?.lastActivity.getTime() ?? 0) >= before + 1000);
  });
});

describe('HTTP forwarding behind TLS', () => {
  let dir: string | undefined;
  let tls: { key: Buffer; cert: Buffer } | undefined;
  try {
    dir = mkdtempSync(join(tmpdir(), 'bulwark-proxy-tls-'));
    execFileSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem'),
    ], { stdio: 'ignore' });
    tls = { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } catch {
    tls = undefined;
  } finally {
    if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  }

  it('sends X-Forwarded-Proto: https when the client connection is TLS', { skip: tls === undefined ? 'openssl is not available to make a test certificate' : false }, async () => {
    assert.ok(tls !== undefined);
    let headers: IncomingHttpHeaders = {};
    const upstream = await startUpstream((req, res) => {
      headers = req.headers;
      res.end('ok');
    });
    const server = https.createServer({ key: tls.key, cert: tls.cert }) as unknown as Server;
    const proxy = await startProxy({}, server);
    proxy.table.add('/user/alice', upstream.url);
    try {
      const text = await new Promise<string>((resolve, reject) => {
        https
          .get(`https://127.0.0.1:${proxy.port}/user/alice/`, { ca: tls.cert, agent: false }, (res) => {
            bodyText(res).then(resolve, reject);
          })
          .on('error', reject);
      });
      assert.equal(text, 'ok');
      assert.equal(headers['x-forwarded-proto'], 'https');
      assert.equal(headers.host, `127.0.0.1:${proxy.port}`);
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });
});


for (const mode of frontModes) describe(`HTTP forwarding of every response framing (${mode})`, () => {
  /** Answers written byte for byte, so each framing a backend may use is exercised exactly. */
  const answers: Record<string, string> = {
    '/user/alice/chunked': 'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Length: 999\r\n\r\n5\r\nhello\r\n6;x=1\r\n world\r\n0\r\nX-Trailer: t\r\n\r\n',
    '/user/alice/early-hints': 'HTTP/1.1 103 Early Hints\r\nLink: </s.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhints',
    '/user/alice/http10': 'HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil close',
    '/user/alice/close': 'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 5\r\n\r\nclose',
    '/user/alice/length': 'HTTP/1.1 200 Fine\r\nContent-Length: 6\r\n\r\nlength',
  };
  let backend: net.Server;
  let connections = 0;
  let proxy: TestProxy;

  before(async () => {
    backend = net.createServer((socket) => {
      connections++;
      let buffered = '';
      socket.on('data', (chunk: Buffer) => {
        buffered += chunk.toString('latin1');
        for (let end = buffered.indexOf('\r\n\r\n'); end !== -1; end = buffered.indexOf('\r\n\r\n')) {
          const path = buffered.slice(0, end).split(' ')[1] ?? '';
          buffered = buffered.slice(end + 4);
          const answer = answers[path] ?? 'HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n';
          // The close-delimited and Connection: close answers end the connection, as such backends do.
          if (path === '/user/alice/http10' || path === '/user/alice/close') socket.end(answer);
          else socket.write(answer);
        }
      });
      socket.on('error', () => undefined);
    });
    await new Promise<void>((resolve) => backend.listen(0, '127.0.0.1', resolve));
    proxy = await startProxy({}, undefined, mode);
    proxy.table.add('/user/alice', `http://127.0.0.1:${(backend.address() as { port: number }).port}`);
  });

  after(async () => {
    await proxy.close();
    await new Promise((resolve) => backend.close(resolve));
  });

  it('decodes a chunked answer and re-frames it for the client, without the stale Content-Length', async () => {
    const { res, text } = await request(`${proxy.url}/user/alice/chunked`);
    assert.equal(res.statusCode, 200);
    assert.equal(text, 'hello world');
    assert.equal(res.headers['content-length'], undefined);
  });

  it('skips a 103 interim answer and relays the final one', async () => {
    const { res, text } = await request(`${proxy.url}/user/alice/early-hints`);
    assert.equal(res.statusCode, 200);
    assert.equal(text, 'hints');
  });

  it('relays a body delimited by the backend closing the connection', async () => {
    const { res, text } = await request(`${proxy.url}/user/alice/http10`);
    assert.equal(res.statusCode, 200);
    assert.equal(text, 'until close');
  });

  it('reuses a backend connection only when the answer allows it', async () => {
    const before = connections;
    assert.equal((await request(`${proxy.url}/user/alice/length`)).text, 'length');
    assert.equal((await request(`${proxy.url}/user/alice/chunked`)).text, 'hello world');
    assert.equal((await request(`${proxy.url}/user/alice/length`)).res.statusMessage, 'Fine');
    assert.equal(connections - before <= 1, true, 'keep-alive answers share a connection');
    assert.equal((await request(`${proxy.url}/user/alice/close`)).text, 'close');
    const afterClose = connections;
    assert.equal((await request(`${proxy.url}/user/alice/length`)).text, 'length');
    assert.equal(connections, afterClose + 1, 'a connection the backend closed is not reused');
  });
});

for (const mode of frontModes) describe(`HTTP forwarding options (CHP --custom-header, --change-origin, --no-include-prefix; ${mode})`, () => {
  it('adds custom headers, sends the target as Host and drops the route prefix', async () => {
    const seen: { url: string | undefined; headers: IncomingHttpHeaders }[] = [];
    const upstream = await startUpstream((req, res) => {
      seen.push({ url: req.url, headers: req.headers });
      res.end('ok');
    });
    const proxy = await startProxy({ customHeaders: { 'X-Hub-Name': 'bulwark' }, changeOrigin: true, paths: { includePrefix: false } }, undefined, mode);
    try {
      proxy.table.add('/user/alice', `${upstream.url}/base`);
      for (const method of ['GET', 'POST']) {
        const { text } = await request(`${proxy.url}/user/alice/api/x?y=1`, { method, headers: { host: 'hub.example' } }, method === 'POST' ? 'body' : undefined);
        assert.equal(text, 'ok');
      }
      const origin = new URL(upstream.url).host;
      // The body-less GET takes the raw fast path and the POST the general one; both must agree.
      for (const s of seen) {
        assert.equal(s.url, '/base/api/x?y=1');
        assert.equal(s.headers['x-hub-name'], 'bulwark');
        assert.equal(s.headers.host, origin);
        assert.equal(s.headers['x-forwarded-host'], 'hub.example');
      }
      assert.equal(seen.length, 2);
    } finally {
      await proxy.close();
      await upstream.close();
    }
  });

  it('refuses a custom header that could split the request head', () => {
    assert.throws(() => createForwarder({ logger: recordingLogger(), customHeaders: { 'x-a': 'b\r\nx-injected: 1' } }), { code: 'PROXY_BAD_OPTION' });
  });
});

for (const mode of frontModes) describe(`HTTP forwarding of binary bodies (${mode})`, () => {
  // The fast path parses the backend's answer itself; every byte value of a body must come out as it
  // went in, for a body inside one read and for one spread over several.
  const everyByte = Buffer.from(Array.from({ length: 256 }, (_, value) => value));
  const bodies: Record<string, Buffer> = {
    '/user/bin/every-byte': everyByte,
    '/user/bin/16-kib': Buffer.concat(Array.from({ length: 64 }, () => everyByte)),
    '/user/bin/1-mib-and-1': Buffer.concat([...Array.from({ length: 4096 }, () => everyByte), everyByte.subarray(0, 1)]),
  };
  let upstream: Upstream;
  let proxy: TestProxy;

  before(async () => {
    upstream = await startUpstream((req, res) => {
      const body = bodies[req.url ?? ''];
      if (body === undefined) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': body.length }).end(body);
    });
    proxy = await startProxy({}, undefined, mode);
    proxy.table.add('/user/bin', upstream.url);
  });

  after(async () => {
    await proxy.close();
    await upstream.close();
  });

  for (const [path, body] of Object.entries(bodies)) {
    it(`relays ${path} (${body.length} bytes) byte for byte`, async () => {
      const response = await fetch(`${proxy.url}${path}`);
      assert.equal(response.status, 200);
      assert.equal(response.headers.get('content-length'), String(body.length));
      assert.deepEqual(Buffer.from(await response.arrayBuffer()), body);
    });
  }
});
