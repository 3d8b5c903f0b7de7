import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ExitListener, ServerState, Spawner, StartRequest } from '../../../src/spawner/spawner.js';

/**
 * A spawner whose "servers" are small HTTP listeners inside the test process: the hub's API,
 * proxy routes and stop logic run for real, without Linux accounts or Python. Tests of the real
 * single-user server use the local process spawner instead.
 */
export class InProcessSpawner implements Spawner {
  readonly started: StartRequest[] = [];
  private readonly listeners = new Map<number, Server>();
  private nextPid = 100_000;
  /** Milliseconds each start takes, to exercise pending states. */
  startDelayMs = 0;

  async start(request: StartRequest): Promise<ServerState> {
    this.started.push(request);
    if (this.startDelayMs > 0) await new Promise((resolve) => setTimeout(resolve, this.startDelayMs));
    const server = createServer((req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ server: request.servicePrefix, path: req.url }));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    const pid = this.nextPid++;
    this.listeners.set(pid, server);
    return { pid, port, ip: '127.0.0.1', uid: 1000, gid: 1000, startedAt: new Date().toISOString(), url: `http://127.0.0.1:${port}${request.servicePrefix}` };
  }

  async stop(state: ServerState): Promise<void> {
    const server = this.listeners.get(state.pid);
    this.listeners.delete(state.pid);
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  async poll(state: ServerState): Promise<number | null> {
    return this.listeners.has(state.pid) ? null : 0;
  }

  onExit(_listener: ExitListener): void {
    // In-process servers never exit on their own.
  }

  get running(): number {
    return this.listeners.size;
  }
}
