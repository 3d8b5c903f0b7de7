import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { trackUntilClosed, type ForwardContext } from './forward-context.js';
import type { Route } from './route-table.js';
import { errorCode } from './upstream-error.js';
import { createFrameScanner, isDataOpcode, type FrameScanner } from './websocket-frame-scanner.js';

/** How long one side may take to flush and close after the other side has closed. */
const closeGraceMs = 5000;

/** Ends `socket` politely (flushing what is queued, such as a close frame) and destroys it if it lingers. */
function closeAfterPeer(socket: Duplex): void {
  if (socket.destroyed) return;
  socket.end();
  const timer = setTimeout(() => socket.destroy(), closeGraceMs).unref();
  // The timer would keep the socket (and its buffers) reachable for the whole grace period.
  socket.once('close', () => clearTimeout(timer));
}

/**
 * Copies `from` into `to` with backpressure: one 'data' listener that scans frame headers for
 * activity and writes, instead of pipe() plus a second listener for the scanner. A half-close is
 * passed on like pipe() does it (the server socket of the client allows half-open connections).
 */
function relay(from: Duplex, to: Duplex, scanner: FrameScanner, afterScan: () => void): void {
  from.on('data', (chunk: Buffer) => {
    scanner.push(chunk);
    afterScan();
    if (!to.write(chunk)) from.pause();
  });
  to.on('drain', () => from.resume());
  from.on('end', () => to.end());
}

/**
 * Joins the client's socket and the backend's socket after a successful upgrade. Bytes are relayed
 * as they are (frames stay intact and permessage-deflate keeps working); a frame scanner on each
 * direction reports data frames as activity. Either side closing or failing closes the other.
 */
export function openTunnel(
  ctx: ForwardContext,
  route: Route,
  client: Duplex,
  clientHead: Buffer,
  upstream: Duplex,
  upstreamHead: Buffer,
): void {
  // The client socket is tracked since the handshake began; the backend socket joins now.
  trackUntilClosed(ctx.live, upstream);
  for (const socket of [client, upstream]) {
    // Interactive traffic: small frames must not wait for Nagle's algorithm.
    if (socket instanceof Socket) {
      socket.setNoDelay(true);
      socket.setTimeout(0);
    }
  }
  // Activity is recorded once per chunk that began a data frame, not once per frame: a chunk can
  // hold many small frames, and one timestamp says as much.
  let sawData = false;
  const onFrame = (opcode: number): void => {
    if (isDataOpcode(opcode)) sawData = true;
  };
  const afterScan = (): void => {
    if (!sawData) return;
    sawData = false;
    ctx.activity.record(route);
  };
  const toUpstream = createFrameScanner(onFrame);
  const toClient = createFrameScanner(onFrame);

  client.on('error', (err) => {
    ctx.logger.debug({ prefix: route.prefix, code: errorCode(err) }, 'websocket client connection failed');
    upstream.destroy();
  });
  upstream.on('error', (err) => {
    ctx.logger.debug({ prefix: route.prefix, code: errorCode(err) }, 'websocket backend connection failed');
    client.destroy();
  });
  client.on('close', () => closeAfterPeer(upstream));
  upstream.on('close', () => closeAfterPeer(client));

  // Bytes that arrived together with the handshake belong before everything relayed later.
  if (upstreamHead.length > 0) {
    toClient.push(upstreamHead);
    afterScan();
    client.write(upstreamHead);
  }
  if (clientHead.length > 0) {
    toUpstream.push(clientHead);
    afterScan();
    upstream.write(clientHead);
  }
  relay(client, upstream, toUpstream, afterScan);
  relay(upstream, client, toClient, afterScan);
}
