import { readFile, stat } from 'node:fs/promises';
import { readKeyringEntry } from './keyring-entry.js';
import type { KeyctlSpec } from './keystore-spec.js';
import { parseKeystoreUri } from './parse-keystore-uri.js';

/**
 * Where a credential named by the configuration comes from; the configuration holds the
 * reference, never the credential: `file:/ABSOLUTE/PATH`, `env:VARIABLE` or
 * `keyctl:user:DESCRIPTION[?keyring=@u]` (a `user` key in the hub's kernel keyring).
 */
export type SecretReference =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'env'; readonly name: string }
  | { readonly kind: 'keyctl'; readonly uri: string; readonly spec: KeyctlSpec };

export interface ReferencedSecret {
  value: string;
  /** Things an operator should fix that do not stop the hub (a file others can read). */
  warnings: string[];
}

/** The forms, for error messages and the configuration reference. */
export const secretReferenceForms = 'file:/PATH, env:VARIABLE or keyctl:user:DESCRIPTION';

/** Parses a reference; throws an Error whose message says what is wrong (never echoing a value). */
export function parseSecretReference(text: string): SecretReference {
  if (text.startsWith('file:')) {
    const path = text.slice('file:'.length);
    // The hub's working directory is not a stable anchor.
    if (!path.startsWith('/')) throw new Error(`file: needs an absolute path (${secretReferenceForms})`);
    return { kind: 'file', path };
  }
  if (text.startsWith('env:')) {
    const name = text.slice('env:'.length);
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`env: needs an environment variable name (${secretReferenceForms})`);
    return { kind: 'env', name };
  }
  if (text.startsWith('keyctl:')) {
    const spec = parseKeystoreUri(text);
    if (spec.kind !== 'keyctl' || spec.passphrase !== null) throw new Error(`expected keyctl:user:DESCRIPTION, optionally ?keyring=@u|@s|NUMBER`);
    return { kind: 'keyctl', uri: text, spec };
  }
  throw new Error(`expected ${secretReferenceForms}, not the secret itself`);
}

/**
 * Reads the secret a reference names. One trailing newline is dropped (as `echo` and
 * `keyctl padd` from a here-string leave it); an empty value, or one with whitespace or control
 * characters inside (it goes into a URL's userinfo), is refused.
 */
export async function readSecretReference(text: string, env: NodeJS.ProcessEnv = process.env): Promise<ReferencedSecret> {
  const reference = parseSecretReference(text);
  const warnings: string[] = [];
  let raw: string;
  if (reference.kind === 'env') {
    raw = env[reference.name] ?? '';
    if (raw === '') throw new Error(`environment variable ${reference.name} is not set or empty`);
  } else if (reference.kind === 'file') {
    try {
      raw = await readFile(reference.path, 'utf8');
      if (((await stat(reference.path)).mode & 0o004) !== 0) warnings.push(`${reference.path} is readable by every user; chmod 600 it`);
    } catch (error) {
      throw new Error(`cannot read ${reference.path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`, { cause: error });
    }
  } else {
    raw = (await readKeyringEntry(reference.uri, reference.spec)).toString('utf8');
  }
  const value = raw.replace(/\r?\n$/, '');
  if (value === '') throw new Error('the secret is empty');
  // eslint-disable-next-line no-control-regex
  if (/[\s\x00-\x1f\x7f]/.test(value)) throw new Error('the secret contains whitespace or control characters');
  return { value, warnings };
}
