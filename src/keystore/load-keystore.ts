import type { X509Certificate } from 'node:crypto';
import { createSecureContext, type SecureContextOptions } from 'node:tls';
import { BulwarkError } from '../errors/index.js';
import { summarizeCertificates, type CertificateSummary } from './certificate-summary.js';
import { checkCertificates } from './check-certificates.js';
import type { KeyMaterial } from './key-material.js';
import type { KeystoreKind, KeystoreSpec } from './keystore-spec.js';
import { loadKeyctl } from './load-keyctl.js';
import { loadPem } from './load-pem.js';
import { loadPkcs11 } from './load-pkcs11.js';
import { loadPkcs12 } from './load-pkcs12.js';
import { opensslFailure } from './openssl-failure.js';
import { parseKeystoreUri } from './parse-keystore-uri.js';
import { redactKeystoreUri } from './redact-keystore-uri.js';
import { selfHandshake } from './self-handshake.js';
import { tlsHardening } from './tls-hardening.js';
import type { TlsSettings } from './tls-settings.js';

/** A keystore that has been opened and proven to serve TLS. */
export interface LoadedKeystore {
  /** The URI with PINs redacted: safe for logs. */
  source: string;
  kind: KeystoreKind;
  /** Hand these to https.createServer / server.setSecureContext. Holds key material in memory only. */
  secureContext: SecureContextOptions;
  /** The chain a client receives, leaf first. */
  chain: readonly X509Certificate[];
  summary: CertificateSummary;
  warnings: readonly string[];
}

export interface LoadKeystoreOptions {
  env?: NodeJS.ProcessEnv;
  now?: Date;
}

function material(uri: string, spec: KeystoreSpec, settings: TlsSettings, env: NodeJS.ProcessEnv): Promise<KeyMaterial> {
  switch (spec.kind) {
    case 'pkcs11':
      return loadPkcs11(uri, spec, settings, env);
    case 'keyctl':
      return loadKeyctl(uri, spec, env);
    case 'pkcs12':
      return loadPkcs12(uri, spec, env);
    case 'pem':
      return loadPem(uri, spec, env);
    case 'safkeyring':
      // A z/OS port would call R_datalib (IRRSDL00 DataGetFirst) through keyring_js.getPemEncodedData
      // (OWNER, RING, LABEL) or node-zcrypto's openKeyRing, and hand the PEM to TLS as here.
      throw new BulwarkError('KEYSTORE_ZOS_ONLY', { uri });
  }
}

/**
 * Opens a keystore URI and proves it works before anything listens: OpenSSL accepts the pair (a
 * mismatched key is refused), an in-memory handshake signs with the key, and the leaf certificate
 * is within its validity period. Any failure is a BulwarkError naming the redacted URI.
 */
export async function loadKeystore(rawUri: string, settings: TlsSettings, options: LoadKeystoreOptions = {}): Promise<LoadedKeystore> {
  const uri = redactKeystoreUri(rawUri);
  const now = options.now ?? new Date();
  const spec = parseKeystoreUri(rawUri);
  const loaded = await material(uri, spec, settings, options.env ?? process.env);
  return proveKeyMaterial(uri, spec.kind, loaded, settings, now);
}

/**
 * The checks of loadKeystore for material already in hand: hardening applied, a test handshake
 * signs with the key (a mismatched pair is refused), the leaf is within its validity period.
 */
export async function proveKeyMaterial(uri: string, kind: KeystoreKind, loaded: KeyMaterial, settings: TlsSettings, now: Date): Promise<LoadedKeystore> {
  const secureContext: SecureContextOptions = { ...tlsHardening(settings.min_version), ...loaded.options };
  let chain: X509Certificate[];
  try {
    chain = (await selfHandshake(createSecureContext(secureContext))).chain;
  } catch (error) {
    if (error instanceof BulwarkError) throw error;
    throw opensslFailure(uri, error, 'the configured certificate');
  }
  const warnings = [...loaded.warnings, ...checkCertificates(uri, chain, now)];
  return { source: uri, kind, secureContext, chain, summary: summarizeCertificates(chain, now), warnings };
}
