import type { SecretSource } from './keystore-spec.js';
import { invalidUri, percentDecode } from './uri-attributes.js';

/** Reads `passphrase-env=VAR` / `passphrase-file=PATH` from decoded query attributes (at most one). */
export function passphraseSource(uri: string, query: ReadonlyMap<string, string>): SecretSource | null {
  const env = query.get('passphrase-env');
  const file = query.get('passphrase-file');
  if (env !== undefined && file !== undefined) throw invalidUri(uri, 'give passphrase-env or passphrase-file, not both');
  if (env !== undefined) {
    const name = percentDecode(uri, env);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw invalidUri(uri, `"${name}" is not an environment variable name`);
    return { kind: 'env', name };
  }
  if (file !== undefined) return { kind: 'file', path: requirePath(uri, percentDecode(uri, file), 'passphrase-file') };
  return null;
}

/** A file path from a URI must be absolute: the hub's working directory is not a stable anchor. */
export function requirePath(uri: string, path: string, what: string): string {
  if (!path.startsWith('/')) throw invalidUri(uri, `${what} must be an absolute path, got "${path}"`);
  return path;
}
