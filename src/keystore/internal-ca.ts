import { generateKeyPairSync, randomBytes, X509Certificate, type KeyObject } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BulwarkError } from '../errors/index.js';
import { runTool } from './run-tool.js';

/** What one internal certificate is for (extendedKeyUsage). */
export type InternalCertificateUse = 'server' | 'client' | 'server-and-client';

export interface InternalCertificateRequest {
  commonName: string;
  dnsNames?: readonly string[];
  ipAddresses?: readonly string[];
  use: InternalCertificateUse;
  /** Whole days; OpenSSL 3.0's `x509 -days` has no finer unit. */
  validityDays: number;
}

export interface IssuedCertificate {
  certPem: string;
  /** PKCS#8 PEM of a key generated for this certificate alone. */
  keyPem: string;
}

/**
 * The CA of `hub.internal_tls` (mutual TLS between hub, proxy and single-user servers). Its key is
 * a KeyObject in this process: it reaches OpenSSL only through a pipe when it signs, and is never
 * written to a file. Where it is kept between hub processes (the kernel keyring) is
 * internal-ca-store.ts's business.
 */
export interface InternalCa {
  /** The CA certificate (public): JUPYTERHUB_SSL_CLIENT_CA for servers, `ca` for the hub's clients. */
  readonly certificatePem: string;
  issue(request: InternalCertificateRequest): Promise<IssuedCertificate>;
}

export interface InternalCaOptions {
  commonName?: string;
  validityDays?: number;
}

const extendedUse: Readonly<Record<InternalCertificateUse, string>> = {
  server: 'serverAuth',
  client: 'clientAuth',
  'server-and-client': 'serverAuth,clientAuth',
};

const pemOf = (key: KeyObject) => key.export({ type: 'pkcs8', format: 'pem' }).toString();

function opensslSubject(commonName: string): string {
  return `/CN=${commonName.replace(/([\\/+=])/g, '\\$1')}`;
}

function checkName(value: string, what: string): string {
  // Commas and newlines would split or end the -addext value.
  if (!/^[A-Za-z0-9._:-]+$/.test(value)) throw new BulwarkError('KEYSTORE_INTERNAL_CA_FAILED', { step: `name a certificate`, reason: `${what} "${value}" has characters outside A-Z a-z 0-9 . _ : -` });
  return value;
}

async function openssl(step: string, args: string[], input: string): Promise<string> {
  const result = await runTool('internal CA', 'openssl', args, 'openssl', { input, env: { ...process.env, OPENSSL_CONF: '/dev/null' } });
  if (!result.ok) throw new BulwarkError('KEYSTORE_INTERNAL_CA_FAILED', { step, reason: result.stderr.split('\n').filter(Boolean).pop() ?? 'openssl failed' });
  return result.stdout.toString('utf8');
}

/** A CA certificate with its key, as internal-ca-store.ts keeps it. */
export interface InternalCaMaterial {
  certificatePem: string;
  privateKey: KeyObject;
}

/** Generates a CA key and its self-signed certificate (P-256, path length 0: it can sign leaves, not other CAs). */
export async function generateInternalCaMaterial(options: InternalCaOptions = {}): Promise<InternalCaMaterial> {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const certificatePem = await openssl(
    'create the CA certificate',
    ['req', '-x509', '-new', '-key', '/dev/stdin', '-sha256', '-days', String(options.validityDays ?? 365), '-subj', opensslSubject(options.commonName ?? `Bulwark internal CA ${randomBytes(4).toString('hex')}`),
      '-addext', 'basicConstraints=critical,CA:TRUE,pathlen:0', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
    pemOf(privateKey),
  );
  return { certificatePem, privateKey };
}

/** Creates a fresh internal CA that lives only as long as this object. */
export async function createInternalCa(options: InternalCaOptions = {}): Promise<InternalCa> {
  return internalCaFrom(await generateInternalCaMaterial(options));
}

/** The signing side of a CA whose certificate and key already exist (e.g. read back from the keyring). */
export function internalCaFrom({ certificatePem, privateKey }: InternalCaMaterial): InternalCa {
  return {
    certificatePem,
    async issue(request) {
      const names = [...(request.dnsNames ?? []).map((n) => `DNS:${checkName(n, 'DNS name')}`), ...(request.ipAddresses ?? []).map((n) => `IP:${checkName(n, 'IP address')}`)];
      const leafKey = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
      const extensions = ['basicConstraints=critical,CA:FALSE', 'keyUsage=critical,digitalSignature', `extendedKeyUsage=${extendedUse[request.use]}`, ...(names.length > 0 ? [`subjectAltName=${names.join(',')}`] : [])];
      const csr = await openssl('make a certificate request', ['req', '-new', '-key', '/dev/stdin', '-sha256', '-subj', opensslSubject(request.commonName), ...extensions.flatMap((e) => ['-addext', e])], pemOf(leafKey));
      // The CA key is the one thing on stdin, so the request and the CA certificate (both public) go through a private temp dir.
      const dir = await mkdtemp(join(tmpdir(), 'bulwark-internal-ca-'));
      try {
        await writeFile(join(dir, 'request.csr'), csr);
        await writeFile(join(dir, 'ca.pem'), certificatePem);
        const certPem = await openssl(
          'sign a certificate',
          ['x509', '-req', '-in', join(dir, 'request.csr'), '-CA', join(dir, 'ca.pem'), '-CAkey', '/dev/stdin', '-copy_extensions', 'copyall', '-sha256', '-days', String(request.validityDays), '-set_serial', `0x${randomBytes(12).toString('hex')}`],
          pemOf(privateKey),
        );
        const cert = new X509Certificate(certPem);
        if (!cert.checkPrivateKey(leafKey)) throw new BulwarkError('KEYSTORE_INTERNAL_CA_FAILED', { step: 'sign a certificate', reason: 'the issued certificate does not carry the generated key' });
        return { certPem, keyPem: pemOf(leafKey) };
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  };
}
