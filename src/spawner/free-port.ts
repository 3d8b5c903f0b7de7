import { createServer } from 'node:net';

/**
 * Asks the kernel for a port that is free on `ip` right now. Another process may take it before the
 * server binds; the server then fails to start and the spawn reports its exit, as in JupyterHub.
 */
export function findFreePort(ip: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen({ host: ip, port: 0, exclusive: true }, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error(`no port was assigned on ${ip}`))));
    });
  });
}
