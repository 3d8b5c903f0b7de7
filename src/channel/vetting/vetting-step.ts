import type { AdvisoryLookup } from '../advisories/advisory.js';
import type { Finding } from './finding.js';
import type { VettingPolicy } from './vetting-policy.js';
import type { Waiver } from './waivers/waiver.js';
import type { WheelUnderTest } from './wheel-under-test.js';

/** Outcome of one step: `error` means the step could not finish (and the file is rejected). */
export type StepStatus = 'pass' | 'warn' | 'fail' | 'error';

/** What one step reports. */
export interface StepResult {
  name: string;
  status: StepStatus;
  findings: Finding[];
  durationMs: number;
  /** For `error`: what went wrong inside the step. */
  error?: string;
}

/** What every step may read besides the file. */
export interface VettingContext {
  policy: VettingPolicy;
  advisories: AdvisoryLookup;
  /** PEP 503-normalised names of the projects already in the channel (not new, so no typosquat check). */
  knownProjects: ReadonlySet<string>;
  /** Waivers of this file (others are ignored); expired and revoked ones never apply. */
  waivers: readonly Waiver[];
  now: Date;
}

/**
 * One check of the pipeline. A step reports findings; it may throw, which the pipeline turns
 * into an `error` result for that step alone.
 *
 * @example
 * ```ts
 * const step: VettingStep = { name: 'noop', run: async () => ({ findings: [] }) };
 * ```
 */
export interface VettingStep {
  readonly name: string;
  run(wheel: WheelUnderTest, context: VettingContext): Promise<{ findings: Finding[] }>;
}
