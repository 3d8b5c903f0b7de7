import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { BulwarkError } from '../errors/index.js';
import { readSecret } from './read-secret.js';
import { runTool, type ToolResult } from './run-tool.js';

export interface SoftHsmInitOptions {
  /** The SoftHSM2 PKCS#11 module (also written into the printed URI). */
  modulePath: string;
  /** The OpenSSL pkcs11 engine used to sign the certificate with the token's key. */
  enginePath: string;
  tokenLabel: string;
  object: string;
  /** CKA_ID of the key and certificate, hex. */
  idHex: string;
  /** `localhost` (made `/CN=localhost`) or a whole OpenSSL DN such as `/O=Dev/CN=hub`. */
  subject: string;
  /** subjectAltName entries, e.g. `DNS:localhost`, `IP:127.0.0.1`. */
  subjectAltNames: readonly string[];
  days: number;
  /** pkcs11-tool's --key-type, e.g. EC:prime256v1 or rsa:2048. */
  keyType: string;
  /** Where the user PIN is read from, or written to (mode 600) when the file does not exist. */
  pinFile: string;
  /** A test CA that signs the certificate instead of the token's key itself. */
  ca?: { certPath: string; keyPath: string };
}

export interface SoftHsmInitResult {
  uri: string;
  pinCreated: boolean;
  certificatePem: string;
}

/** SoftHSM and OpenSC print a line of help per failure; the last line says what went wrong. */
function lastLine(result: ToolResult): string {
  return result.stderr.split('\n').filter(Boolean).pop() ?? 'failed';
}

/** An RFC 7512 path attribute value: pchar minus the separators. */
const attribute = (value: string) => encodeURIComponent(value);

/** A DN for `openssl -subj`: a bare name becomes the CN, with OpenSSL's separators escaped. */
export function opensslSubject(subject: string): string {
  return subject.startsWith('/') ? subject : `/CN=${subject.replace(/([\\/+=])/g, '\\$1')}`;
}

/** `DNS:x`, `IP:x`, `email:x`, `URI:x` as given; a bare IPv4/IPv6 address becomes IP:, anything else DNS:. */
export function subjectAltName(entry: string): string {
  if (/[,\n\r]/.test(entry) || entry.trim() === '') throw new BulwarkError('CLI_USAGE', { detail: `--san "${entry}" must be one name without commas` });
  if (/^(DNS|IP|email|URI):/i.test(entry)) return entry;
  return /^[0-9.]+$|:/.test(entry) ? `IP:${entry}` : `DNS:${entry}`;
}

function readOrCreatePin(pinFile: string): { pin: string; created: boolean } {
  if (existsSync(pinFile)) return { pin: readSecret(`file:${pinFile}`, 'PIN', { kind: 'file', path: pinFile }, {}).value, created: false };
  const pin = randomBytes(12).toString('hex');
  // 'wx': never overwrite a PIN file that appeared meanwhile; no trailing newline, see load-pkcs11.ts.
  writeFileSync(pinFile, pin, { mode: 0o600, flag: 'wx' });
  return { pin, created: true };
}

/**
 * Development helper behind `bulwark keystore init-softhsm`: creates a SoftHSM2 token, generates a
 * key pair inside it (sensitive, never extractable: pkcs11-tool's defaults for generated keys),
 * issues a certificate for it (self-signed by the token's key, or signed by a test CA from a CSR the
 * token signs), stores the certificate on the token beside the key, and returns the pkcs11: URI.
 * The PINs pass tools as arguments, visible in the process list for a moment: fine for a
 * development token, one reason this is not a production enrolment tool.
 */
