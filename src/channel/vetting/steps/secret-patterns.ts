import type { FindingCode } from '../finding-codes.js';

/** One kind of secret and how to recognise it. */
export interface SecretPattern {
  code: Extract<FindingCode, 'SECRET_PRIVATE_KEY' | 'SECRET_CLOUD_CREDENTIAL' | 'SECRET_TOKEN'>;
  label: string;
  pattern: RegExp;
  /** Matches that are documented placeholders rather than secrets. */
  ignore?: RegExp;
}

/**
 * Secrets worth rejecting a wheel for: the formats have fixed prefixes or armour lines, so the
 * patterns are specific enough to run over every file without drowning in noise.
 */
export const SECRET_PATTERNS: readonly SecretPattern[] = [
  { code: 'SECRET_PRIVATE_KEY', label: 'private key', pattern: /-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----/g },
  { code: 'SECRET_CLOUD_CREDENTIAL', label: 'AWS access key id', pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, ignore: /EXAMPLE$/ },
  { code: 'SECRET_CLOUD_CREDENTIAL', label: 'AWS secret access key', pattern: /aws_secret_access_key["']?\s*[:=]\s*["']?[A-Za-z0-9/+=]{40}\b/gi, ignore: /EXAMPLEKEY/ },
  { code: 'SECRET_CLOUD_CREDENTIAL', label: 'Google API key', pattern: /\bAIza[0-9A-Za-z_-]{35}\b/g },
  { code: 'SECRET_CLOUD_CREDENTIAL', label: 'Google service account key', pattern: /"type"\s*:\s*"service_account"[\s\S]{0,400}"private_key"\s*:\s*"-----BEGIN/g },
  { code: 'SECRET_TOKEN', label: 'GitHub token', pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{80,})\b/g },
  { code: 'SECRET_TOKEN', label: 'Slack token', pattern: /\bxox[abprs]-[A-Za-z0-9-]{10,}\b/g },
  { code: 'SECRET_TOKEN', label: 'PyPI API token', pattern: /\bpypi-AgEIcHlwaS5vcmc[A-Za-z0-9_-]{50,}/g },
  { code: 'SECRET_TOKEN', label: 'Stripe live key', pattern: /\b[rs]k_live_[0-9A-Za-z]{24,}\b/g },
  { code: 'SECRET_TOKEN', label: 'GitLab token', pattern: /\bglpat-[0-9A-Za-z_-]{20}\b/g },
];

/**
 * Shows enough of a secret to find it again, never enough to use it.
 *
 * @example
 * ```ts
 * redactSecret('AKIAABCDEFGHIJKLMNOP'); // 'AKIA... (20 characters)'
 * ```
 */
export function redactSecret(text: string): string {
  if (text.startsWith('-----BEGIN')) return text;
  return `${text.slice(0, 4)}\u2026 (${text.length} characters)`;
}
