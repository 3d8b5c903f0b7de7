import { resolve } from 'node:path';
import { BulwarkError } from '../../errors/index.js';
import {
  importIntoKeyring,
  initSoftHsm,
  loadKeystore,
  shredCommand,
  shredFile,
  subjectAltName,
  type LoadedKeystore,
} from '../../keystore/index.js';
import { loadCommandConfig } from '../common-options.js';
import { ExitCode, writeLine, type Command, type CommandIo, type ParsedArgs } from '../command.js';

const SOFTHSM_MODULE = '/usr/lib/softhsm/libsofthsm2.so';

function text(args: ParsedArgs, name: string): string | undefined {
  const value = args.options[name];
  return typeof value === 'string' ? value : undefined;
}

function list(args: ParsedArgs, name: string): string[] {
  const value = args.options[name];
  return Array.isArray(value) ? value : [];
}

function onePositional(args: ParsedArgs, usage: string): string {
  const [value, ...rest] = args.positionals;
  if (value === undefined || rest.length > 0) throw new BulwarkError('CLI_USAGE', { detail: `expected: bulwark ${usage}` });
  return value;
}

/** What `keystore check` reports: certificate facts only. Key material never leaves the secure context. */
function report(keystore: LoadedKeystore, warningDays: number): Record<string, unknown> {
  const { summary } = keystore;
  const expiring = summary.daysLeft < warningDays ? [`the certificate expires in ${summary.daysLeft} days (warning threshold ${warningDays}); renew it`] : [];
  return {
    source: keystore.source,
    kind: keystore.kind,
    subject: summary.subject,
    issuer: summary.issuer,
    subject_alt_names: summary.subjectAltNames,
    serial_number: summary.serialNumber,
    fingerprint_sha256: summary.fingerprint256,
    not_before: summary.notBefore,
    not_after: summary.notAfter,
    days_left: summary.daysLeft,
    key_type: summary.keyType,
    key_bits: summary.keyBits,
    chain: {
      length: summary.chainLength,
      complete_to_root: summary.chainToRoot,
      certificates: keystore.chain.map((cert) => ({ subject: cert.subject.split('\n').join(', '), issuer: cert.issuer.split('\n').join(', '), not_after: new Date(cert.validTo).toISOString() })),
    },
    warnings: [...keystore.warnings, ...expiring],
  };
}

function printReport(io: CommandIo, facts: Record<string, unknown>, keystore: LoadedKeystore): void {
  const { summary } = keystore;
  const rows: Array<[string, string]> = [
    ['source', keystore.source],
    ['kind', keystore.kind],
    ['subject', summary.subject],
    ['issuer', summary.issuer],
    ['names (SAN)', summary.subjectAltNames.join(', ') || '(none)'],
    ['not before', summary.notBefore],
    ['not after', summary.notAfter],
    ['days left', String(summary.daysLeft)],
    ['key', `${summary.keyType}${summary.keyBits === null ? '' : ` (${summary.keyBits} bits)`}`],
    ['sha256', summary.fingerprint256],
    ['chain', `${summary.chainLength} certificate(s), ${summary.chainToRoot ? 'complete up to a self-signed root' : 'not complete up to a root (clients need the issuer)'}`],
  ];
  for (const [name, value] of rows) writeLine(io.stdout, `${`${name}:`.padEnd(13)}${value}`);
  for (const warning of facts['warnings'] as string[]) writeLine(io.stdout, `${'warning:'.padEnd(13)}${warning}`);
  writeLine(io.stdout, 'ok: the certificate and key work together (test handshake signed with the key)');
}

/** One of `--passphrase-env VAR` / `--passphrase-file PATH`, as the URI attribute it becomes. */
function passphraseAttribute(args: ParsedArgs, cwd: string): string | null {
  const env = text(args, 'passphrase-env');
  const file = text(args, 'passphrase-file');
  if (env !== undefined && file !== undefined) throw new BulwarkError('CLI_USAGE', { detail: 'give --passphrase-env or --passphrase-file, not both' });
  if (env !== undefined) return `passphrase-env=${env}`;
  if (file !== undefined) return `passphrase-file=${encodeURI(resolve(cwd, file))}`;
  return null;
}

