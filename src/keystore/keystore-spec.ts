/** Where a PIN or passphrase comes from. `value` exists only for RFC 7512 `pin-value` (discouraged). */
export type SecretSource =
  | { readonly kind: 'env'; readonly name: string }
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'value'; readonly value: string };

/** A `pkcs11:` URI (RFC 7512) split into what the engine needs and what Bulwark handles itself. */
export interface Pkcs11Spec {
  readonly kind: 'pkcs11';
  /** Path attributes in their original (percent-encoded) form, in order; `type` excluded. */
  readonly pathAttributes: ReadonlyArray<readonly [string, string]>;
  readonly token: string | null;
  readonly object: string | null;
  /** CKA_ID as hex, from `id=%01%02`. */
  readonly idHex: string | null;
  readonly pin: SecretSource | null;
  readonly modulePath: string | null;
  /** Bulwark's `cert-file=`: the chain from a PEM file instead of the token. */
  readonly certFile: string | null;
}

export interface KeyctlSpec {
  readonly kind: 'keyctl';
  readonly keyType: 'user';
  readonly description: string;
  /** `@u` (default), `@s`, `@us`, `@p`, `@t` or a numeric keyring id. */
  readonly keyring: string;
  readonly passphrase: SecretSource | null;
}

export interface Pkcs12Spec {
  readonly kind: 'pkcs12';
  readonly path: string;
  readonly passphrase: SecretSource | null;
}

export interface PemSpec {
  readonly kind: 'pem';
  readonly certPath: string;
  readonly keyPath: string;
  readonly passphrase: SecretSource | null;
}

export interface SafKeyringSpec {
  readonly kind: 'safkeyring';
  readonly owner: string;
  readonly ring: string;
  readonly label: string | null;
}

export type KeystoreSpec = Pkcs11Spec | KeyctlSpec | Pkcs12Spec | PemSpec | SafKeyringSpec;
export type KeystoreKind = KeystoreSpec['kind'];
