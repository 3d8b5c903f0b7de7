// One routing and REST API suite, run against `bulwark proxy` and the real configurable-http-proxy
// 5.x (installed by scripts/setup.sh --test), each as a separate process, the way JupyterHub runs them.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import http, { type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { WebSocket, WebSocketServer } from 'ws';
import { findFreePort } from '../helpers/ports.js';
import { bulwarkProxyCommand, startProxyProcess, type RunningProxy } from '../integration/proxy/bulwark-proxy-process.js';
import { chpCommand } from '../integration/proxy/chp-command.js';

interface Implementation {
  name: string;
  command(): string[];
}

const implementations: Implementation[] = [
  { name: 'bulwark proxy', command: bulwarkProxyCommand },
  { name: 'configurable-http-proxy 5', command: chpCommand },
];

const token = 'conformance-token-0123456789abcdef';

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** A backend that answers with what it received, and echoes WebSocket messages. */
async function startEchoBackend(name: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.url?.includes('/redirect') === true) {
      res.writeHead(302, { location: '/elsewhere' }).end();
      return;
    }
    const body = JSON.stringify({ backend: name, url: req.url, headers: req.headers });
    res.writeHead(200, { 'content-type': 'application/json', 'x-backend': name }).end(body);
  });
  const wss = new WebSocketServer({ server });
  wss.on('connection', (ws) => ws.on('message', (data, isBinary) => ws.send(data, { binary: isBinary })));
  const url = await listen(server);
  return {
    url,
    async close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** An error-page server like JupyterHub's /hub/error/<code>. */
async function startErrorServer(): Promise<{ url: string; seen: string[]; close(): Promise<void> }> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.url ?? '');
    res.writeHead(200, { 'content-type': 'text/html' }).end(`<p>error page for ${req.url ?? ''}</p>`);
  });
  const url = await listen(server);
  return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

function request(url: string, options: http.RequestOptions = {}, body?: string): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { agent: false, ...options }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

