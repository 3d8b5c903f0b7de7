/**
 * The form of a keystore URI that may appear in logs and errors: the value of `pin-value` (RFC 7512)
 * and of any attribute named like a passphrase is replaced. Sources (`pin-source=file:...`,
 * `passphrase-env=VAR`) only name where a secret is, so they stay visible.
 */
export function redactKeystoreUri(uri: string): string {
  return uri.replace(/((?:^|[;?&])(?:pin-value|passphrase|password)=)[^;&?]*/gi, '$1***');
}
