import { defineErrors } from '../error-definition.js';

/**
 * Errors of the keystore: TLS certificates and keys from PKCS#11, the kernel keyring, PKCS#12.
 * All of them stop start-up (fail closed). `{uri}` is always the redacted URI: PINs never appear.
 */
export const keystoreErrors = defineErrors({
  KEYSTORE_INVALID_URI: {
    status: 500,
    message: 'Invalid keystore URI {uri}: {reason}',
    description: 'hub.tls.keystore must be a pkcs11:, keyctl:, pkcs12: or pem: URI in one of the forms of docs/tls.md.',
  },
  KEYSTORE_NOT_CONFIGURED: {
    status: 500,
    message: '{key} asks for https but no keystore is configured for it (hub.tls.keystore for the hub, channel.tls.keystore for the channel)',
    description: 'An https:// bind URL needs a certificate and key; set the keystore URI of that listener (see docs/tls.md).',
  },
  KEYSTORE_ZOS_ONLY: {
    status: 500,
    message: 'Keystore {uri}: safkeyring:// key rings are only available on z/OS',
    description: 'RACF key rings exist only on z/OS; on Linux use a pkcs11:, keyctl: or pkcs12: keystore.',
  },
  KEYSTORE_SECRET_UNAVAILABLE: {
    status: 500,
    message: 'Keystore {uri}: cannot read the {what} from {source}: {reason}',
    description: 'The PIN or passphrase source named in the URI (environment variable or file) is missing, empty or unreadable.',
  },
  KEYSTORE_SOURCE_UNREADABLE: {
    status: 500,
    message: 'Keystore {uri}: cannot read {path}: {reason}',
    description: 'A certificate, key or bundle file named in the URI does not exist or cannot be read by the hub.',
  },
  KEYSTORE_TOOL_MISSING: {
    status: 500,
    message: 'Keystore {uri}: {tool} is not installed ({reason}); install the Debian package {package}',
    description: 'A system component the keystore needs (keyctl, pkcs11-tool, the OpenSSL pkcs11 engine) is missing.',
  },
  KEYSTORE_KEY_NOT_FOUND: {
    status: 500,
    message: 'Keystore {uri}: {detail}',
    description: 'The named key (kernel keyring entry, PKCS#11 object or its certificate) does not exist or is not readable by the hub.',
  },
  KEYSTORE_PKCS11_LOGIN_FAILED: {
    status: 500,
    message: 'Keystore {uri}: the token refused the PIN ({reason})',
    description: 'The PKCS#11 PIN is wrong or the token is locked. Bulwark does not retry, so a wrong PIN cannot lock the token by itself.',
  },
  KEYSTORE_PKCS12_LEGACY: {
    status: 500,
    message:
      'Keystore {uri}: the PKCS#12 bundle uses legacy encryption (RC2/3DES) that OpenSSL 3 refuses. Re-encrypt it (AES-256) without writing the key out, in bash with the passphrase in $P: openssl pkcs12 -export -passout env:P -inkey <(openssl pkcs12 -legacy -in OLD.p12 -nocerts -nodes -passin env:P) -in <(openssl pkcs12 -legacy -in OLD.p12 -nokeys -passin env:P) -out NEW.p12',
    description: 'The bundle was made with old tools (or openssl pkcs12 -legacy); convert it to AES-256 with the command in the message.',
  },
  KEYSTORE_WRONG_PASSPHRASE: {
    status: 500,
    message: 'Keystore {uri}: the passphrase does not open the bundle ({reason})',
    description: 'The PKCS#12 or encrypted PEM passphrase is wrong, or the bundle is damaged.',
  },
  KEYSTORE_KEY_MISMATCH: {
    status: 500,
    message: 'Keystore {uri}: the private key does not belong to the certificate ({subject})',
    description: 'The certificate and key come from different pairs; fix the bundle or the PKCS#11 object/certificate labels.',
  },
  KEYSTORE_CERT_EXPIRED: {
    status: 500,
    message: 'Keystore {uri}: the certificate {subject} expired on {notAfter}',
    description: 'Renew the certificate and put the new one into the keystore, then restart or send SIGHUP.',
  },
  KEYSTORE_CERT_NOT_YET_VALID: {
    status: 500,
    message: 'Keystore {uri}: the certificate {subject} is not valid before {notBefore}',
    description: "The certificate's validity starts in the future; check the clock or the certificate.",
  },
  KEYSTORE_BUNDLE_INVALID: {
    status: 500,
    message: 'Keystore {uri}: {reason}',
    description: 'The bundle does not hold one certificate chain and one private key in PEM or PKCS#12 form.',
  },
  KEYSTORE_UNUSABLE: {
    status: 500,
    message: 'Keystore {uri}: TLS cannot use this certificate and key: {reason}',
    description: 'OpenSSL refused the material or a test handshake with it failed; the reason is OpenSSL\'s.',
  },
  KEYSTORE_KEYRING_WRITE_FAILED: {
    status: 500,
    message: 'Keystore {uri}: cannot add the bundle to keyring {keyring}: {reason}',
    description: 'keyctl padd failed: the keyring does not exist for this user, or the key quota (/proc/sys/kernel/keys/maxbytes) is too small for the bundle.',
  },
  KEYSTORE_SHRED_FAILED: {
    status: 500,
    message: 'Cannot shred {path}: {reason}; the bundle is in the keyring, remove the file yourself',
    description: 'bulwark keystore import-keyctl --shred could not overwrite and remove the bundle file.',
  },
  KEYSTORE_TOKEN_EXISTS: {
    status: 500,
    message: 'A PKCS#11 token labelled "{token}" already exists; choose another --token-label or delete it with softhsm2-util --delete-token --token {token}',
    description: 'bulwark keystore init-softhsm creates a new token and never reuses or overwrites an existing one.',
  },
  KEYSTORE_SOFTHSM_FAILED: {
    status: 500,
    message: 'SoftHSM token "{token}": cannot {step}: {reason}',
    description: 'A step of bulwark keystore init-softhsm failed; the message carries the tool\'s own words. Check SOFTHSM2_CONF and that its token directory is writable.',
  },
  KEYSTORE_INTERNAL_CA_FAILED: {
    status: 500,
    message: 'Internal CA: cannot {step}: {reason}',
    description: 'The in-memory CA of hub.internal_tls could not create or sign a certificate; the reason is OpenSSL\'s.',
  },
});
