import { BulwarkError } from '../errors/index.js';

/**
 * Turns what OpenSSL says about a certificate/key pair into one of the keystore's errors. The
 * message keeps OpenSSL's own words as the reason; `uri` is already redacted.
 */
export function opensslFailure(uri: string, error: unknown, subject: string): BulwarkError {
  const text = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: unknown } | null)?.code;
  const reason = text.replace(/^error:[0-9A-F]+:/, '');
  if (code === 'ERR_OSSL_X509_KEY_VALUES_MISMATCH' || /key values mismatch/i.test(text)) {
    return new BulwarkError('KEYSTORE_KEY_MISMATCH', { uri, subject });
  }
  if (code === 'ERR_OSSL_PIN_INCORRECT' || /PIN (incorrect|locked|expired|len range)/i.test(text)) {
    return new BulwarkError('KEYSTORE_PKCS11_LOGIN_FAILED', { uri, reason });
  }
  if (code === 'ERR_OSSL_OBJECT_NOT_FOUND' || /object not found|PKCS11_get_private_key/i.test(text)) {
    return new BulwarkError('KEYSTORE_KEY_NOT_FOUND', { uri, detail: `the token has no private key with this label/id (${reason})` });
  }
  if (/Unsupported PKCS12 PFX data/i.test(text)) return new BulwarkError('KEYSTORE_PKCS12_LEGACY', { uri });
  if (/mac verify failure|bad decrypt|bad password|wrong password|maybe wrong password|interrupted or cancelled/i.test(text)) {
    return new BulwarkError('KEYSTORE_WRONG_PASSPHRASE', { uri, reason });
  }
  return new BulwarkError('KEYSTORE_UNUSABLE', { uri, reason });
}
