import { hash, randomBytes, timingSafeEqual } from 'node:crypto';

/** A random token of `bytes` bytes as lowercase hex (JupyterHub tokens are 32 hex characters). */
export function randomHexToken(bytes = 16): string {
  return randomBytes(bytes).toString('hex');
}

/** A random URL-safe token, for session ids and OAuth codes. */
export function randomUrlToken(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}

/**
 * Tokens and session ids are high-entropy random values, so a single SHA-256 is enough to make
 * a stolen database useless; slow password hashes are for low-entropy secrets only.
 */
export function hashSecret(secret: string): string {
  // crypto.hash (one call, no Hash object) is several times cheaper than createHash for one short
  // input, and every API request hashes its token; strings are hashed as UTF-8 either way.
  return hash('sha256', secret, 'hex');
}

/** Compares two strings without leaking where they differ through timing. */
export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'utf8');
  const right = Buffer.from(b, 'utf8');
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}
