import { Duplex } from 'node:stream';

/** Two connected in-memory streams: what one writes, the other reads (Node 20 lacks stream.duplexPair). */
export function duplexPair(): [Duplex, Duplex] {
  const ends: Duplex[] = [];
  const make = (peer: () => Duplex) =>
    new Duplex({
      read() {},
      write(chunk: Buffer, _encoding, callback) {
        peer().push(chunk);
        callback();
      },
      final(callback) {
        peer().push(null);
        callback();
      },
    });
  ends.push(make(() => ends[1] as Duplex), make(() => ends[0] as Duplex));
  return [ends[0] as Duplex, ends[1] as Duplex];
}
