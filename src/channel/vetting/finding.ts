import { findingCodes, type FindingCode } from './finding-codes.js';

/** How bad a finding is, lowest first. */
export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';

/** Severities in order, for comparisons. */
export const SEVERITIES: readonly Severity[] = ['info', 'low', 'medium', 'high', 'critical'];

/** Values evidence may hold: plain JSON, so reports store and render as they are. */
export type EvidenceValue = string | number | boolean | null | readonly string[];

/** A waiver that was applied to a finding. */
export interface AppliedWaiver {
  id: number | string;
  reason: string;
  expiresAt: string;
  createdBy: string | null;
}

/** One observation of a step: what, how bad, the evidence, and whether it blocks the file. */
export interface Finding {
  code: FindingCode;
  severity: Severity;
  message: string;
  evidence: Readonly<Record<string, EvidenceValue>>;
  /** Whether this finding, alone, rejects the file (after waivers and dry-run). */
  blocking: boolean;
  /** A policy decision (licence, age, CVSS threshold...): dry-run reports it instead of blocking. */
  policy?: boolean;
  /** Further names a waiver may use for this finding, e.g. an advisory id and its aliases. */
  subjects?: readonly string[];
  waived?: AppliedWaiver;
  /** Set in dry-run on a policy finding that would have blocked. */
  wouldBlock?: boolean;
}

/**
 * Builds a finding with the code's default severity; blocking unless told otherwise.
 *
 * @example
 * ```ts
 * finding('ZIP_TRAILING_DATA', '12 bytes after the end record', { bytes: 12 });
 * ```
 */
export function finding(
  code: FindingCode,
  message: string,
  evidence: Readonly<Record<string, EvidenceValue>> = {},
  options: Partial<Pick<Finding, 'severity' | 'blocking' | 'policy' | 'subjects'>> = {},
): Finding {
  return { code, severity: options.severity ?? findingCodes[code].severity, message, evidence, blocking: options.blocking ?? true, ...pick(options) };
}

function pick(options: Partial<Pick<Finding, 'policy' | 'subjects'>>): Partial<Finding> {
  const out: Partial<Finding> = {};
  if (options.policy !== undefined) out.policy = options.policy;
  if (options.subjects !== undefined) out.subjects = options.subjects;
  return out;
}

/**
 * Compares severities.
 *
 * @example
 * ```ts
 * severityAtLeast('critical', 'high'); // true
 * ```
 */
export function severityAtLeast(severity: Severity, threshold: Severity): boolean {
  return SEVERITIES.indexOf(severity) >= SEVERITIES.indexOf(threshold);
}
