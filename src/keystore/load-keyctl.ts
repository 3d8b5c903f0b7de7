import { BulwarkError } from '../errors/index.js';
import type { KeyMaterial } from './key-material.js';
import { readKeyringEntry } from './keyring-entry.js';
import type { KeyctlSpec, SecretSource } from './keystore-spec.js';
import { looksLikePem, splitPemBundle } from './pem-bundle.js';
import { readSecret } from './read-secret.js';

/**
 * `keyctl:user:DESC` - a PKCS#12 bundle or a PEM bundle (certificate chain + one private key) held
 * in the kernel keyring. It is read into memory only; nothing is written to disk.
 */
export async function loadKeyctl(uri: string, spec: KeyctlSpec, env: NodeJS.ProcessEnv): Promise<KeyMaterial> {
  return bundleMaterial(uri, await readKeyringEntry(uri, spec), spec.passphrase, env);
}

/**
 * The TLS options for a bundle held in memory: PKCS#12 (DER) or PEM (chain, leaf first, plus one
 * private key). Also used by `keystore import-keyctl` to prove a bundle before it enters the keyring.
 */
export function bundleMaterial(uri: string, blob: Buffer, source: SecretSource | null, env: NodeJS.ProcessEnv): KeyMaterial {
  const passphrase = source ? readSecret(uri, 'passphrase', source, env) : null;
  const withPassphrase = passphrase ? { passphrase: passphrase.value } : {};
  const warnings = passphrase ? [...passphrase.warnings] : [];
  if (!looksLikePem(blob)) return { options: { pfx: blob, ...withPassphrase }, warnings };
  const bundle = splitPemBundle(blob.toString('utf8'));
  if (bundle.certificates.length === 0 || bundle.privateKeys.length !== 1) {
    throw new BulwarkError('KEYSTORE_BUNDLE_INVALID', {
      uri,
      reason: `the bundle holds ${bundle.certificates.length} certificate(s) and ${bundle.privateKeys.length} private key(s); expected a chain (leaf first) and exactly one key`,
    });
  }
  return { options: { cert: bundle.certificates.join('\n'), key: bundle.privateKeys[0], ...withPassphrase }, warnings };
}
