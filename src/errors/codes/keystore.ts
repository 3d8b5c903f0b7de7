import { defineErrors } from '../error-definition.js';

/** Errors of the keystore: TLS certificates and keys from PKCS#11, the kernel keyring, PKCS#12. */
export const keystoreErrors = defineErrors({
  KEYSTORE_INVALID_URI: {
    status: 500,
    message: 'Invalid keystore URI {uri}: {reason}',
    description: 'hub.tls.keystore must be a pkcs11:, keyctl:, pkcs12: or pem: URI.',
  },
});
