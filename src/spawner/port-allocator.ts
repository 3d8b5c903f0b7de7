import { createServer } from 'node:net';

/** Whether `port` can be bound on `ip` right now. */
function canBind(ip: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', () => resolve(false));
    probe.listen({ host: ip, port, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}

/**
 * Hands out ports from spawner.port_range (IBM's starting_port/max_users idea: firewall rules and
 * monitoring can name the servers' ports). Ports held by this hub's servers are never offered twice,
 * even while a server is still starting; others are skipped when something else has bound them.
 */
export class PortAllocator {
  readonly #held = new Set<number>();
  #next: number;

  constructor(
    private readonly ip: string,
    private readonly range: readonly [number, number],
  ) {
    this.#next = range[0];
  }

  /** A free port of the range, now held; null when every port is taken. */
  async take(): Promise<number | null> {
    const [first, last] = this.range;
    const size = last - first + 1;
    for (let tried = 0; tried < size; tried++) {
      const port = this.#next;
      this.#next = port >= last ? first : port + 1;
      if (this.#held.has(port)) continue;
      this.#held.add(port);
      if (await canBind(this.ip, port)) return port;
      this.#held.delete(port);
    }
    return null;
  }

  /** Marks a port as used (a re-adopted server's). */
  hold(port: number): void {
    if (port >= this.range[0] && port <= this.range[1]) this.#held.add(port);
  }

  release(port: number): void {
    this.#held.delete(port);
  }
}
