import { X509Certificate } from 'node:crypto';
import { connect, TLSSocket, type DetailedPeerCertificate, type SecureContext } from 'node:tls';
import { duplexPair } from './duplex-pair.js';

export interface HandshakeResult {
  protocol: string;
  /** The chain the server sent, leaf first. */
  chain: X509Certificate[];
}

function servedChain(peer: DetailedPeerCertificate): X509Certificate[] {
  const chain: X509Certificate[] = [];
  const seen = new Set<string>();
  let current: DetailedPeerCertificate | undefined = peer;
  while (current?.raw && !seen.has(current.fingerprint256)) {
    seen.add(current.fingerprint256);
    chain.push(new X509Certificate(current.raw));
    current = current.issuerCertificate;
  }
  return chain;
}

/**
 * Completes one TLS handshake against `context` entirely in memory (no socket, no port). It proves
 * the key can sign - for a PKCS#11 key that is the token's first real use - and returns the chain a
 * client would receive. Trust is not judged here; see checkCertificates.
 */
export function selfHandshake(context: SecureContext, timeoutMs = 10_000): Promise<HandshakeResult> {
  const [serverEnd, clientEnd] = duplexPair();
  const server = new TLSSocket(serverEnd, { isServer: true, secureContext: context });
  return new Promise((resolve, reject) => {
    const client = connect({ socket: clientEnd, rejectUnauthorized: false, servername: 'localhost' });
    const done = (error: Error | null, result?: HandshakeResult) => {
      clearTimeout(timer);
      client.destroy();
      server.destroy();
      if (error) reject(error);
      else if (result) resolve(result);
    };
    const timer = setTimeout(() => done(new Error(`no TLS handshake within ${timeoutMs} ms`)), timeoutMs);
    server.once('error', (error) => done(error));
    client.once('error', (error) => done(error));
    client.once('secureConnect', () => done(null, { protocol: client.getProtocol() ?? 'unknown', chain: servedChain(client.getPeerCertificate(true)) }));
  });
}
