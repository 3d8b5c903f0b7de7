import type { Pkcs11Spec, SecretSource } from './keystore-spec.js';
import { requirePath } from './passphrase-source.js';
import { invalidUri, parseAttributes, percentDecode, splitQuery } from './uri-attributes.js';

// RFC 7512 section 2.3 path and query attributes, plus Bulwark's `pin-env` and `cert-file` (documented in docs/tls.md).
const pathNames = new Set([
  'token', 'manufacturer', 'serial', 'model', 'library-manufacturer', 'library-description',
  'library-version', 'object', 'type', 'id', 'slot-description', 'slot-manufacturer', 'slot-id',
]);
const queryNames = new Set(['pin-source', 'pin-value', 'module-name', 'module-path', 'pin-env', 'cert-file']);

function pinSource(uri: string, query: ReadonlyMap<string, string>): SecretSource | null {
  const given = ['pin-source', 'pin-value', 'pin-env'].filter((name) => query.has(name));
  if (given.length > 1) throw invalidUri(uri, `give only one of ${given.join(', ')}`);
  const source = query.get('pin-source');
  if (source !== undefined) {
    const decoded = percentDecode(uri, source);
    if (decoded.startsWith('env:')) return { kind: 'env', name: decoded.slice(4) };
    const path = decoded.startsWith('file:') ? decoded.slice(5).replace(/^\/\/(?=\/)/, '') : decoded;
    return { kind: 'file', path: requirePath(uri, path, 'pin-source') };
  }
  const env = query.get('pin-env');
  if (env !== undefined) return { kind: 'env', name: percentDecode(uri, env) };
  const value = query.get('pin-value');
  return value === undefined ? null : { kind: 'value', value: percentDecode(uri, value) };
}

function idHex(uri: string, raw: string | undefined): string | null {
  if (raw === undefined) return null;
  const bytes: number[] = [];
  for (let i = 0; i < raw.length; ) {
    if (raw[i] === '%' && /^[0-9a-fA-F]{2}$/.test(raw.slice(i + 1, i + 3))) {
      bytes.push(parseInt(raw.slice(i + 1, i + 3), 16));
      i += 3;
    } else {
      bytes.push(raw.charCodeAt(i));
      i += 1;
    }
  }
  if (bytes.length === 0) throw invalidUri(uri, 'id is empty');
  return Buffer.from(bytes).toString('hex');
}

/**
 * Parses `pkcs11:token=T;object=O?pin-source=file:PATH&module-path=PATH` (RFC 7512). The PIN may
 * also come from `pin-source=env:VAR` / `pin-env=VAR`; `pin-value` is accepted but discouraged.
 */
export function parsePkcs11Uri(uri: string): Pkcs11Spec {
  const { head, query: queryText } = splitQuery(uri.slice('pkcs11:'.length));
  const path = parseAttributes(uri, head, ';', pathNames);
  const query = parseAttributes(uri, queryText, '&', queryNames);
  const type = path.get('type');
  if (type !== undefined && type !== 'private') throw invalidUri(uri, `type=${type}: the URI must name the private key (type=private or no type)`);
  if (query.has('module-name')) throw invalidUri(uri, 'module-name is not supported; give module-path=/absolute/path/to/module.so');
  if (!path.has('object') && !path.has('id')) throw invalidUri(uri, 'name the key with object= (CKA_LABEL) or id= (CKA_ID)');
  const modulePath = query.get('module-path');
  const certFile = query.get('cert-file');
  const token = path.get('token');
  const object = path.get('object');
  return {
    kind: 'pkcs11',
    pathAttributes: [...path].filter(([name]) => name !== 'type'),
    token: token === undefined ? null : percentDecode(uri, token),
    object: object === undefined ? null : percentDecode(uri, object),
    idHex: idHex(uri, path.get('id')),
    pin: pinSource(uri, query),
    modulePath: modulePath === undefined ? null : requirePath(uri, percentDecode(uri, modulePath), 'module-path'),
    certFile: certFile === undefined ? null : requirePath(uri, percentDecode(uri, certFile), 'cert-file'),
  };
}
