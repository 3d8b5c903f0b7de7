import { once } from 'node:events';
import { WebSocket } from 'ws';

/**
 * Opens `connections` WebSockets to `url` and keeps each in a send-wait-echo loop for `seconds`.
 * Returns completed round trips per second (the traefik-proxy benchmark's "ws small").
 */
export async function wsRoundTrips(url: string, connections: number, seconds: number): Promise<number> {
  const sockets = await Promise.all(
    Array.from({ length: connections }, async () => {
      const ws = new WebSocket(url, { perMessageDeflate: false });
      await once(ws, 'open');
      return ws;
    }),
  );
  const payload = Buffer.from('x'.repeat(32));
  let count = 0;
  let running = true;
  const loops = sockets.map(
    (ws) =>
      new Promise<void>((resolve) => {
        ws.on('message', () => {
          count++;
          if (running) ws.send(payload);
          else resolve();
        });
        ws.send(payload);
      }),
  );
  const started = performance.now();
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  running = false;
  const elapsed = (performance.now() - started) / 1000;
  const done = count;
  await Promise.race([Promise.all(loops), new Promise((resolve) => setTimeout(resolve, 2000))]);
  for (const ws of sockets) ws.terminate();
  return done / elapsed;
}
