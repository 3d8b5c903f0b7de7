import type { Logger } from '../log/index.js';

/** Something long-running a command started: closed by a signal, or closing on its own. */
export interface Stoppable {
  close(): Promise<void>;
  /** Settles when it has closed for another reason (e.g. POST /hub/api/shutdown). */
  closed: Promise<void>;
}

/** Waits until SIGTERM/SIGINT closes `target` or it closes by itself; errors while closing are logged. */
export function runUntilStopped(target: Stoppable, logger: Logger): Promise<void> {
  return new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals) => {
      logger.info({ signal }, 'shutting down');
      forget();
      target
        .close()
        .catch((error: unknown) => logger.error({ err: error }, 'error during shutdown'))
        .finally(resolve);
    };
    const forget = () => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
    void target.closed.then(() => {
      forget();
      resolve();
    });
  });
}
