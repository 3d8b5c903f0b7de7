import assert from 'node:assert/strict';
import { test } from 'node:test';
import { extractEntry } from './extract-entry.js';
import { readZip } from './read-zip.js';
import { ZipExtractError, ZipFormatError } from './zip-format.js';
import { writeZip } from './zip-writer.js';

test('a written archive reads back: names, sizes, modes, contents', () => {
  const zip = writeZip([
    { name: 'pkg/__init__.py', data: 'x = 1\n' },
    { name: 'pkg/data.bin', data: Buffer.alloc(1000, 7), method: 0 },
    { name: 'pkg/ünï.txt', data: 'unicode' },
  ]);
  const archive = readZip(zip);
  assert.deepEqual(archive.issues, []);
  assert.deepEqual(archive.entries.map((e) => e.name), ['pkg/__init__.py', 'pkg/data.bin', 'pkg/ünï.txt']);
  assert.equal(archive.entries[2]?.nameEncoding, 'utf8');
  assert.equal(archive.entries[0]?.unixMode, 0o100644);
  assert.equal(archive.end.end, zip.length);
  const limits = { maxSize: 1 << 20 };
  assert.equal(extractEntry(archive, archive.entries[0]!, limits).toString(), 'x = 1\n');
  assert.equal(extractEntry(archive, archive.entries[1]!, limits).length, 1000);
});

test('names without the UTF-8 flag decode as CP437, as Python zipfile does', () => {
  const zip = writeZip([{ name: 'a', data: 'x', central: { name: Buffer.from([0x61, 0x81]), flags: 0 } }]);
  assert.equal(readZip(zip).entries[0]?.name, 'aü');
});

test('garbage is a ZipFormatError, not a crash', () => {
  assert.throws(() => readZip(Buffer.from('not a zip at all, just some text here')), ZipFormatError);
  assert.throws(() => readZip(Buffer.alloc(3)), ZipFormatError);
});

test('extraction refuses lies: size over the declared value, bad CRC, over the limit', () => {
  const big = Buffer.alloc(100_000, 0);
  const archive = readZip(
    writeZip([
      { name: 'liar', data: big, central: { uncompressedSize: 10 } },
      { name: 'crc', data: 'abc', central: { crc32: 1 } },
      { name: 'big', data: big },
    ]),
  );
  assert.throws(() => extractEntry(archive, archive.entries[0]!, { maxSize: 1 << 20 }), (e: unknown) => e instanceof ZipExtractError && e.reason === 'size');
  assert.throws(() => extractEntry(archive, archive.entries[1]!, { maxSize: 1 << 20 }), (e: unknown) => e instanceof ZipExtractError && e.reason === 'crc');
  assert.throws(() => extractEntry(archive, archive.entries[2]!, { maxSize: 1000 }), (e: unknown) => e instanceof ZipExtractError && e.reason === 'limit');
});
