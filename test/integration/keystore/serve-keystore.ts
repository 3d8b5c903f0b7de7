import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { LoadedKeystore } from '../../../src/keystore/index.js';

/** A plain https server answering "ok from <kind>" with the keystore's options, on 127.0.0.1 port 0. */
export async function serveKeystore(keystore: LoadedKeystore): Promise<{ url: string; port: number; close(): Promise<void> }> {
  const server = createServer(keystore.secureContext, (_req, res) => res.end(`ok from ${keystore.kind}`));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://127.0.0.1:${port}/`,
    port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
