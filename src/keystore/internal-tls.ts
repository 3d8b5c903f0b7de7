import { createHash, X509Certificate } from 'node:crypto';
import { chmod, lstat, mkdir } from 'node:fs/promises';
import { isIP } from 'node:net';
import { dirname, join } from 'node:path';
import type { BulwarkConfig } from '../config/index.js';
import { BulwarkError } from '../errors/index.js';
import type { Logger } from '../log/index.js';
import { openInternalCa } from './internal-ca-store.js';
import type { InternalCa } from './internal-ca.js';
import type { KeyctlSpec } from './keystore-spec.js';
import { parseKeystoreUri } from './parse-keystore-uri.js';
import { removeServerCredentials, writeServerCredentials } from './server-credentials.js';

export type InternalTlsSettings = BulwarkConfig['hub']['internal_tls'];

/** PEM key, certificate and the internal CA: for node's tls/https options. */
export interface InternalTlsIdentity {
  key: string;
  cert: string;
  ca: string;
}

/** One single-user server, as far as its certificate and credential directory are concerned. */
export interface InternalTlsServer {
  username: string;
  uid: number;
  gid: number;
  port: number;
  /** spawner.ip: named in the certificate besides 127.0.0.1 and localhost when it is a specific address. */
  ip: string;
}

export interface InternalTls {
  readonly caPem: string;
  /** The hub's API listener for servers: this identity plus requestCert and rejectUnauthorized. */
  readonly hubServer: InternalTlsIdentity;
  /** What the hub presents to servers (proxy forwarding, readiness polls), trusting only the CA. */
  readonly hubClient: InternalTlsIdentity;
  /** Issues the server's certificate and writes its files; returns the JUPYTERHUB_SSL_* variables. */
  deliver(server: InternalTlsServer): Promise<Record<string, string>>;
  /** Removes the server's files again (also for a server another hub process started). */
  remove(server: Pick<InternalTlsServer, 'uid' | 'port'>): Promise<void>;
}

export interface OpenInternalTlsOptions {
  /** The resolved hub.data_dir: names the default keyring entry, so two hubs never share a CA. */
  dataDir: string;
  /** proxy.mode external: configurable-http-proxy would reach https servers without the hub's client certificate. */
  externalProxy: boolean;
  logger: Logger;
}

/** The keyring entry of the CA: configured, or one per data directory in the hub's user keyring. */
function caEntry(settings: InternalTlsSettings, dataDir: string): { uri: string; spec: KeyctlSpec } {
  const uri = settings.ca_keystore ?? `keyctl:user:bulwark-internal-ca-${createHash('sha256').update(dataDir).digest('hex').slice(0, 16)}`;
  const spec = parseKeystoreUri(uri);
  if (spec.kind !== 'keyctl') throw new BulwarkError('KEYSTORE_INTERNAL_CA_FAILED', { step: 'open hub.internal_tls.ca_keystore', reason: 'only keyctl:user: entries can hold the internal CA' });
  return { uri, spec };
}

/** The base directory: root-owned 0711, so accounts reach their own directory but cannot list others. */
async function prepareCredentialsDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o711 });
  const stat = await lstat(dir);
  if (!stat.isDirectory() || stat.uid !== (process.getuid?.() ?? stat.uid)) {
    throw new BulwarkError('KEYSTORE_INTERNAL_CA_FAILED', { step: `prepare ${dir}`, reason: 'hub.internal_tls.credentials_dir must be a directory owned by the hub account, not a link' });
  }
  await chmod(dir, 0o711);
  // Servers open their files by path as their own account: every directory above must let them pass.
  for (let parent = dirname(dir); ; parent = dirname(parent)) {
    if (((await lstat(parent)).mode & 0o001) === 0) {
      throw new BulwarkError('KEYSTORE_INTERNAL_CA_FAILED', { step: `prepare ${dir}`, reason: `${parent} does not let other accounts pass (chmod o+x), so servers could not open their certificate files` });
    }
    if (parent === dirname(parent)) break;
  }
}

function serverNames(ip: string): { dnsNames: string[]; ipAddresses: string[] } {
  const ipAddresses = ['127.0.0.1'];
  // A wildcard bind is reached on loopback (::1 for '::', see spawner/server-url.ts); a specific address on itself.
  if (ip === '::') ipAddresses.push('::1');
  else if (isIP(ip) !== 0 && !['0.0.0.0', '127.0.0.1'].includes(ip)) ipAddresses.push(ip);
  return { dnsNames: ['localhost'], ipAddresses };
}

/**
 * hub.internal_tls at start-up: the CA from the kernel keyring (made on first start), the hub's own
 * certificates for this process, and the delivery of each server's certificate. Each server's
 * files go to <credentials_dir>/<uid>-<port>: the port is unique among running servers, and the
 * state a later hub process re-adopts carries both, so that process can remove them too.
 */
export async function openInternalTls(settings: InternalTlsSettings, options: OpenInternalTlsOptions): Promise<InternalTls> {
  if (options.externalProxy) {
    throw new BulwarkError('KEYSTORE_INTERNAL_CA_FAILED', { step: 'start with proxy.mode external', reason: 'hub.internal_tls needs the embedded proxy (proxy.mode embedded), which presents the hub\'s client certificate to servers' });
  }
  const { uri, spec } = caEntry(settings, options.dataDir);
  // Checked first: a directory servers could not use must not leave a new CA behind in the keyring.
  await prepareCredentialsDir(settings.credentials_dir);
  const ca: InternalCa = await openInternalCa({ uri, spec, caDays: settings.ca_days, minRemainingDays: settings.certificate_days + 1, logger: options.logger });
  const days = settings.certificate_days;
  // The hub's own certificates never leave its memory, so they may live as long as the CA: a hub
  // running for weeks keeps its API listener and its way into servers.
  const caDaysLeft = Math.floor((Date.parse(new X509Certificate(ca.certificatePem).validTo) - Date.now()) / 86_400_000);
  const hubDays = Math.max(days, caDaysLeft);
  const hubServerCert = await ca.issue({ commonName: 'bulwark-hub-api', dnsNames: ['localhost'], ipAddresses: ['127.0.0.1'], use: 'server', validityDays: hubDays });
  const hubClientCert = await ca.issue({ commonName: 'bulwark-hub', use: 'client', validityDays: hubDays });
  const dirOf = (server: Pick<InternalTlsServer, 'uid' | 'port'>) => join(settings.credentials_dir, `${server.uid}-${server.port}`);
  return {
    caPem: ca.certificatePem,
    hubServer: { key: hubServerCert.keyPem, cert: hubServerCert.certPem, ca: ca.certificatePem },
    hubClient: { key: hubClientCert.keyPem, cert: hubClientCert.certPem, ca: ca.certificatePem },
    async deliver(server) {
      // The server presents the same certificate to the hub API as a client (JupyterHub 3.0's singleuser does).
      const issued = await ca.issue({ commonName: `bulwark-server-${server.username}`, ...serverNames(server.ip), use: 'server-and-client', validityDays: days });
      const written = await writeServerCredentials(dirOf(server), server, issued, ca.certificatePem);
      return { ...written.env };
    },
    async remove(server) {
      await removeServerCredentials(dirOf(server));
    },
  };
}
