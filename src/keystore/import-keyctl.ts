import { BulwarkError } from '../errors/index.js';
import { readKeyringEntry } from './keyring-entry.js';
import { addKeyringEntry, unlinkKeyringEntry } from './keyring-import.js';
import type { KeyctlSpec } from './keystore-spec.js';
import { bundleMaterial } from './load-keyctl.js';
import { loadKeystore, proveKeyMaterial, type LoadedKeystore } from './load-keystore.js';
import { parseKeystoreUri } from './parse-keystore-uri.js';
import { readSourceFile } from './read-source-file.js';
import { redactKeystoreUri } from './redact-keystore-uri.js';
import type { TlsSettings } from './tls-settings.js';

export interface ImportKeyctlOptions {
  file: string;
  description: string;
  /** @u, @s, @us, @p, @t or a numeric keyring id. */
  keyring: string;
  /** `passphrase-env=VAR` or `passphrase-file=PATH` for a PKCS#12 bundle or an encrypted key, as it goes into the URI. */
  passphraseAttribute: string | null;
  settings: TlsSettings;
  env: NodeJS.ProcessEnv;
  now?: Date;
}

export interface ImportKeyctlResult {
  /** The keystore URI for hub.tls.keystore (or channel.tls.keystore). */
  uri: string;
  keyId: string;
  /** A key with this description was already in the keyring and now holds the new bundle. */
  replaced: boolean;
  keystore: LoadedKeystore;
}

/** The description in URI form: readable, with only the URI's own separators escaped. */
function encodeDescription(description: string): string {
  return description.replace(/[%?&#\s]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
}

export function keyctlUri(description: string, keyring: string, passphraseAttribute: string | null): string {
  const query = [...(keyring === '@u' ? [] : [`keyring=${keyring}`]), ...(passphraseAttribute ? [passphraseAttribute] : [])];
  return `keyctl:user:${encodeDescription(description)}${query.length > 0 ? `?${query.join('&')}` : ''}`;
}

async function existingEntry(uri: string, spec: KeyctlSpec): Promise<boolean> {
  try {
    await readKeyringEntry(uri, spec);
    return true;
  } catch (error) {
    if (error instanceof BulwarkError && error.code === 'KEYSTORE_KEY_NOT_FOUND') return false;
    throw error;
  }
}

/**
 * `bulwark keystore import-keyctl`: proves the bundle file serves TLS (the same checks as start-up),
 * adds it to the kernel keyring, and loads it back through its keyctl: URI. A bundle that fails
 * any check never enters the keyring. Removing the file is the caller's decision.
 */
export async function importIntoKeyring(options: ImportKeyctlOptions): Promise<ImportKeyctlResult> {
  const uri = keyctlUri(options.description, options.keyring, options.passphraseAttribute);
  const spec = parseKeystoreUri(uri);
  if (spec.kind !== 'keyctl') throw new Error('keyctlUri built a non-keyctl URI');
  const shown = redactKeystoreUri(uri);
  const blob = await readSourceFile(shown, options.file);
  const now = options.now ?? new Date();
  await proveKeyMaterial(`${options.file} (to become ${shown})`, 'keyctl', bundleMaterial(shown, blob, spec.passphrase, options.env), options.settings, now);
  const replaced = await existingEntry(shown, spec);
  const keyId = await addKeyringEntry(shown, spec.description, spec.keyring, blob);
  try {
    const keystore = await loadKeystore(uri, options.settings, { env: options.env, now });
    return { uri, keyId, replaced, keystore };
  } catch (error) {
    if (!replaced) await unlinkKeyringEntry(shown, keyId, spec.keyring);
    throw error;
  }
}
