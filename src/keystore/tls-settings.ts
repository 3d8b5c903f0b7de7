import type { BulwarkConfig } from '../config/index.js';

/** The `hub.tls` section: keystore URI, TLS floor, PKCS#11 engine and module, expiry warning. */
export type TlsSettings = BulwarkConfig['hub']['tls'];
