import { z } from 'zod';
import { describe } from './fields.js';

/**
 * `hub.tls`: where the public listener's certificate and key come from, and how TLS is hardened.
 * The keystore URI forms are parsed by src/keystore; only their shape is checked here.
 */
export const tlsSection = z
  .strictObject({
    keystore: describe(z.string().min(1).nullable().default(null), {
      description:
        'Where the TLS certificate and key come from: pkcs11:token=T;object=O?pin-source=file:PATH, keyctl:user:DESC, pkcs12:PATH?passphrase-env=VAR, or pem:CERT?key=KEY (development only). Empty means plain HTTP. See docs/tls.md.',
      secret: true,
    }),
    min_version: describe(z.enum(['TLSv1.2', 'TLSv1.3']).default('TLSv1.2'), {
      description: 'Oldest TLS version accepted. TLS 1.3 is always preferred when the client offers it.',
    }),
    pkcs11_engine: describe(z.string().regex(/^\/.*\.so$/, 'expected an absolute path to an OpenSSL engine (.so)').default('/usr/lib/x86_64-linux-gnu/engines-3/pkcs11.so'), {
      description: 'Absolute path of the OpenSSL pkcs11 engine (Debian: libengine-pkcs11-openssl) used for pkcs11: keystores.',
    }),
    pkcs11_module: describe(z.string().regex(/^\//, 'expected an absolute path').default('/usr/lib/x86_64-linux-gnu/p11-kit-proxy.so'), {
      description:
        'PKCS#11 module used when a pkcs11: URI names no module-path. The default p11-kit proxy reaches every module registered with p11-kit.',
    }),
    expiry_warning_days: describe(z.number().int().nonnegative().default(21), {
      description: 'Log a warning at start-up and on reload when the certificate expires within this many days.',
    }),
  })
  .prefault({});