export async function initSoftHsm(options: SoftHsmInitOptions): Promise<SoftHsmInitResult> {
  const { modulePath, enginePath, tokenLabel, object, idHex } = options;
  const uriPath = `pkcs11:token=${attribute(tokenLabel)};object=${attribute(object)}`;
  const fail = (step: string, reason: string) => new BulwarkError('KEYSTORE_SOFTHSM_FAILED', { token: tokenLabel, step, reason });
  if (!existsSync(modulePath)) throw new BulwarkError('KEYSTORE_TOOL_MISSING', { uri: uriPath, tool: `the SoftHSM2 module ${modulePath}`, reason: 'file not found', package: 'softhsm2' });
  if (!existsSync(enginePath)) throw new BulwarkError('KEYSTORE_TOOL_MISSING', { uri: uriPath, tool: `the OpenSSL pkcs11 engine ${enginePath}`, reason: 'file not found', package: 'libengine-pkcs11-openssl' });
  const p11 = (args: string[], input?: Buffer) => runTool(uriPath, 'pkcs11-tool', ['--module', modulePath, ...args], 'opensc', input === undefined ? {} : { input });

  const slots = await p11(['--list-token-slots']);
  if (!slots.ok) throw fail('list the tokens', lastLine(slots));
  const labels = [...slots.stdout.toString('utf8').matchAll(/token label\s*:\s*(.*)/g)].map((m) => (m[1] ?? '').trim());
  if (labels.includes(tokenLabel)) throw new BulwarkError('KEYSTORE_TOKEN_EXISTS', { token: tokenLabel });

  const { pin, created } = readOrCreatePin(options.pinFile);
  // The SO PIN is only needed to re-initialise the token or reset the user PIN; a development
  // token is deleted (softhsm2-util --delete-token) rather than recovered, so it is not kept.
  const soPin = randomBytes(12).toString('hex');
  const init = await runTool(uriPath, 'softhsm2-util', ['--init-token', '--free', '--label', tokenLabel, '--so-pin', soPin, '--pin', pin], 'softhsm2');
  if (!init.ok) throw fail('create the token', lastLine(init));
  const login = ['--token-label', tokenLabel, '--login', '--pin', pin];
  const keygen = await p11([...login, '--keypairgen', '--key-type', options.keyType, '--label', object, '--id', idHex]);
  if (!keygen.ok) throw fail(`generate a ${options.keyType} key`, lastLine(keygen));

  const pinText = readFileSync(options.pinFile, 'utf8');
  // libp11 would send a trailing newline as part of the PIN (see load-pkcs11.ts).
  const pinPart = pinText === pin ? `pin-source=file:${encodeURI(options.pinFile)}` : `pin-value=${encodeURIComponent(pin)}`;
  const keyId = `${uriPath};id=${idHex.replace(/(..)/g, '%$1')};type=private?${pinPart}`;
  const engineId = basename(enginePath).replace(/\.so$/, '').replace(/^lib/, '');
  const opensslEnv = { ...process.env, OPENSSL_CONF: '/dev/null', OPENSSL_ENGINES: dirname(enginePath), PKCS11_MODULE_PATH: modulePath };
  const openssl = (args: string[], input?: string) => runTool(uriPath, 'openssl', args, 'openssl', { env: opensslEnv, ...(input === undefined ? {} : { input }) });
  const rsa = /^rsa/i.test(options.keyType);
  const extensions = [
    'basicConstraints=critical,CA:FALSE',
    `keyUsage=critical,${rsa ? 'digitalSignature,keyEncipherment' : 'digitalSignature'}`,
    'extendedKeyUsage=serverAuth',
    `subjectAltName=${options.subjectAltNames.join(',')}`,
  ].flatMap((ext) => ['-addext', ext]);
  const request = ['req', '-new', '-engine', engineId, '-keyform', 'engine', '-key', keyId, '-subj', opensslSubject(options.subject), '-sha256', ...extensions];
  let certificatePem: string;
  if (options.ca === undefined) {
    const selfSigned = await openssl([...request, '-x509', '-days', String(options.days)]);
    if (!selfSigned.ok) throw fail('issue a self-signed certificate', lastLine(selfSigned));
    certificatePem = selfSigned.stdout.toString('utf8');
  } else {
    const csr = await openssl(request);
    if (!csr.ok) throw fail('make a certificate request', lastLine(csr));
    const signed = await openssl(
      ['x509', '-req', '-CA', options.ca.certPath, '-CAkey', options.ca.keyPath, '-copy_extensions', 'copyall', '-days', String(options.days), '-sha256', '-set_serial', `0x${randomBytes(12).toString('hex')}`],
      csr.stdout.toString('utf8'),
    );
    if (!signed.ok) throw fail('sign the certificate with the test CA', lastLine(signed));
    certificatePem = signed.stdout.toString('utf8');
  }
  const der = await openssl(['x509', '-outform', 'DER'], certificatePem);
  if (!der.ok) throw fail('convert the certificate to DER', lastLine(der));
  const stored = await p11([...login, '--write-object', '/dev/stdin', '--type', 'cert', '--label', object, '--id', idHex], der.stdout);
  if (!stored.ok) throw fail('store the certificate on the token', lastLine(stored));
  return { uri: `${uriPath}?pin-source=file:${encodeURI(options.pinFile)}&module-path=${encodeURI(modulePath)}`, pinCreated: created, certificatePem };
}
