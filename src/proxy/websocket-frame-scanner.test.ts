import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createFrameScanner, isDataOpcode } from './websocket-frame-scanner.js';

/** Encodes one frame the way RFC 6455 §5.2 lays it out; masked frames get a fixed key. */
function frame(opcode: number, payloadLength: number, masked: boolean): Buffer {
  const parts: Buffer[] = [];
  const first = 0x80 | opcode;
  const maskBit = masked ? 0x80 : 0;
  if (payloadLength < 126) parts.push(Buffer.from([first, maskBit | payloadLength]));
  else if (payloadLength < 65536) {
    const b = Buffer.alloc(4);
    b[0] = first;
    b[1] = maskBit | 126;
    b.writeUInt16BE(payloadLength, 2);
    parts.push(b);
  } else {
    const b = Buffer.alloc(10);
    b[0] = first;
    b[1] = maskBit | 127;
    b.writeUInt32BE(Math.floor(payloadLength / 2 ** 32), 2);
    b.writeUInt32BE(payloadLength >>> 0, 6);
    parts.push(b);
  }
  if (masked) parts.push(Buffer.from([1, 2, 3, 4]));
  parts.push(Buffer.alloc(payloadLength, 0x81)); // payload bytes that look like frame headers
  return Buffer.concat(parts);
}

function scan(chunks: Buffer[]): number[] {
  const seen: number[] = [];
  const scanner = createFrameScanner((opcode) => seen.push(opcode));
  for (const chunk of chunks) scanner.push(chunk);
  return seen;
}

describe('createFrameScanner', () => {
  const stream = Buffer.concat([
    frame(0x1, 5, true),
    frame(0x9, 0, false),
    frame(0x2, 300, false),
    frame(0xa, 4, true),
    frame(0x2, 70000, true),
    frame(0x0, 0, false),
    frame(0x8, 2, false),
  ]);
  const expected = [0x1, 0x9, 0x2, 0xa, 0x2, 0x0, 0x8];

  it('finds every frame in one chunk, skipping payloads', () => {
    assert.deepEqual(scan([stream]), expected);
  });

  it('finds the same frames when the stream arrives one byte at a time', () => {
    const bytes: Buffer[] = [];
    for (let i = 0; i < stream.length; i++) bytes.push(stream.subarray(i, i + 1));
    assert.deepEqual(scan(bytes), expected);
  });

  it('finds the same frames across arbitrary chunk boundaries', () => {
    const chunks: Buffer[] = [];
    for (let i = 0, size = 1; i < stream.length; i += size, size = (size * 7) % 997 + 1) {
      chunks.push(stream.subarray(i, i + size));
    }
    assert.deepEqual(scan(chunks), expected);
  });
});

describe('isDataOpcode', () => {
  it('counts text, binary and continuation frames but not control frames', () => {
    assert.deepEqual([0x0, 0x1, 0x2, 0x8, 0x9, 0xa].map(isDataOpcode), [true, true, true, false, false, false]);
  });
});
