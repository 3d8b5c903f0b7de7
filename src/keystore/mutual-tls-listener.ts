import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import { BulwarkError } from '../errors/index.js';
import { tlsHardening } from './tls-hardening.js';
import type { InternalTlsIdentity } from './internal-tls.js';

/**
 * The hub API listener for single-user servers under hub.internal_tls: 127.0.0.1, `port` (0: a free one),
 * and a handshake that fails unless the client presents a certificate from the internal CA
 * (JupyterHub's internal_ssl hub listener). Bearer tokens still decide what a request may do.
 */
export async function listenMutualTls(identity: InternalTlsIdentity, handler: (req: IncomingMessage, res: ServerResponse) => void, port: number): Promise<Server> {
  const server = createServer({ ...tlsHardening('TLSv1.2'), key: identity.key, cert: identity.cert, ca: identity.ca, requestCert: true, rejectUnauthorized: true }, handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: Error) => reject(new BulwarkError('KEYSTORE_INTERNAL_CA_FAILED', { step: `listen on 127.0.0.1:${port} (hub.internal_tls.api_port)`, reason: error.message })));
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return server;
}
