import type { Logger } from '../log/index.js';
import type { LoadedKeystore } from './load-keystore.js';
import type { TlsSettings } from './tls-settings.js';

const dayMs = 24 * 60 * 60 * 1000;
const sixHoursMs = 6 * 60 * 60 * 1000;

export type ExpiryState = 'ok' | 'expiring' | 'expired';

/** Logs a warning inside the `expiry_warning_days` window and an error once the certificate has expired. */
export function checkCertificateExpiry(keystore: LoadedKeystore, settings: Pick<TlsSettings, 'expiry_warning_days'>, logger: Logger, now: Date): ExpiryState {
  const leaf = keystore.chain[0];
  if (!leaf) return 'ok';
  const notAfter = new Date(leaf.validTo);
  const daysLeft = Math.floor((notAfter.getTime() - now.getTime()) / dayMs);
  const fields = { keystore: keystore.source, subject: keystore.summary.subject, notAfter: notAfter.toISOString(), daysLeft };
  if (notAfter < now) {
    logger.error(fields, 'the TLS certificate has expired; clients refuse it. Renew it, put it into the keystore and send SIGHUP');
    return 'expired';
  }
  if (daysLeft < settings.expiry_warning_days) {
    logger.warn(fields, `the TLS certificate expires in ${daysLeft} days; renew it and send SIGHUP`);
    return 'expiring';
  }
  return 'ok';
}

/**
 * The start-up check warns only at start-up and on reload; a process that runs for months would
 * cross `expiry_warning_days` silently. This checks the certificate in service every six hours.
 * Returns a stopper; the timer never keeps the process alive.
 */
export function watchCertificateExpiry(current: () => LoadedKeystore | null, settings: Pick<TlsSettings, 'expiry_warning_days'>, logger: Logger): () => void {
  const timer = setInterval(() => {
    const keystore = current();
    if (keystore) checkCertificateExpiry(keystore, settings, logger, new Date());
  }, sixHoursMs);
  timer.unref();
  return () => clearInterval(timer);
}
