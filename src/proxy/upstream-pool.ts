import net, { type Socket } from 'node:net';

/**
 * Whoever currently uses a pooled connection. The socket's listeners are attached once, when it is
 * opened, and hand events to the owner; an exchange on a reused connection therefore costs no
 * listener registration and no closure.
 */
export interface ConnectionOwner {
  onData(chunk: Buffer): void;
  /** The socket closed while owned; `ended` when the backend closed cleanly (FIN) and there was no error. */
  onClose(error: Error | undefined, ended: boolean): void;
  /** No bytes either way for the forwarder's timeout. */
  onTimeout(): void;
}

export interface PooledConnection {
  readonly socket: Socket;
  readonly key: string;
  /** Carried an exchange before: a failure before any answer may be a keep-alive race, not a dead backend. */
  reused: boolean;
  owner: ConnectionOwner | undefined;
  idleSince: number;
  ended: boolean;
  error: Error | undefined;
}

export interface UpstreamPool {
  /** A free kept-alive connection to `host:port` (most recently used first), or a new one. */
  acquire(key: string, hostname: string, port: number): PooledConnection;
  /** Gives a connection back after a complete exchange; `reusable` false closes it. */
  release(connection: PooledConnection, reusable: boolean): void;
  /** Closes every connection, free or busy, and stops the idle sweep. */
  close(): void;
}

export interface UpstreamPoolOptions {
  /** Idle time allowed while an exchange waits for the backend; 0 = none. */
  timeoutMs: number;
  /** Free connections are closed after this long, before the backend's own keep-alive timeout does it. */
  freeSocketTimeoutMs: number;
  /** Free connections kept per backend; more are closed on release. */
  maxFreePerBackend: number;
}

export function createUpstreamPool(options: UpstreamPoolOptions): UpstreamPool {
  const free = new Map<string, PooledConnection[]>();
  const all = new Set<PooledConnection>();

  const removeFree = (connection: PooledConnection): void => {
    const list = free.get(connection.key);
    if (list === undefined) return;
    const at = list.indexOf(connection);
    if (at !== -1) list.splice(at, 1);
    if (list.length === 0) free.delete(connection.key);
  };

  const open = (key: string, hostname: string, port: number): PooledConnection => {
    const socket = net.connect({ host: hostname, port });
    const connection: PooledConnection = { socket, key, reused: false, owner: undefined, idleSince: 0, ended: false, error: undefined };
    all.add(connection);
    // Request heads are single small writes that must not wait for the previous answer's ACK.
    socket.setNoDelay(true);
    if (options.timeoutMs > 0) socket.setTimeout(options.timeoutMs);
    socket.on('data', (chunk: Buffer) => {
      if (connection.owner !== undefined) connection.owner.onData(chunk);
      // Bytes on an idle connection belong to no request: the connection cannot be trusted any more.
      else socket.destroy();
    });
    socket.on('end', () => {
      connection.ended = true;
    });
    socket.on('error', (err) => {
      connection.error = err;
    });
    socket.on('timeout', () => {
      if (connection.owner !== undefined) connection.owner.onTimeout();
      else socket.destroy();
    });
    socket.on('close', () => {
      all.delete(connection);
      const owner = connection.owner;
      connection.owner = undefined;
      if (owner === undefined) removeFree(connection);
      else owner.onClose(connection.error, connection.ended && connection.error === undefined);
    });
    return connection;
  };

  // Free connections past their idle time are closed in a sweep rather than with a timer each.
  const sweep = setInterval(() => {
    const oldest = Date.now() - options.freeSocketTimeoutMs;
    for (const list of free.values()) {
      for (const connection of list) if (connection.idleSince <= oldest) connection.socket.destroy();
    }
  }, Math.max(1000, options.freeSocketTimeoutMs / 3));
  sweep.unref();

  return {
    acquire(key, hostname, port) {
      const list = free.get(key);
      while (list !== undefined && list.length > 0) {
        const connection = list.pop() as PooledConnection;
        if (list.length === 0) free.delete(key);
        if (!connection.ended && connection.socket.writable && !connection.socket.destroyed) return connection;
        connection.socket.destroy();
      }
      return open(key, hostname, port);
    },
    release(connection, reusable) {
      connection.owner = undefined;
      const socket = connection.socket;
      const list = free.get(connection.key) ?? [];
      if (!reusable || connection.ended || socket.destroyed || !socket.writable || list.length >= options.maxFreePerBackend) {
        socket.destroy();
        return;
      }
      // A slow client may have paused the socket during the last body; the next exchange needs it flowing.
      if (socket.isPaused()) socket.resume();
      connection.reused = true;
      connection.idleSince = Date.now();
      if (list.length === 0) free.set(connection.key, list);
      list.push(connection);
    },
    close() {
      clearInterval(sweep);
      for (const connection of [...all]) connection.socket.destroy();
      all.clear();
      free.clear();
    },
  };
}
