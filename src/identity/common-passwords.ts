import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

let loaded: ReadonlySet<string> | undefined;

/** The bundled list (data/common-passwords.txt), lower-cased, read once on first use. */
export function commonPasswords(): ReadonlySet<string> {
  if (!loaded) {
    const text = readFileSync(fileURLToPath(new URL('./data/common-passwords.txt', import.meta.url)), 'utf8');
    loaded = new Set(
      text
        .split('\n')
        .map((line) => line.trim().toLowerCase())
        .filter((line) => line !== '' && !line.startsWith('#')),
    );
  }
  return loaded;
}

export function isCommonPassword(password: string): boolean {
  return commonPasswords().has(password.toLowerCase());
}
