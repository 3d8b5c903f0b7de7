import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { findFreePort } from '../../../src/spawner/free-port.js';
import { lookupPasswd } from '../../../src/spawner/passwd-entry.js';
import { readProcess } from '../../../src/spawner/process-table.js';
import { waitForHttp } from '../../../src/spawner/wait-for-http.js';

describe('lookupPasswd', () => {
  it('finds root by name and by uid, and nothing for an unknown name', async () => {
    assert.equal((await lookupPasswd('root'))?.uid, 0);
    assert.equal((await lookupPasswd(0))?.name, 'root');
    assert.equal(await lookupPasswd('no-such-account-bwt'), null);
  });
});

describe('readProcess', () => {
  it('reads this process and nothing for a pid that does not exist', async () => {
    const self = await readProcess(process.pid);
    assert.equal(self?.pid, process.pid);
    assert.equal(self?.uid, process.getuid?.());
    assert.equal(await readProcess(2 ** 22 + 1), null);
  });
});

describe('findFreePort', () => {
  it('returns a port that can then be bound on 127.0.0.1', async () => {
    const port = await findFreePort('127.0.0.1');
    const server = createServer();
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise((resolve) => server.close(resolve));
  });
});

describe('waitForHttp', () => {
  let server: Server;
  let base: string;
  let statusToSend = 503;

  before(async () => {
    server = createServer((_req, res) => {
      res.statusCode = statusToSend;
      res.setHeader('Location', '/elsewhere');
      res.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('keeps trying through 5xx and counts a redirect as ready without following it', async () => {
    statusToSend = 503;
    setTimeout(() => (statusToSend = 302), 300);
    const result = await waitForHttp(`${base}/user/a/api`, { timeoutMs: 5000 });
    assert.deepEqual(result, { ready: true, status: 302 });
  });

  it('times out when nothing listens', async () => {
    const port = await findFreePort('127.0.0.1');
    const started = Date.now();
    const result = await waitForHttp(`http://127.0.0.1:${port}/api`, { timeoutMs: 400 });
    assert.deepEqual(result, { ready: false, reason: 'timeout' });
    assert.ok(Date.now() - started < 5000, 'gave up soon after its 400 ms limit');
  });

  it('stops at once when aborted', async () => {
    statusToSend = 500;
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const result = await waitForHttp(`${base}/api`, { timeoutMs: 10_000, signal: controller.signal });
    assert.deepEqual(result, { ready: false, reason: 'aborted' });
  });
});
