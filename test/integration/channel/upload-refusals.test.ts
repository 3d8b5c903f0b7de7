import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { blake2b } from '@noble/hashes/blake2.js';
import { startTestChannel, type TestChannel } from '../../helpers/test-channel.js';
import { buildWheel } from '../../helpers/wheel-builder.js';

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const blake = (bytes: Uint8Array) => Buffer.from(blake2b(bytes, { dkLen: 32 })).toString('hex');

interface UploadParts {
  filename: string;
  bytes: Uint8Array;
  fields?: Record<string, string>;
}

/** The form twine sends, with its fields overridable. */
function form({ filename, bytes, fields = {} }: UploadParts): FormData {
  const data = new FormData();
  const defaults: Record<string, string> = { ':action': 'file_upload', protocol_version: '1', filetype: 'bdist_wheel', pyversion: 'py3', metadata_version: '2.1', sha256_digest: sha256(bytes), blake2_256_digest: blake(bytes) };
  for (const [key, value] of Object.entries({ ...defaults, ...fields })) data.append(key, value);
  data.append('content', new Blob([bytes]), filename);
  return data;
}

describe('refused uploads leave nothing behind', () => {
  let channel: TestChannel;
  let publish: string;
  let readOnly: string;

  const basic = (token: string) => `Basic ${Buffer.from(`__token__:${token}`).toString('base64')}`;
  /** `token` null sends no credentials at all. */
  const upload = (parts: UploadParts, token: string | null = publish) =>
    fetch(`${channel.url}legacy/`, { method: 'POST', body: form(parts), headers: token === null ? {} : { authorization: basic(token) } });

  /** Blobs on disk, staged leftovers and file rows: all must be unchanged by a refusal. */
  async function footprint() {
    const dir = join(channel.dataDir, 'channel');
    const blobs = readdirSync(join(dir, 'blobs'), { recursive: true }).filter((name) => String(name).length > 60).length;
    const staging = readdirSync(join(dir, 'staging')).length;
    const rows = (await channel.handle.context.catalog.allFiles()).length;
    return { blobs, staging, rows };
  }

  async function expectRefusal(response: Response, status: number, code: string, message?: RegExp) {
    const text = await response.text();
    assert.equal(response.status, status, text);
    assert.match(response.headers.get('content-type') ?? '', /application\/json/);
    const body = JSON.parse(text) as { code: string; message: string };
    assert.equal(body.code, code, text);
    assert.ok(body.message.length > 10);
    if (message) assert.match(body.message, message);
  }

  before(async () => {
    channel = await startTestChannel();
    publish = await channel.token(['channel:publish']);
    readOnly = await channel.token(['channel:read']);
    const good = buildWheel({ name: 'existing', version: '1.0' });
    assert.equal((await upload({ filename: good.filename, bytes: good.bytes })).status, 200);
  });
  after(async () => channel?.close());

  const wheel = buildWheel({ name: 'victim', version: '1.0' });
  const cases: Array<[string, () => Promise<Response>, number, string, RegExp?]> = [
    ['no token', () => upload({ filename: wheel.filename, bytes: wheel.bytes }, null), 401, 'CHANNEL_AUTH_REQUIRED'],
    ['an unknown token', () => upload({ filename: wheel.filename, bytes: wheel.bytes }, 'f'.repeat(32)), 401, 'CHANNEL_AUTH_REQUIRED'],
    ['a read-only token', () => upload({ filename: wheel.filename, bytes: wheel.bytes }, readOnly), 403, 'CHANNEL_SCOPE_MISSING', /channel:publish/],
    ['a truncated wheel', () => { const cut = wheel.bytes.subarray(0, wheel.bytes.length - 40); return upload({ filename: wheel.filename, bytes: cut }); }, 400, 'CHANNEL_UPLOAD_INVALID_WHEEL', /truncated|end of central directory/],
    ['METADATA version disagreeing with the name', () => { const lie = buildWheel({ name: 'victim', version: '1.0', metadataVersion: '2.0' }); return upload({ filename: lie.filename, bytes: lie.bytes }); }, 400, 'CHANNEL_UPLOAD_METADATA_MISMATCH', /METADATA Version/],
    ['METADATA name disagreeing with the name', () => { const lie = buildWheel({ name: 'victim', version: '1.0', metadataName: 'other' }); return upload({ filename: lie.filename, bytes: lie.bytes }); }, 400, 'CHANNEL_UPLOAD_METADATA_MISMATCH', /METADATA Name/],
    ['a form version disagreeing with the file', () => upload({ filename: wheel.filename, bytes: wheel.bytes, fields: { version: '9.9' } }), 400, 'CHANNEL_UPLOAD_METADATA_MISMATCH'],
    ['a sha256 digest mismatch', () => upload({ filename: wheel.filename, bytes: wheel.bytes, fields: { sha256_digest: 'a'.repeat(64) } }), 400, 'CHANNEL_UPLOAD_DIGEST_MISMATCH', /sha256_digest/],
    ['a blake2_256 digest mismatch', () => upload({ filename: wheel.filename, bytes: wheel.bytes, fields: { blake2_256_digest: 'b'.repeat(64) } }), 400, 'CHANNEL_UPLOAD_DIGEST_MISMATCH', /blake2_256_digest/],
    ['no digest at all', () => upload({ filename: wheel.filename, bytes: wheel.bytes, fields: { sha256_digest: '', blake2_256_digest: '' } }), 400, 'CHANNEL_UPLOAD_DIGEST_MISSING'],
    ['a file name climbing out (../)', () => upload({ filename: `../${wheel.filename}`, bytes: wheel.bytes }), 400, 'CHANNEL_UPLOAD_FILENAME_INVALID', /path separators/],
    ['a file name with a directory', () => upload({ filename: `sub/${wheel.filename}`, bytes: wheel.bytes }), 400, 'CHANNEL_UPLOAD_FILENAME_INVALID'],
    ['a file name with a backslash', () => upload({ filename: `sub\\${wheel.filename}`, bytes: wheel.bytes }), 400, 'CHANNEL_UPLOAD_FILENAME_INVALID'],
    ['an sdist (policy: wheels only)', () => upload({ filename: 'victim-1.0.tar.gz', bytes: Buffer.from('not really'), fields: { filetype: 'sdist' } }), 400, 'CHANNEL_UPLOAD_SDIST_REFUSED', /allow_sdist/],
    ['not a wheel name', () => upload({ filename: 'victim.exe', bytes: wheel.bytes }), 400, 'CHANNEL_UPLOAD_FILENAME_INVALID'],
    ['a wrong :action', () => upload({ filename: wheel.filename, bytes: wheel.bytes, fields: { ':action': 'submit' } }), 400, 'CHANNEL_UPLOAD_INVALID'],
  ];

  for (const [name, send, status, code, message] of cases) {
    test(`refuses ${name} with ${status} ${code}`, async () => {
      const beforeState = await footprint();
      await expectRefusal(await send(), status, code, message);
      assert.deepEqual(await footprint(), beforeState);
      assert.equal((await fetch(`${channel.indexUrl}victim/`)).status, 404);
    });
  }

  test('a duplicate file name is 409 "already exists"', async () => {
    const existing = buildWheel({ name: 'existing', version: '1.0' });
    const beforeState = await footprint();
    await expectRefusal(await upload({ filename: existing.filename, bytes: existing.bytes }), 409, 'CHANNEL_FILE_EXISTS', /already exists/);
    assert.deepEqual(await footprint(), beforeState);
  });

  test('a client that dies mid-upload leaves no file and no staged bytes', async () => {
    const big = buildWheel({ name: 'victim', version: '2.0', files: { 'victim/data.txt': 'x'.repeat(4_000_000) } });
    const beforeState = await footprint();
    const boundary = 'bulwarkboundary';
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name=":action"\r\n\r\nfile_upload\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="sha256_digest"\r\n\r\n${big.sha256}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="content"; filename="${big.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
    );
    await new Promise<void>((resolve) => {
      const req = request(`${channel.url}legacy/`, {
        method: 'POST',
        headers: { authorization: basic(publish), 'content-type': `multipart/form-data; boundary=${boundary}`, 'content-length': head.length + big.bytes.length + 100 },
      });
      req.on('error', () => resolve());
      req.write(head);
      req.write(big.bytes.subarray(0, big.bytes.length / 2), () => {
        // Give the server time to stage what it got, then vanish as a crashed client would.
        setTimeout(() => {
          req.destroy();
          resolve();
        }, 200);
      });
    });
    for (let i = 0; i < 50 && (await footprint()).staging > 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.deepEqual(await footprint(), beforeState);
    assert.equal((await fetch(`${channel.url}files/victim/${big.filename}`)).status, 404);
  });

  test('an oversized upload is 413 and leaves nothing', async () => {
    const small = await startTestChannel({ 'channel.max_upload_size': 1000 });
    try {
      const token = await small.token(['channel:publish']);
      const big = buildWheel({ name: 'big', version: '1.0', files: { 'big/data.txt': 'y'.repeat(5000) } });
      const response = await fetch(`${small.url}legacy/`, { method: 'POST', body: form({ filename: big.filename, bytes: big.bytes }), headers: { authorization: basic(token) } });
      await expectRefusal(response, 413, 'CHANNEL_UPLOAD_TOO_LARGE');
      assert.equal(readdirSync(join(small.dataDir, 'channel', 'staging')).length, 0);
      assert.equal(readdirSync(join(small.dataDir, 'channel', 'blobs')).length, 0);
    } finally {
      await small.close();
    }
  });
});
