import { severityAtLeast, type Finding } from './finding.js';
import type { StepResult, StepStatus } from './vetting-step.js';

/** The stored outcome of vetting one file. */
export interface VettingReport {
  /** Bumped when the report shape changes, so old stored reports can be told apart. */
  version: 1;
  filename: string;
  sha256: string;
  size: number;
  status: 'vetted' | 'rejected';
  dryRun: boolean;
  startedAt: string;
  durationMs: number;
  steps: StepResult[];
  /** Codes of policy findings that dry-run kept from blocking. */
  wouldBlock: string[];
}

/**
 * A step's status from its findings: `fail` when one still blocks, `warn` when any finding of
 * severity low or above (or waived, or held back by dry-run) remains, else `pass`.
 *
 * @example
 * ```ts
 * stepStatusOf([]); // 'pass'
 * ```
 */
export function stepStatusOf(findings: readonly Finding[]): Exclude<StepStatus, 'error'> {
  if (findings.some((f) => f.blocking)) return 'fail';
  if (findings.some((f) => severityAtLeast(f.severity, 'low') || f.waived !== undefined || f.wouldBlock === true)) return 'warn';
  return 'pass';
}

/**
 * Every finding of a report that blocks the file, with the step it came from.
 *
 * @example
 * ```ts
 * blockingFindings(report).map((f) => f.code);
 * ```
 */
export function blockingFindings(report: VettingReport): (Finding & { step: string })[] {
  return report.steps.flatMap((s) => s.findings.filter((f) => f.blocking).map((f) => ({ ...f, step: s.name })));
}
