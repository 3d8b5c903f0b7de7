import type { KeyctlSpec, KeystoreSpec, PemSpec, Pkcs12Spec, SafKeyringSpec } from './keystore-spec.js';
import { parsePkcs11Uri } from './parse-pkcs11-uri.js';
import { passphraseSource, requirePath } from './passphrase-source.js';
import { invalidUri, parseAttributes, percentDecode, splitQuery } from './uri-attributes.js';

const passphraseNames = ['passphrase-env', 'passphrase-file'];
const keyringPattern = /^(?:@(?:u|us|s|p|t|g)|-?[0-9]+)$/;

function parseKeyctl(uri: string): KeyctlSpec {
  const { head, query: text } = splitQuery(uri.slice('keyctl:'.length));
  const query = parseAttributes(uri, text, '&', new Set([...passphraseNames, 'keyring']));
  const colon = head.indexOf(':');
  const type = colon === -1 ? head : head.slice(0, colon);
  if (type !== 'user') {
    throw invalidUri(uri, `key type "${type}" is not supported: use keyctl:user:<description> ("logon" keys cannot be read back, "asymmetric" keys need a kernel signing path Node cannot use)`);
  }
  const description = percentDecode(uri, head.slice(colon + 1));
  if (colon === -1 || description === '') throw invalidUri(uri, 'expected keyctl:user:<description>');
  const keyring = percentDecode(uri, query.get('keyring') ?? '@u');
  if (!keyringPattern.test(keyring)) throw invalidUri(uri, `keyring "${keyring}" must be @u, @us, @s, @p, @t or a numeric id`);
  return { kind: 'keyctl', keyType: 'user', description, keyring, passphrase: passphraseSource(uri, query) };
}

function parsePkcs12(uri: string, scheme: string): Pkcs12Spec {
  const { head, query: text } = splitQuery(uri.slice(scheme.length + 1));
  const query = parseAttributes(uri, text, '&', new Set(passphraseNames));
  const path = requirePath(uri, percentDecode(uri, head.replace(/^\/\/(?=\/)/, '')), 'the PKCS#12 file');
  return { kind: 'pkcs12', path, passphrase: passphraseSource(uri, query) };
}

function parsePem(uri: string): PemSpec {
  const { head, query: text } = splitQuery(uri.slice('pem:'.length));
  const query = parseAttributes(uri, text, '&', new Set([...passphraseNames, 'key']));
  const certPath = requirePath(uri, percentDecode(uri, head), 'the certificate file');
  const key = query.get('key');
  if (key === undefined) throw invalidUri(uri, 'expected pem:CERT_PATH?key=KEY_PATH');
  return { kind: 'pem', certPath, keyPath: requirePath(uri, percentDecode(uri, key), 'key'), passphrase: passphraseSource(uri, query) };
}

/** `safkeyring://OWNER/RING` or `safkeyring://OWNER/RING&LABEL` (Zowe also writes `safkeyring:////`). */
function parseSafKeyring(uri: string): SafKeyringSpec {
  const match = /^safkeyring:\/\/(?:\/\/)?([^/&]+)\/([^/&]+)(?:&(.+))?$/.exec(uri);
  if (!match?.[1] || !match[2]) throw invalidUri(uri, 'expected safkeyring://OWNER/RING or safkeyring://OWNER/RING&LABEL');
  return { kind: 'safkeyring', owner: match[1], ring: match[2], label: match[3] ?? null };
}

/**
 * Reads a keystore URI (hub.tls.keystore). Forms, in order of preference:
 * `pkcs11:token=T;object=O?pin-source=file:PATH&module-path=PATH`, `keyctl:user:DESC?passphrase-env=VAR`,
 * `pkcs12:PATH?passphrase-env=VAR` (or `pfx:`, `passphrase-file=PATH`), `pem:CERT?key=KEY` (development only).
 * `safkeyring://USER/RING` is recognised so the error can say it needs z/OS.
 */
export function parseKeystoreUri(uri: string): KeystoreSpec {
  const colon = uri.indexOf(':');
  const scheme = colon === -1 ? '' : uri.slice(0, colon).toLowerCase();
  switch (scheme) {
    case 'pkcs11':
      return parsePkcs11Uri(uri);
    case 'keyctl':
      return parseKeyctl(uri);
    case 'pkcs12':
    case 'pfx':
      return parsePkcs12(uri, scheme);
    case 'pem':
      return parsePem(uri);
    case 'safkeyring':
      return parseSafKeyring(uri);
    default:
      throw invalidUri(uri, 'expected a pkcs11:, keyctl:, pkcs12:, pfx: or pem: URI');
  }
}