function positiveInteger(args: ParsedArgs, name: string, fallback: number): number {
  const value = text(args, name);
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new BulwarkError('CLI_USAGE', { detail: `--${name} expects a whole number above 0, got "${value}"` });
  return n;
}

/** `bulwark keystore ...`: inspect keystore URIs and put keys where the hub reads them. */
export const keystoreCommands: Command[] = [
  {
    path: ['keystore', 'check'],
    usage: 'keystore check URI [--json]',
    summary: 'Open a keystore URI as the hub would and show its certificate (subject, names, expiry, key type, chain); never key material',
    async run(args, io) {
      const uri = onePositional(args, 'keystore check URI');
      const { config } = loadCommandConfig(args, io);
      const keystore = await loadKeystore(uri, config.hub.tls, { env: io.env });
      const facts = report(keystore, config.hub.tls.expiry_warning_days);
      if (args.options['json'] === true) writeLine(io.stdout, JSON.stringify(facts));
      else printReport(io, facts, keystore);
      return ExitCode.ok;
    },
  },
  {
    path: ['keystore', 'import-keyctl'],
    usage: 'keystore import-keyctl FILE [--description D] [--keyring @u|@s|@us|@p|@t|ID] [--passphrase-env VAR | --passphrase-file PATH] [--shred]',
    summary: 'Move a PKCS#12 or PEM bundle into the kernel keyring and print its keyctl: URI; --shred removes the file',
    options: {
      description: { type: 'string', description: 'Description of the keyring entry (default bulwark-tls)' },
      keyring: { type: 'string', description: 'Keyring to add the entry to (default @u, the user keyring)' },
      'passphrase-env': { type: 'string', description: 'Environment variable holding the PKCS#12 or key passphrase (also at start-up)' },
      'passphrase-file': { type: 'string', description: 'File holding the PKCS#12 or key passphrase (also at start-up)' },
      shred: { type: 'boolean', description: 'Overwrite and delete FILE once the keyring entry is proven to work' },
    },
    async run(args, io) {
      const file = resolve(io.cwd, onePositional(args, 'keystore import-keyctl FILE'));
      const { config } = loadCommandConfig(args, io);
      const result = await importIntoKeyring({
        file,
        description: text(args, 'description') ?? 'bulwark-tls',
        keyring: text(args, 'keyring') ?? '@u',
        passphraseAttribute: passphraseAttribute(args, io.cwd),
        settings: config.hub.tls,
        env: io.env,
      });
      const shred = args.options['shred'] === true;
      if (shred) await shredFile(file);
      const { summary } = result.keystore;
      if (args.options['json'] === true) {
        writeLine(io.stdout, JSON.stringify({ uri: result.uri, key_id: result.keyId, replaced: result.replaced, shredded: shred, subject: summary.subject, not_after: summary.notAfter }));
        return ExitCode.ok;
      }
      writeLine(io.stdout, result.uri);
      writeLine(io.stderr, `${result.replaced ? 'replaced' : 'added'} keyring entry ${result.keyId} for ${summary.subject} (expires ${summary.notAfter}); set hub.tls.keystore to the URI above`);
      writeLine(io.stderr, 'the entry lives in kernel memory: it is gone after a reboot, or when the keyring is discarded (a session keyring with its session)');
      if (shred) writeLine(io.stderr, `shredded ${file} (on journaling or copy-on-write filesystems and SSDs old blocks may survive)`);
      else writeLine(io.stderr, `${file} still holds the bundle; once you have a safe copy elsewhere, remove it: ${shredCommand(file)}`);
      return ExitCode.ok;
    },
  },
  {
    path: ['keystore', 'init-softhsm'],
    usage: 'keystore init-softhsm --pin-file PATH [--token-label L] [--object O] [--subject CN] [--san NAME]\u2026 [--ca-cert FILE --ca-key FILE]',
    summary: 'Development: create a SoftHSM2 token with a non-extractable key and a certificate, and print its pkcs11: URI',
    options: {
      'pin-file': { type: 'string', description: 'User PIN file: read when it exists, else a random PIN is written to it (mode 600)' },
      'token-label': { type: 'string', description: 'Label of the new token (default bulwark-dev)' },
      object: { type: 'string', description: 'Label of the key and certificate objects (default tls)' },
      id: { type: 'string', description: 'CKA_ID of the key and certificate, hex (default 01)' },
      subject: { type: 'string', description: 'Certificate subject: a CN, or a DN like /O=Dev/CN=hub (default localhost)' },
      san: { type: 'string', multiple: true, description: 'Subject alternative name, repeatable: DNS:name, IP:addr or a bare name (default localhost and 127.0.0.1)' },
      days: { type: 'string', description: 'Validity in days (default 365)' },
      'key-type': { type: 'string', description: 'Key to generate: EC:prime256v1 (default), EC:secp384r1, rsa:2048, rsa:3072' },
      'ca-cert': { type: 'string', description: 'Test CA certificate that signs the certificate (default: self-signed by the token key)' },
      'ca-key': { type: 'string', description: 'Private key of the test CA (with --ca-cert)' },
      module: { type: 'string', description: `SoftHSM2 PKCS#11 module (default ${SOFTHSM_MODULE})` },
    },
    async run(args, io) {
      if (args.positionals.length > 0) throw new BulwarkError('CLI_USAGE', { detail: 'init-softhsm takes no arguments' });
      const pinFile = text(args, 'pin-file');
      if (pinFile === undefined) throw new BulwarkError('CLI_USAGE', { detail: '--pin-file PATH is required (the PIN is read from it, or written to it when it does not exist)' });
      const caCert = text(args, 'ca-cert');
      const caKey = text(args, 'ca-key');
      if ((caCert === undefined) !== (caKey === undefined)) throw new BulwarkError('CLI_USAGE', { detail: '--ca-cert and --ca-key go together' });
      const id = text(args, 'id') ?? '01';
      if (!/^(?:[0-9a-fA-F]{2})+$/.test(id)) throw new BulwarkError('CLI_USAGE', { detail: `--id expects hex bytes such as 01, got "${id}"` });
      const keyType = text(args, 'key-type') ?? 'EC:prime256v1';
      if (!/^(?:EC:[A-Za-z0-9]+|rsa:(?:2048|3072|4096))$/i.test(keyType)) throw new BulwarkError('CLI_USAGE', { detail: `--key-type "${keyType}": expected EC:<curve> or rsa:2048|3072|4096` });
      const sans = list(args, 'san');
      const { config } = loadCommandConfig(args, io);
      const result = await initSoftHsm({
        modulePath: text(args, 'module') ?? SOFTHSM_MODULE,
        enginePath: config.hub.tls.pkcs11_engine,
        tokenLabel: text(args, 'token-label') ?? 'bulwark-dev',
        object: text(args, 'object') ?? 'tls',
        idHex: id.toLowerCase(),
        subject: text(args, 'subject') ?? 'localhost',
        subjectAltNames: (sans.length > 0 ? sans : ['DNS:localhost', 'IP:127.0.0.1']).map(subjectAltName),
        days: positiveInteger(args, 'days', 365),
        keyType,
        pinFile: resolve(io.cwd, pinFile),
        ...(caCert !== undefined && caKey !== undefined ? { ca: { certPath: resolve(io.cwd, caCert), keyPath: resolve(io.cwd, caKey) } } : {}),
      });
      if (args.options['json'] === true) {
        writeLine(io.stdout, JSON.stringify({ uri: result.uri, pin_created: result.pinCreated, certificate: result.certificatePem }));
        return ExitCode.ok;
      }
      writeLine(io.stdout, result.uri);
      if (result.pinCreated) writeLine(io.stderr, `wrote a new random user PIN to ${resolve(io.cwd, pinFile)} (mode 600); the SO PIN was not kept`);
      writeLine(io.stderr, 'development token: SoftHSM keeps it under the token directory of SOFTHSM2_CONF (or /etc/softhsm/softhsm2.conf); the hub needs the same SOFTHSM2_CONF');
      writeLine(io.stderr, 'check it with: bulwark keystore check URI');
      return ExitCode.ok;
    },
  },
];
