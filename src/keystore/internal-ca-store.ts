import { createPrivateKey, X509Certificate } from 'node:crypto';
import { BulwarkError } from '../errors/index.js';
import type { Logger } from '../log/index.js';
import { generateInternalCaMaterial, internalCaFrom, type InternalCa, type InternalCaMaterial } from './internal-ca.js';
import { addKeyringEntry } from './keyring-import.js';
import type { KeyctlSpec } from './keystore-spec.js';
import { splitPemBundle } from './pem-bundle.js';
import { runTool } from './run-tool.js';

export interface InternalCaStoreOptions {
  /** The keyring entry (`keyctl:user:DESC?keyring=@u`), as written in the config, for messages. */
  uri: string;
  spec: KeyctlSpec;
  /** Validity of a newly generated CA certificate, in days. */
  caDays: number;
  /** A stored CA expiring within this many days is replaced (a leaf must not outlive its CA). */
  minRemainingDays: number;
  logger: Logger;
  now?: Date;
}

const dayMs = 86_400_000;

/** The stored bundle, or null when the keyring holds no entry of that description. */
async function readEntry(options: InternalCaStoreOptions): Promise<Buffer | null> {
  const { uri, spec } = options;
  const search = await runTool(uri, 'keyctl', ['search', spec.keyring, 'user', spec.description], 'keyutils');
  const id = search.stdout.toString('utf8').trim();
  if (!search.ok || !/^[0-9]+$/.test(id)) {
    if (/not available|No such key/i.test(search.stderr)) return null;
    throw new BulwarkError('KEYSTORE_INTERNAL_CA_FAILED', { step: `find ${uri} in the kernel keyring`, reason: search.stderr || 'keyctl search printed no key id' });
  }
  const pipe = await runTool(uri, 'keyctl', ['pipe', id], 'keyutils');
  if (!pipe.ok || pipe.stdout.length === 0) throw new BulwarkError('KEYSTORE_INTERNAL_CA_FAILED', { step: `read ${uri} from the kernel keyring`, reason: pipe.stderr || 'empty payload' });
  return pipe.stdout;
}

/** Why a stored bundle cannot serve as the CA, or null when it can. */
function unusable(material: InternalCaMaterial, options: InternalCaStoreOptions): string | null {
  const cert = new X509Certificate(material.certificatePem);
  if (!cert.ca) return 'its certificate is not a CA certificate';
  if (!cert.checkPrivateKey(material.privateKey)) return 'its key does not match its certificate';
  const left = Date.parse(cert.validTo) - (options.now ?? new Date()).getTime();
  if (left < options.minRemainingDays * dayMs) return `its certificate expires on ${cert.validTo}`;
  return null;
}

function parseEntry(blob: Buffer): InternalCaMaterial | string {
  const bundle = splitPemBundle(blob.toString('utf8'));
  const [certificatePem] = bundle.certificates;
  const [keyPem] = bundle.privateKeys;
  if (certificatePem === undefined || keyPem === undefined) return 'it is not a PEM bundle of a CA certificate and its key';
  try {
    return { certificatePem, privateKey: createPrivateKey(keyPem) };
  } catch (error) {
    return `its key cannot be read: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/**
 * The CA of hub.internal_tls, kept as a `user` key in the kernel keyring (certificate + PKCS#8 key
 * as one PEM bundle): kernel memory readable only by the hub's uid, never a file. A later hub
 * process on the same boot finds it again, so servers it re-adopts still trust its client
 * certificate and it still trusts theirs. Missing, broken or nearly expired: a new CA replaces it
 * (keyctl padd updates the entry in place), and servers signed by the old one stop being reachable.
 */
export async function openInternalCa(options: InternalCaStoreOptions): Promise<InternalCa> {
  const { uri, spec, logger } = options;
  const blob = await readEntry(options);
  if (blob !== null) {
    const parsed = parseEntry(blob);
    const reason = typeof parsed === 'string' ? parsed : unusable(parsed, options);
    if (reason === null && typeof parsed !== 'string') {
      logger.info({ keystore: uri }, 'internal CA read from the kernel keyring');
      return internalCaFrom(parsed);
    }
    logger.warn({ keystore: uri, reason }, 'stored internal CA is not usable; generating a new one');
  }
  const material = await generateInternalCaMaterial({ validityDays: options.caDays });
  const keyPem = material.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  await addKeyringEntry(uri, spec.description, spec.keyring, Buffer.from(`${material.certificatePem}${keyPem}`));
  logger.info({ keystore: uri }, 'internal CA generated and stored in the kernel keyring');
  return internalCaFrom(material);
}
