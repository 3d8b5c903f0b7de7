import assert from 'node:assert/strict';
import http, { type IncomingMessage } from 'node:http';
import { after, describe, it } from 'node:test';
import { BulwarkError } from '../../../src/errors/index.js';
import { closeServer, frontModes, listen, request, startProxy, startUpstream, type TestProxy, type Upstream } from './proxy-harness.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A loopback URL on which nothing listens: bind port 0, note it, close. */
async function deadTarget(): Promise<string> {
  const server = http.createServer();
  const url = await listen(server);
  await closeServer(server);
  return url;
}

function waitFor(check: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const poll = () => {
      if (check()) resolve();
      else if (Date.now() > deadline) reject(new Error('condition not met in time'));
      else setTimeout(poll, 10);
    };
    poll();
  });
}

for (const mode of frontModes) describe(`when the backend fails (${mode})`, () => {
  const cleanup: Array<() => Promise<void>> = [];
  after(async () => {
    for (const close of cleanup.reverse()) await close();
  });
  async function proxyTo(target: string, options: Parameters<typeof startProxy>[0] = {}): Promise<TestProxy> {
    const proxy = await startProxy(options, undefined, mode);
    proxy.table.add('/user/alice', target);
    cleanup.push(() => proxy.close());
    return proxy;
  }
  async function upstream(handler: http.RequestListener): Promise<Upstream> {
    const u = await startUpstream(handler);
    cleanup.push(() => u.close());
    return u;
  }

  it('answers 503 JSON for a refused connection and logs one line without a stack', async () => {
    const target = await deadTarget();
    const proxy = await proxyTo(target);
    const { res, text } = await request(`${proxy.url}/user/alice/api/status?token=SECRET`, { headers: { accept: 'application/json' } });
    assert.equal(res.statusCode, 503);
    assert.match(res.headers['content-type'] ?? '', /^application\/json/);
    assert.deepEqual(JSON.parse(text), {
      status: 503,
      code: 'PROXY_UPSTREAM_UNREACHABLE',
      message: 'The server at /user/alice is not answering',
    });
    assert.equal(proxy.logger.entries.length, 1);
    const entry = proxy.logger.entries[0];
    assert.equal(entry?.level, 'warn');
    assert.match(entry?.msg ?? '', /ECONNREFUSED/);
    assert.deepEqual(entry?.obj, { prefix: '/user/alice', target, method: 'GET', path: '/user/alice/api/status', code: 'ECONNREFUSED' });
    const line = JSON.stringify(entry);
    assert.doesNotMatch(line, /SECRET/, 'query strings (tokens) stay out of the log');
    assert.doesNotMatch(line, /\n\s+at /, 'no stack trace');
  });

  it('answers an HTML page to browsers', async () => {
    const proxy = await proxyTo(await deadTarget());
    const { res, text } = await request(`${proxy.url}/user/alice/tree`, { headers: { accept: 'text/html,*/*;q=0.8' } });
    assert.equal(res.statusCode, 503);
    assert.match(res.headers['content-type'] ?? '', /^text\/html/);
    assert.match(text, /The server at \/user\/alice is not answering/);
  });

  it("lets the caller's errorResponse answer instead", async () => {
    const errors: BulwarkError[] = [];
    const proxy = await proxyTo(await deadTarget(), {
      errorResponse: (_req, res, err) => {
        errors.push(err);
        res.writeHead(302, { location: '/hub/user/alice/tree' }).end();
      },
    });
    const { res } = await request(`${proxy.url}/user/alice/tree`);
    assert.equal(res.statusCode, 302);
    assert.equal(res.headers.location, '/hub/user/alice/tree');
    assert.equal(errors.length, 1);
    assert.ok(errors[0] instanceof BulwarkError);
    assert.equal(errors[0].code, 'PROXY_UPSTREAM_UNREACHABLE');
  });

  it('answers 503 when the backend does not answer within the timeout', async () => {
    const silent = await upstream(() => undefined);
    const proxy = await proxyTo(silent.url, { timeoutMs: 200 });
    const started = Date.now();
    const { res, text } = await request(`${proxy.url}/user/alice/api/kernels`);
    assert.equal(res.statusCode, 503);
    assert.equal(JSON.parse(text).code, 'PROXY_UPSTREAM_UNREACHABLE');
    assert.ok(Date.now() - started >= 190);
    assert.match(proxy.logger.entries[0]?.msg ?? '', /^proxy error: ETIMEDOUT /);
  });

  it('survives an errorResponse handler that throws', async () => {
    const proxy = await proxyTo(await deadTarget(), {
      errorResponse: () => {
        throw new Error('handler bug');
      },
    });
    await assert.rejects(request(`${proxy.url}/user/alice/tree`), /socket hang up|ECONNRESET/);
    assert.equal(proxy.logger.entries.at(-1)?.msg, 'proxy errorResponse handler failed');
  });

  it('answers 503 when the backend resets the connection before answering', async () => {
    const rude = await upstream((req) => req.socket.destroy());
    const proxy = await proxyTo(rude.url);
    const { res, text } = await request(`${proxy.url}/user/alice/api/status`);
    assert.equal(res.statusCode, 503);
    assert.equal(JSON.parse(text).code, 'PROXY_UPSTREAM_UNREACHABLE');
  });

  it('answers 502 when the backend does not speak HTTP', async () => {
    const net = await import('node:net');
    const garbage = net.createServer((socket) => {
      socket.resume();
      socket.end('SSH-2.0-OpenSSH_9.2\r\n\r\n');
    });
    await new Promise<void>((resolve) => garbage.listen(0, '127.0.0.1', resolve));
    cleanup.push(() => new Promise((resolve) => garbage.close(() => resolve())));
    const port = (garbage.address() as { port: number }).port;
    const proxy = await proxyTo(`http://127.0.0.1:${port}`);
    const { res, text } = await request(`${proxy.url}/user/alice/`);
    assert.equal(res.statusCode, 502);
    assert.equal(JSON.parse(text).code, 'PROXY_UPSTREAM_FAILED');
    assert.equal(proxy.logger.entries[0]?.level, 'error');
  });

  it('cuts the client connection when the backend resets mid-body, and keeps serving', async () => {
    const u = await upstream((req, res) => {
      if (req.url === '/user/alice/ok') {
        res.end('fine');
        return;
      }
      res.writeHead(200, { 'content-length': '100000' });
      res.write(Buffer.alloc(1000, 1));
      setTimeout(() => req.socket.destroy(), 50);
    });
    const proxy = await proxyTo(u.url);
    const outcome = await new Promise<{ complete: boolean; bytes: number }>((resolve) => {
      http.get(`${proxy.url}/user/alice/big`, { agent: false }, (res: IncomingMessage) => {
        let bytes = 0;
        res.on('data', (c: Buffer) => (bytes += c.length));
        res.on('error', () => undefined);
        res.on('close', () => resolve({ complete: res.complete, bytes }));
      });
    });
    assert.equal(outcome.complete, false);
    assert.equal(outcome.bytes, 1000);
    const { text } = await request(`${proxy.url}/user/alice/ok`);
    assert.equal(text, 'fine');
  });

  it('retries a body-less request once when a kept-alive backend connection turns out closed', async () => {
    const served = new WeakSet<object>();
    let requests = 0;
    // Closes a connection on its second request, as a backend does when its idle timeout races our reuse.
    const u = await upstream((req, res) => {
      requests++;
      if (served.has(req.socket)) {
        req.socket.destroy();
        return;
      }
      served.add(req.socket);
      res.end('fresh');
    });
    const proxy = await proxyTo(u.url);
    assert.equal((await request(`${proxy.url}/user/alice/a`)).text, 'fresh');
    const second = await request(`${proxy.url}/user/alice/b`);
    assert.equal(second.res.statusCode, 200);
    assert.equal(second.text, 'fresh');
    assert.equal(requests, 3);
    // A request with a body cannot be replayed: on a kept-alive connection the backend closes, it
    // fails with 503 instead. (Requests with a body have their own pool, so the first one opens it.)
    const first = await request(`${proxy.url}/user/alice/c`, { method: 'POST' }, 'payload');
    assert.equal(first.text, 'fresh');
    const post = await request(`${proxy.url}/user/alice/d`, { method: 'POST' }, 'payload');
    assert.equal(post.res.statusCode, 503);
    assert.equal(requests, 5);
  });
});

