import { z } from 'zod';
import { describe } from './fields.js';

const ONE_YEAR = 31536000;

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
    hsts: describe(z.boolean().default(true), {
      description: 'Send Strict-Transport-Security on responses of this listener when it serves TLS (never over plain HTTP).',
    }),
    hsts_max_age: describe(z.number().int().nonnegative().default(ONE_YEAR), {
      description: 'HSTS max-age in seconds: how long browsers refuse plain HTTP to this host. 0 tells them to forget an earlier policy.',
    }),
    hsts_include_subdomains: describe(z.boolean().default(false), {
      description: 'Add includeSubDomains: the policy then also covers every subdomain, which must all serve HTTPS.',
    }),
    hsts_preload: describe(z.boolean().default(false), {
      description: `Add preload (consent to browsers' built-in HSTS lists). Requires hsts_include_subdomains and hsts_max_age of at least ${ONE_YEAR}.`,
    }),
  })
  .superRefine((tls, context) => {
    // The preload lists (hstspreload.org) reject anything weaker, and a preload directive the lists
    // would refuse only misleads the operator.
    if (!tls.hsts_preload) return;
    if (!tls.hsts_include_subdomains) {
      context.addIssue({ code: 'custom', path: ['hsts_preload'], message: 'hsts_preload requires hsts_include_subdomains: true' });
    }
    if (tls.hsts_max_age < ONE_YEAR) {
      context.addIssue({ code: 'custom', path: ['hsts_preload'], message: `hsts_preload requires hsts_max_age of at least ${ONE_YEAR} (one year), got ${tls.hsts_max_age}` });
    }
  })
  .prefault({});

/**
 * `hub.internal_tls`: mutual TLS between the hub API, the embedded proxy and single-user servers
 * (JupyterHub's internal_ssl). The CA's key lives in the kernel keyring, never in a file.
 */
export const internalTlsSection = z
  .strictObject({
    enabled: describe(z.boolean().default(false), {
      description:
        'Hub API, proxy and single-user servers talk over mutually authenticated TLS with an internal CA: each server gets its own certificate and the JUPYTERHUB_SSL_* variables, and the hub API listener for servers accepts only clients with a certificate from that CA. Needs keyutils (keyctl). See docs/tls.md.',
    }),
    certificate_days: describe(z.number().int().min(1).max(365).default(7), {
      description:
        'Validity (whole days) of the certificate issued to each single-user server at its start (its key is the one written to a file). A server running longer than this must be restarted. The hub\'s own certificates stay in its memory and live as long as the CA.',
    }),
    ca_days: describe(z.number().int().min(2).max(3650).default(365), {
      description: 'Validity (days) of a newly generated internal CA certificate. A stored CA that would expire before a new leaf is replaced at start-up.',
    }),
    ca_keystore: describe(z.string().regex(/^keyctl:user:/, 'expected keyctl:user:DESC, optionally ?keyring=@u|@s|NUMBER').nullable().default(null), {
      description:
        'Kernel keyring entry holding the internal CA (certificate and key as one PEM bundle), generated on first start. Empty means keyctl:user:bulwark-internal-ca-<hash of hub.data_dir> in the user keyring (@u) of the hub process, which survives hub restarts until reboot.',
    }),
    api_port: describe(z.number().int().min(0).max(65535).default(8081), {
      description:
        "Port on 127.0.0.1 of the hub API listener for single-user servers (mutual TLS), as JupyterHub's hub_port. Keep it fixed so servers re-adopted after a hub restart still reach the hub API; 0 picks a free port at each start.",
    }),
    credentials_dir: describe(z.string().regex(/^\//, 'expected an absolute path').default('/run/bulwark/internal-tls'), {
      description:
        "Directory (created mode 0711) under which each single-user server gets a directory only its account can read, holding its key, certificate and the CA certificate. Keep it on a tmpfs such as /run so keys never reach a disk; it is removed when the server stops.",
    }),
  })
  .prefault({});
