import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http, { type IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { startProxy, startUpstream, type TestProxy, type Upstream } from './proxy-harness.js';

const MB = 1024 * 1024;
const total = 50 * MB;
const chunkSize = 64 * 1024;
/** One 64 KiB block with a non-trivial pattern; the 50 MB body is this block repeated. */
const block = Buffer.alloc(chunkSize, 0);
for (let i = 0; i < block.length; i++) block[i] = (i * 31 + 7) % 251;
const expectedDigest = (() => {
  const hash = createHash('sha256');
  for (let sent = 0; sent < total; sent += chunkSize) hash.update(block);
  return hash.digest('hex');
})();

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Writes `total` bytes to `out`, honouring backpressure; `progress` sees the running count. */
async function writeBody(out: NodeJS.WritableStream, progress: (written: number) => void = () => undefined): Promise<void> {
  for (let written = 0; written < total; ) {
    const ok = out.write(block);
    written += chunkSize;
    progress(written);
    if (!ok) await new Promise((resolve) => out.once('drain', resolve));
  }
  out.end();
}

async function digestOf(stream: IncomingMessage): Promise<{ digest: string; bytes: number }> {
  const hash = createHash('sha256');
  let bytes = 0;
  for await (const chunk of stream) {
    hash.update(chunk as Buffer);
    bytes += (chunk as Buffer).length;
  }
  return { digest: hash.digest('hex'), bytes };
}

/**
 * V8's collector, made callable without a command-line flag, so samples measure live Buffers only:
 * garbage chunks waiting for collection would otherwise look like buffering.
 */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

/** Peak growth of live Buffer memory while `work` runs, sampled every few milliseconds. */
async function peakBufferGrowth(work: () => Promise<void>): Promise<number> {
  collectGarbage();
  const baseline = process.memoryUsage().arrayBuffers;
  let peak = baseline;
  const timer = setInterval(() => {
    collectGarbage();
    peak = Math.max(peak, process.memoryUsage().arrayBuffers);
  }, 10);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return peak - baseline;
}

describe('streaming through the proxy', () => {
  let upstream: Upstream;
  let proxy: TestProxy;
  let upstreamWritten = 0;
  const uploads: Array<{ digest: string; bytes: number }> = [];
  let holdUpload: Promise<void> = Promise.resolve();

  before(async () => {
    upstream = await startUpstream((req, res) => {
      if (req.url === '/user/alice/download') {
        res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(total) });
        upstreamWritten = 0;
        void writeBody(res, (n) => (upstreamWritten = n));
        return;
      }
      if (req.url === '/user/alice/upload') {
        req.pause();
        void holdUpload.then(async () => {
          req.resume();
          uploads.push(await digestOf(req));
          res.end('stored');
        });
        return;
      }
      if (req.url === '/user/alice/slow') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.write('first;');
        void sleep(300)
          .then(() => res.write('second;'))
          .then(() => sleep(300))
          .then(() => res.end('third'));
        return;
      }
      res.writeHead(404).end();
    });
    // The idle timeout only has to exceed the slow backend's 300 ms pauses; a generous value keeps a
    // loaded machine's scheduling hiccups from cutting the 50 MB transfers.
    proxy = await startProxy({ timeoutMs: 5000 });
    proxy.table.add('/user/alice', upstream.url);
  });

  after(async () => {
    await proxy.close();
    await upstream.close();
  });

  it('downloads 50 MB intact without buffering it', async () => {
    let result = { digest: '', bytes: 0 };
    const growth = await peakBufferGrowth(async () => {
      const res = await new Promise<IncomingMessage>((resolve, reject) => {
        http.get(`${proxy.url}/user/alice/download`, { agent: false }, resolve).on('error', reject);
      });
      assert.equal(res.headers['content-length'], String(total));
      result = await digestOf(res);
    });
    assert.equal(result.bytes, total);
    assert.equal(result.digest, expectedDigest);
    assert.ok(growth < 16 * MB, `buffer memory grew by ${(growth / MB).toFixed(1)} MB for a 50 MB body`);
  });

  it('uploads 50 MB intact without buffering it', async () => {
    uploads.length = 0;
    let answer = '';
    const growth = await peakBufferGrowth(async () => {
      answer = await new Promise<string>((resolve, reject) => {
        const req = http.request(`${proxy.url}/user/alice/upload`, { method: 'POST', agent: false }, (res) => {
          res.setEncoding('utf8');
          let text = '';
          res.on('data', (c: string) => (text += c));
          res.on('end', () => resolve(text));
        });
        req.on('error', reject);
        void writeBody(req);
      });
    });
    assert.equal(answer, 'stored');
    assert.deepEqual(uploads, [{ digest: expectedDigest, bytes: total }]);
    assert.ok(growth < 16 * MB, `buffer memory grew by ${(growth / MB).toFixed(1)} MB for a 50 MB body`);
  });

  it('stops reading from the backend while the client does not read (download backpressure)', async () => {
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      http.get(`${proxy.url}/user/alice/download`, { agent: false }, resolve).on('error', reject);
    });
    res.pause();
    await sleep(400);
    const writtenWhilePaused = upstreamWritten;
    // Socket buffers on three loopback hops hold some megabytes; a proxy that buffered would take all 50.
    assert.ok(writtenWhilePaused < 20 * MB, `backend wrote ${(writtenWhilePaused / MB).toFixed(1)} MB to a paused client`);
    const { bytes } = await digestOf(res);
    assert.equal(bytes, total);
  });

  it('stops reading from the client while the backend does not read (upload backpressure)', async () => {
    uploads.length = 0;
    let release: () => void = () => undefined;
    holdUpload = new Promise((resolve) => (release = resolve));
    let accepted = 0;
    const done = new Promise<string>((resolve, reject) => {
      const req = http.request(`${proxy.url}/user/alice/upload`, { method: 'POST', agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(String(res.statusCode)));
      });
      req.on('error', reject);
      void writeBody(req, (n) => (accepted = n));
    });
    await sleep(400);
    assert.ok(accepted < 20 * MB, `client pushed ${(accepted / MB).toFixed(1)} MB into a backend that reads nothing`);
    release();
    assert.equal(await done, '200');
    assert.deepEqual(uploads, [{ digest: expectedDigest, bytes: total }]);
    holdUpload = Promise.resolve();
  });

  it('relays a slow chunked response as it is produced, within the idle timeout', async () => {
    const started = Date.now();
    const arrivals: Array<{ at: number; text: string }> = [];
    const res = await new Promise<IncomingMessage>((resolve, reject) => {
      http.get(`${proxy.url}/user/alice/slow`, { agent: false }, resolve).on('error', reject);
    });
    assert.equal(res.headers['transfer-encoding'], 'chunked');
    for await (const chunk of res) arrivals.push({ at: Date.now() - started, text: (chunk as Buffer).toString() });
    assert.equal(arrivals.map((a) => a.text).join(''), 'first;second;third');
    // Streamed, not buffered: the first chunk arrived well before the backend produced the last one.
    const first = arrivals[0]?.at ?? Infinity;
    const last = arrivals.at(-1)?.at ?? 0;
    assert.ok(first + 400 <= last, `first chunk at ${first} ms, last at ${last} ms`);
    assert.ok(arrivals.length >= 3, 'each chunk arrives on its own');
    assert.ok((arrivals.at(-1)?.at ?? 0) >= 550);
  });
});