for (const mode of frontModes) describe(`when the client goes away (${mode})`, () => {
  it('cancels the backend request on a download abort and a partial upload, without crashing', async () => {
    const closedEarly: string[] = [];
    const u = await startUpstream((req, res) => {
      if (req.url === '/user/alice/ok') {
        res.end('fine');
        return;
      }
      res.on('close', () => {
        if (!res.writableFinished) closedEarly.push(req.url ?? '');
      });
      req.on('error', () => undefined);
      if (req.url === '/user/alice/download') {
        const timer = setInterval(() => res.write(Buffer.alloc(16 * 1024, 2)), 5);
        res.on('close', () => clearInterval(timer));
      } else {
        req.resume();
      }
    });
    const proxy = await startProxy({}, undefined, mode);
    proxy.table.add('/user/alice', u.url);
    try {
      await new Promise<void>((resolve) => {
        const req = http.get(`${proxy.url}/user/alice/download`, { agent: false }, (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        });
        req.on('error', () => undefined);
      });

      const upload = http.request(`${proxy.url}/user/alice/upload`, {
        method: 'POST',
        agent: false,
        headers: { 'content-length': String(1024 * 1024) },
      });
      upload.on('error', () => undefined);
      upload.write(Buffer.alloc(100 * 1024, 3));
      await sleep(100);
      upload.destroy();

      await waitFor(() => closedEarly.length === 2);
      assert.deepEqual(closedEarly.sort(), ['/user/alice/download', '/user/alice/upload']);
      const { text } = await request(`${proxy.url}/user/alice/ok`);
      assert.equal(text, 'fine');
      assert.equal(proxy.logger.entries.filter((e) => e.level === 'error' || e.level === 'warn').length, 0);
    } finally {
      await proxy.close();
      await u.close();
    }
  });
});
