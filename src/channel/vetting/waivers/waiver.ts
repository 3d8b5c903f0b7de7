import type { Finding } from '../finding.js';

/** An approver's decision to accept one finding subject for one file until a date. */
export interface Waiver {
  id: number | string;
  /** An advisory id (any alias works) or a finding code such as RECORD_HASH_MISMATCH. */
  subject: string;
  filename: string;
  reason: string;
  createdBy: string | null;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

/**
 * Whether a waiver is in force for a file at a time.
 *
 * @example
 * ```ts
 * waiverActive(waiver, 'demo-1.0-py3-none-any.whl', new Date());
 * ```
 */
export function waiverActive(waiver: Waiver, filename: string, now: Date): boolean {
  return waiver.filename === filename && waiver.revokedAt === null && Date.parse(waiver.expiresAt) > now.getTime();
}

/**
 * The first active waiver that covers a finding: by its code, or by one of its subjects
 * (advisory ids and aliases).
 *
 * @example
 * ```ts
 * const waiver = findWaiver(finding, waivers, filename, now);
 * ```
 */
export function findWaiver(found: Finding, waivers: readonly Waiver[], filename: string, now: Date): Waiver | undefined {
  const subjects = new Set([found.code, ...(found.subjects ?? [])]);
  return waivers.find((w) => waiverActive(w, filename, now) && subjects.has(w.subject));
}
