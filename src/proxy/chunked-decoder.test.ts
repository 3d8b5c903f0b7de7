import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createChunkedDecoder } from './chunked-decoder.js';

/** Feeds `wire` in pieces of `size` bytes; returns the payload and where the body ended in the last piece. */
function decode(wire: string, size: number): { payload: string; end: number; pieces: number } {
  let payload = '';
  const decoder = createChunkedDecoder((data) => (payload += data.toString('latin1')));
  const bytes = Buffer.from(wire, 'latin1');
  let end = -1;
  let pieces = 0;
  for (let i = 0; i < bytes.length && end === -1; i += size) {
    pieces++;
    const result = decoder.push(bytes.subarray(i, i + size));
    if (result !== -1) end = i + result;
  }
  return { payload, end, pieces };
}

const wire = '5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\nX-Trailer: 1\r\n\r\n';

describe('createChunkedDecoder', () => {
  it('decodes a body in one piece and reports where it ends', () => {
    const { payload, end } = decode(`${wire}NEXT`, 1000);
    assert.equal(payload, 'hello, world');
    assert.equal(end, wire.length);
  });

  it('decodes the same body split at every possible byte', () => {
    for (let size = 1; size <= wire.length; size++) {
      const { payload, end } = decode(wire, size);
      assert.equal(payload, 'hello, world', `pieces of ${size}`);
      assert.equal(end, wire.length, `pieces of ${size}`);
    }
  });

  it('handles upper-case hex sizes and an empty trailer', () => {
    const body = 'x'.repeat(0x1a);
    assert.equal(decode(`1A\r\n${body}\r\n0\r\n\r\n`, 7).payload, body);
  });

  it('says the body is unfinished until the final empty line', () => {
    const decoder = createChunkedDecoder(() => undefined);
    assert.equal(decoder.push(Buffer.from('3\r\nabc\r\n0\r\n')), -1);
    assert.equal(decoder.push(Buffer.from('\r\n')), 2);
  });

  it('refuses malformed framing', () => {
    for (const bad of ['zz\r\n', '3\r\nabcX\r\n', '3\nabc\r\n', '1234567890abc\r\n']) {
      const decoder = createChunkedDecoder(() => undefined);
      assert.throws(() => decoder.push(Buffer.from(bad)), { code: 'HPE_INVALID_CHUNK_SIZE' }, bad);
    }
  });
});
