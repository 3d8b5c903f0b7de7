/**
 * Decodes a chunked response body (RFC 9112 section 7.1) as it streams in, handing out payload slices
 * without copying them. Chunk extensions and trailers are read and dropped: the response is sent
 * on to the client with its own framing, the way Node's parser and ServerResponse would do it.
 */
export interface ChunkedDecoder {
  /**
   * Feeds bytes. Payload goes to `onData`; returns -1 while the body is unfinished, or the index in
   * `chunk` just after the body once it is complete (bytes after it are not part of this response).
   */
  push(chunk: Buffer): number;
}

/** Where in the chunked framing the decoder is. */
const State = { Size: 0, Data: 1, DataEnd: 2, Trailer: 3 } as const;
type State = (typeof State)[keyof typeof State];

/** A size line or a trailer line longer than this is not a sane backend. */
const maxLineBytes = 16 * 1024;

function invalid(reason: string): Error {
  return Object.assign(new Error(`invalid chunked body from backend: ${reason}`), { code: 'HPE_INVALID_CHUNK_SIZE' });
}

export function createChunkedDecoder(onData: (payload: Buffer) => void): ChunkedDecoder {
  let state: State = State.Size;
  let remaining = 0;
  // The part of a size, data-end or trailer line seen so far (lines may span chunks).
  let line = '';

  /** Reads one CRLF-terminated line starting at `i`; returns the index after it, or -1 if incomplete. */
  const readLine = (chunk: Buffer, i: number): number => {
    const lf = chunk.indexOf(10, i);
    if (lf === -1) {
      line += chunk.toString('latin1', i, chunk.length);
      if (line.length > maxLineBytes) throw invalid('line too long');
      return -1;
    }
    line += chunk.toString('latin1', i, lf);
    if (!line.endsWith('\r')) throw invalid('line not ended by CRLF');
    line = line.slice(0, -1);
    return lf + 1;
  };

  return {
    push(chunk) {
      let i = 0;
      while (i < chunk.length) {
        if (state === State.Data) {
          const take = Math.min(remaining, chunk.length - i);
          onData(chunk.subarray(i, i + take));
          i += take;
          remaining -= take;
          if (remaining === 0) state = State.DataEnd;
          continue;
        }
        const next = readLine(chunk, i);
        if (next === -1) return -1;
        i = next;
        const text = line;
        line = '';
        if (state === State.DataEnd) {
          if (text !== '') throw invalid('missing CRLF after chunk data');
          state = State.Size;
        } else if (state === State.Size) {
          const semicolon = text.indexOf(';');
          const hex = (semicolon === -1 ? text : text.slice(0, semicolon)).trim();
          if (!/^[0-9a-fA-F]{1,12}$/.test(hex)) throw invalid('bad chunk size');
          remaining = parseInt(hex, 16);
          state = remaining === 0 ? State.Trailer : State.Data;
        } else if (text === '') {
          // The empty line after the (usually absent) trailer fields ends the body.
          return i;
        }
      }
      return -1;
    },
  };
}
