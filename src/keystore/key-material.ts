import type { SecureContextOptions } from 'node:tls';

/**
 * What a keystore backend hands over: the options that give Node's TLS the certificate chain and
 * the key (in memory, or as an engine reference for PKCS#11), plus warnings for the operator.
 */
export interface KeyMaterial {
  options: SecureContextOptions;
  warnings: string[];
}