for (const impl of implementations) {
  describe(`CHP conformance: ${impl.name}`, () => {
    let proxy: RunningProxy;
    let publicUrl: string;
    let apiUrl: string;
    let alice: Awaited<ReturnType<typeof startEchoBackend>>;
    let other: Awaited<ReturnType<typeof startEchoBackend>>;
    let errors: Awaited<ReturnType<typeof startErrorServer>>;
    const auth = { authorization: `token ${token}` };

    const api = (path: string, method = 'GET', body?: string, headers: Record<string, string> = auth) =>
      request(`${apiUrl}/api/routes${path}`, { method, headers }, body);
    const addRoute = async (path: string, data: Record<string, unknown>) => {
      const reply = await api(path, 'POST', JSON.stringify(data));
      assert.equal(reply.status, 201, reply.text);
    };

    before(async () => {
      alice = await startEchoBackend('alice');
      other = await startEchoBackend('other');
      errors = await startErrorServer();
      const port = await findFreePort();
      const apiPort = await findFreePort();
      const args = ['--ip', '127.0.0.1', '--port', String(port), '--api-ip', '127.0.0.1', '--api-port', String(apiPort)];
      args.push('--error-target', `${errors.url}/hub/error`, '--log-level', 'warn');
      proxy = await startProxyProcess(impl.command(), args, { port, apiPort }, { CONFIGPROXY_AUTH_TOKEN: token });
      publicUrl = `http://127.0.0.1:${port}`;
      apiUrl = `http://127.0.0.1:${apiPort}`;
    });

    after(async () => {
      await proxy?.stop();
      await alice?.close();
      await other?.close();
      await errors?.close();
    });

    it('answers the health check on the public port', async () => {
      const reply = await request(`${publicUrl}/_chp_healthz`);
      assert.equal(reply.status, 200);
      assert.deepEqual(JSON.parse(reply.text), { status: 'OK' });
    });

    it('requires the token on the API (403 without it or with Bearer)', async () => {
      assert.equal((await api('', 'GET', undefined, {})).status, 403);
      assert.equal((await api('', 'GET', undefined, { authorization: `Bearer ${token}` })).status, 403);
      assert.equal((await api('', 'GET', undefined, { authorization: 'token wrong' })).status, 403);
      const ok = await api('');
      assert.equal(ok.status, 200);
      assert.match(ok.headers['content-type'] ?? '', /application\/json/);
      assert.equal(typeof JSON.parse(ok.text), 'object');
    });

    it('adds, reads and deletes routes with CHP status codes', async () => {
      await addRoute('/user/alice/', { target: alice.url, user: 'alice', server_name: '', jupyterhub: true });
      const one = await api('/user/alice');
      assert.equal(one.status, 200);
      const route = JSON.parse(one.text) as Record<string, unknown>;
      assert.equal(route['target'], alice.url);
      assert.equal(route['user'], 'alice');
      assert.equal(route['server_name'], '');
      assert.equal(route['jupyterhub'], true);
      assert.match(String(route['last_activity']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      const all = JSON.parse((await api('')).text) as Record<string, { target: string }>;
      assert.equal(all['/user/alice']?.target, alice.url);

      await addRoute('/user/tmp', { target: other.url });
      assert.equal((await api('/user/tmp/', 'DELETE')).status, 204);
      assert.equal((await api('/user/tmp', 'DELETE')).status, 404);
      assert.equal((await api('/user/tmp')).status, 404);
    });

    it('replaces the data of a route on a second POST', async () => {
      await addRoute('/user/swap', { target: alice.url, first: 1 });
      await addRoute('/user/swap', { target: other.url, second: 2 });
      const route = JSON.parse((await api('/user/swap')).text) as Record<string, unknown>;
      assert.equal(route['target'], other.url);
      assert.equal(route['first'], undefined);
      assert.equal(route['second'], 2);
      await api('/user/swap', 'DELETE');
    });

    it('refuses bad POST bodies and unknown methods and paths', async () => {
      const badJson = await api('/user/x', 'POST', '{nope');
      assert.equal(badJson.status, 400);
      assert.match(badJson.text, /^Body not valid JSON/);
      assert.equal((await api('/user/x', 'POST', '{nope', {})).status, 400, 'the body is parsed before the token is checked');
      assert.equal((await api('/user/x', 'POST', '')).status, 400);
      const noTarget = await api('/user/x', 'POST', JSON.stringify({ user: 'x' }));
      assert.equal(noTarget.status, 400);
      assert.equal(noTarget.text, "Must specify 'target' as string");
      assert.equal((await api('/user/x', 'PUT', '{}')).status, 405);
      assert.equal((await request(`${apiUrl}/api/`, { headers: auth })).status, 404);
      assert.equal((await request(`${apiUrl}/other`, { headers: auth })).status, 404);
    });

    it('filters by inactive_since and rejects bad timestamps', async () => {
      await addRoute('/user/idle', { target: other.url });
      const future = new Date(Date.now() + 60_000).toISOString();
      const past = new Date(Date.now() - 60_000).toISOString();
      const inactive = JSON.parse((await api(`?inactive_since=${future}`)).text) as Record<string, unknown>;
      assert.ok('/user/idle' in inactive);
      const camel = JSON.parse((await api(`?inactiveSince=${past}`)).text) as Record<string, unknown>;
      assert.equal('/user/idle' in camel, false);
      const bad = await api('?inactive_since=yesterday');
      assert.equal(bad.status, 400);
      assert.equal(bad.text, "Invalid datestamp 'yesterday' must be ISO8601.");
      await api('/user/idle', 'DELETE');
    });

    it('routes on the longest whole-segment prefix and keeps path and query', async () => {
      await addRoute('/user/alice', { target: alice.url });
      await addRoute('/user/alice/special', { target: other.url });
      const reply = await request(`${publicUrl}/user/alice/api/status?x=1&y=%2F`);
      assert.equal(reply.status, 200);
      const seen = JSON.parse(reply.text) as { backend: string; url: string };
      assert.equal(seen.backend, 'alice');
      assert.equal(seen.url, '/user/alice/api/status?x=1&y=%2F');
      assert.equal(JSON.parse((await request(`${publicUrl}/user/alice/special/x`)).text).backend, 'other');
      assert.equal(JSON.parse((await request(`${publicUrl}/user/alice/specialist`)).text).backend, 'alice');
      assert.equal((await request(`${publicUrl}/user/al/x`)).status, 404);
      await api('/user/alice/special', 'DELETE');
    });

    it('passes Host through and adds X-Forwarded-* headers', async () => {
      const reply = await request(`${publicUrl}/user/alice/headers`, { headers: { host: 'hub.example:8000' } });
      const seen = JSON.parse(reply.text) as { headers: Record<string, string> };
      assert.equal(seen.headers['host'], 'hub.example:8000');
      assert.match(seen.headers['x-forwarded-for'] ?? '', /127\.0\.0\.1/);
      assert.equal(seen.headers['x-forwarded-proto'], 'http');
      assert.equal(seen.headers['x-forwarded-host'], 'hub.example:8000');
      assert.ok(seen.headers['x-forwarded-port'] !== undefined);
    });

    it('relays redirects unchanged by default', async () => {
      const reply = await request(`${publicUrl}/user/alice/redirect`);
      assert.equal(reply.status, 302);
      assert.equal(reply.headers.location, '/elsewhere');
    });

    it('decodes route paths in the API and in requests', async () => {
      await addRoute('/user/a%40b/srv%20x', { target: other.url });
      const all = JSON.parse((await api('')).text) as Record<string, unknown>;
      assert.ok('/user/a@b/srv x' in all, Object.keys(all).join(', '));
      assert.equal(JSON.parse((await request(`${publicUrl}/user/a@b/srv%20x/tree`)).text).backend, 'other');
      assert.equal((await api('/user/a@b/srv%20x', 'DELETE')).status, 204);
    });

    it('gets the error page from --error-target with the proxy status', async () => {
      const missing = await request(`${publicUrl}/nothing/here?q=1`);
      assert.equal(missing.status, 404);
      assert.match(missing.text, /error page for \/hub\/error\/404\?url=%2Fnothing%2Fhere%3Fq%3D1/);
      const down = await startEchoBackend('gone');
      const goneUrl = down.url;
      await down.close();
      await addRoute('/user/gone', { target: goneUrl });
      const unreachable = await request(`${publicUrl}/user/gone/api`);
      assert.equal(unreachable.status, 503);
      assert.match(unreachable.text, /error page for \/hub\/error\/503\?url=%2Fuser%2Fgone%2Fapi/);
      await api('/user/gone', 'DELETE');
    });

    it('sends unrouted requests to the default route / when there is one', async () => {
      await addRoute('/', { target: other.url, hub: true });
      assert.equal(JSON.parse((await request(`${publicUrl}/hub/login`)).text).backend, 'other');
      const all = JSON.parse((await api('')).text) as Record<string, unknown>;
      assert.ok('/' in all, 'the default route is listed');
      assert.equal((await api('/', 'DELETE')).status, 204);
    });

    it('forwards WebSockets and refreshes last_activity', async () => {
      const before = JSON.parse((await api('/user/alice')).text) as { last_activity: string };
      // bulwark proxy records activity at most once a second per route (CHP on every chunk).
      await new Promise((resolve) => setTimeout(resolve, 1100));
      const ws = new WebSocket(`${publicUrl.replace('http', 'ws')}/user/alice/api/kernels/k/channels`);
      await once(ws, 'open');
      for (let i = 0; i < 3; i++) {
        ws.send(`ping ${i}`);
        const [data] = (await once(ws, 'message')) as [Buffer];
        assert.equal(data.toString(), `ping ${i}`);
      }
      ws.close();
      await once(ws, 'close');
      const later = JSON.parse((await api('/user/alice')).text) as { last_activity: string };
      assert.ok(Date.parse(later.last_activity) > Date.parse(before.last_activity), `${later.last_activity} > ${before.last_activity}`);
    });

    it('answers a WebSocket without a route with 404', async () => {
      const ws = new WebSocket(`${publicUrl.replace('http', 'ws')}/nobody/ws`);
      ws.on('error', () => undefined);
      const [, res] = (await once(ws, 'unexpected-response')) as [unknown, IncomingMessage];
      assert.equal(res.statusCode, 404);
      ws.terminate();
    });
  });
}
