import type { SecureContextOptions } from 'node:tls';

// TLS 1.3 suites first, then TLS 1.2 with forward secrecy and AEAD only. Node splits the list by
// the TLS_ prefix; leaving the 1.3 names out would switch TLS 1.3 off.
const ciphers = [
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_AES_128_GCM_SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
].join(':');

/** Protocol floor and cipher list for every listener Bulwark serves TLS on. */
export function tlsHardening(minVersion: 'TLSv1.2' | 'TLSv1.3'): SecureContextOptions {
  return { minVersion, ciphers, honorCipherOrder: true };
}
