import { readFileSync } from 'node:fs';
import type { KeyMaterial } from './key-material.js';
import type { Pkcs11Spec } from './keystore-spec.js';
import { preparePkcs11Engine } from './pkcs11-engine.js';
import { readSecret } from './read-secret.js';
import { readSourceFile } from './read-source-file.js';
import type { TlsSettings } from './tls-settings.js';
import { readTokenCertificate } from './token-certificate.js';
import { invalidUri } from './uri-attributes.js';

/**
 * Builds the identifier the engine gets. A PIN file without a trailing newline is passed as
 * `pin-source` so the PIN never becomes part of a string: libp11 prints the identifier to stderr
 * when a key lookup fails. libp11 sends a file's trailing newline as part of the PIN, so a file that
 * ends in one (as `echo` writes it), and a PIN from the environment, travel as `pin-value`.
 */
function engineIdentifier(uri: string, spec: Pkcs11Spec, env: NodeJS.ProcessEnv, warnings: string[]): string {
  const path = [...spec.pathAttributes.map(([name, value]) => `${name}=${value}`), 'type=private'].join(';');
  if (spec.pin === null) throw invalidUri(uri, 'no PIN: add pin-source=file:/path/to/pin (or pin-source=env:VAR)');
  const pin = readSecret(uri, 'PIN', spec.pin, env);
  warnings.push(...pin.warnings);
  if (spec.pin.kind === 'file' && readFileSync(spec.pin.path, 'utf8') === pin.value) {
    return `pkcs11:${path}?pin-source=file:${encodeURI(spec.pin.path)}`;
  }
  return `pkcs11:${path}?pin-value=${encodeURIComponent(pin.value)}`;
}

/**
 * `pkcs11:` - the key stays on the token; OpenSSL's pkcs11 engine signs with it. The certificate
 * chain comes from `cert-file=` or from the token (the certificate object with the key's label/id).
 */
export async function loadPkcs11(uri: string, spec: Pkcs11Spec, settings: TlsSettings, env: NodeJS.ProcessEnv): Promise<KeyMaterial> {
  const warnings: string[] = [];
  const modulePath = spec.modulePath ?? settings.pkcs11_module;
  const engine = preparePkcs11Engine(uri, settings.pkcs11_engine, modulePath);
  const cert = spec.certFile !== null ? await readSourceFile(uri, spec.certFile) : await readTokenCertificate(uri, spec, modulePath);
  const privateKeyIdentifier = engineIdentifier(uri, spec, env, warnings);
  return { options: { cert, privateKeyEngine: engine, privateKeyIdentifier }, warnings };
}
