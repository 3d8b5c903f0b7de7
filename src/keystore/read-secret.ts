import { readFileSync, statSync } from 'node:fs';
import { BulwarkError } from '../errors/index.js';
import type { SecretSource } from './keystore-spec.js';

export interface SecretReadResult {
  value: string;
  warnings: string[];
}

function describeSource(source: SecretSource): string {
  if (source.kind === 'env') return `environment variable ${source.name}`;
  if (source.kind === 'file') return source.path;
  return 'the URI (pin-value)';
}

/**
 * Reads a PIN or passphrase into memory. A file loses one trailing newline (as `echo` writes it);
 * a file others can read is reported, since it would let them open the keystore.
 */
export function readSecret(uri: string, what: 'PIN' | 'passphrase', source: SecretSource, env: NodeJS.ProcessEnv): SecretReadResult {
  const fail = (reason: string) => new BulwarkError('KEYSTORE_SECRET_UNAVAILABLE', { uri, what, source: describeSource(source), reason });
  const warnings: string[] = [];
  let value: string;
  if (source.kind === 'env') {
    value = env[source.name] ?? '';
    if (value === '') throw fail('it is not set or empty');
  } else if (source.kind === 'file') {
    try {
      value = readFileSync(source.path, 'utf8').replace(/\r?\n$/, '');
      if ((statSync(source.path).mode & 0o004) !== 0) warnings.push(`${source.path} (the ${what}) is readable by every user; chmod 600 it`);
    } catch (error) {
      throw fail((error as NodeJS.ErrnoException).code ?? String(error));
    }
    if (value === '') throw fail('the file is empty');
  } else {
    value = source.value;
    warnings.push(`the ${what} is written in the keystore URI (pin-value); prefer pin-source=file: so it stays out of the configuration`);
  }
  return { value, warnings };
}
