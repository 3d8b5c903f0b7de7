import type { Logger } from '../log/index.js';
import { loadKeystore, type LoadedKeystore, type LoadKeystoreOptions } from './load-keystore.js';
import type { TlsSettings } from './tls-settings.js';

/**
 * Loads the configured keystore for a listener and logs what an operator needs: the certificate
 * summary, every warning, and a warning when expiry is within `expiry_warning_days`.
 */
export async function openKeystore(uri: string, settings: TlsSettings, logger: Logger, options: LoadKeystoreOptions = {}): Promise<LoadedKeystore> {
  const keystore = await loadKeystore(uri, settings, options);
  const { summary } = keystore;
  logger.info({ keystore: keystore.source, kind: keystore.kind, subject: summary.subject, issuer: summary.issuer, notAfter: summary.notAfter, daysLeft: summary.daysLeft, keyType: summary.keyType }, 'TLS keystore loaded');
  for (const warning of keystore.warnings) logger.warn({ keystore: keystore.source }, warning);
  if (summary.daysLeft < settings.expiry_warning_days) {
    logger.warn({ keystore: keystore.source, notAfter: summary.notAfter, daysLeft: summary.daysLeft }, `the TLS certificate expires in ${summary.daysLeft} days; renew it`);
  }
  return keystore;
}
