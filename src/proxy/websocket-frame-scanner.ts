/**
 * Follows WebSocket frame boundaries (RFC 6455 section 5.2) in a byte stream without copying or decoding
 * payloads, and reports each frame's opcode. The proxy uses it to count data frames (text, binary,
 * continuation) as activity but not pings and pongs: the notebook server pings open tabs on a timer,
 * and an idle tab must not keep a server from being culled.
 */
export interface FrameScanner {
  push(chunk: Buffer): void;
}

const MAX_HEADER = 14; // 2 + 8 bytes of extended length + 4 bytes of mask

function headerLength(header: Buffer, have: number): number {
  if (have < 2) return 2;
  const second = header[1] ?? 0;
  const len7 = second & 0x7f;
  const extended = len7 === 126 ? 2 : len7 === 127 ? 8 : 0;
  const mask = (second & 0x80) !== 0 ? 4 : 0;
  return 2 + extended + mask;
}

function payloadLength(header: Buffer): number {
  const len7 = (header[1] ?? 0) & 0x7f;
  if (len7 === 126) return header.readUInt16BE(2);
  // 2^53 bytes is far beyond anything that crosses this proxy, so a double holds it exactly.
  if (len7 === 127) return header.readUInt32BE(2) * 2 ** 32 + header.readUInt32BE(6);
  return len7;
}

export function createFrameScanner(onFrame: (opcode: number) => void): FrameScanner {
  const header = Buffer.alloc(MAX_HEADER);
  let have = 0;
  let remaining = 0;
  return {
    push(chunk) {
      let i = 0;
      const length = chunk.length;
      while (i < length) {
        if (remaining > 0) {
          const skip = Math.min(remaining, length - i);
          i += skip;
          remaining -= skip;
          continue;
        }
        // The usual case: the whole frame header is inside this chunk. It is read in place, with
        // no byte-by-byte copy into `header`.
        if (have === 0 && i + 2 <= length) {
          const second = chunk[i + 1] as number;
          const len7 = second & 0x7f;
          const size = 2 + (len7 === 126 ? 2 : len7 === 127 ? 8 : 0) + ((second & 0x80) !== 0 ? 4 : 0);
          if (i + size <= length) {
            onFrame((chunk[i] as number) & 0x0f);
            remaining =
              len7 === 126 ? chunk.readUInt16BE(i + 2) : len7 === 127 ? chunk.readUInt32BE(i + 2) * 2 ** 32 + chunk.readUInt32BE(i + 6) : len7;
            i += size;
            continue;
          }
        }
        let need = headerLength(header, have);
        while (have < need && i < chunk.length) {
          header[have++] = chunk[i++] ?? 0;
          need = headerLength(header, have);
        }
        if (have < need) return;
        onFrame((header[0] ?? 0) & 0x0f);
        remaining = payloadLength(header);
        have = 0;
      }
    },
  };
}

/** Opcodes below 8 carry data; 8 and above are control frames (close, ping, pong). */
export function isDataOpcode(opcode: number): boolean {
  return opcode < 8;
}
