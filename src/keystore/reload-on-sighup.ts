import type { SecureContextOptions } from 'node:tls';
import type { Logger } from '../log/index.js';
import type { LoadedKeystore } from './load-keystore.js';

/** The part of https.Server / tls.Server a reload needs. */
export interface SecureContextTarget {
  setSecureContext(options: SecureContextOptions): void;
}

/**
 * On SIGHUP, opens the keystore again and swaps the listener's certificate and key. Connections
 * already open keep their session; new handshakes use the new material. A keystore that fails to
 * load is logged and the old material stays in service. Returns a function that stops listening.
 */
export function reloadOnSighup(target: SecureContextTarget, reopen: () => Promise<LoadedKeystore>, logger: Logger): () => void {
  let running = false;
  const onSignal = () => {
    if (running) return;
    running = true;
    reopen()
      .then((keystore) => {
        target.setSecureContext(keystore.secureContext);
        logger.info({ keystore: keystore.source, notAfter: keystore.summary.notAfter }, 'TLS certificate reloaded');
      })
      .catch((error: unknown) => logger.error({ err: error }, 'TLS reload failed; keeping the current certificate'))
      .finally(() => {
        running = false;
      });
  };
  process.on('SIGHUP', onSignal);
  return () => process.off('SIGHUP', onSignal);
}
