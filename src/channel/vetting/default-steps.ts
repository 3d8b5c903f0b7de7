import { namesStep } from './names/names-step.js';
import { policyStep } from './policy/policy-step.js';
import { dependenciesStep } from './steps/dependencies-step.js';
import { recordStep } from './steps/record-step.js';
import { secretsStep } from './steps/secrets-step.js';
import { startupHooksStep } from './steps/startup-hooks-step.js';
import { vulnerabilitiesStep } from './steps/vulnerabilities-step.js';
import { wheelStructureStep } from './steps/wheel-structure-step.js';
import { zipIntegrityStep } from './steps/zip-integrity-step.js';
import type { VettingStep } from './vetting-step.js';

/**
 * The channel's steps, in report order: the archive first (its findings explain later errors),
 * then the wheel, its content, its name, its advisories and the policy.
 *
 * @example
 * ```ts
 * await runVettingPipeline(file, defaultVettingSteps(), context);
 * ```
 */
export function defaultVettingSteps(): VettingStep[] {
  return [zipIntegrityStep, wheelStructureStep, recordStep, startupHooksStep, dependenciesStep, secretsStep, namesStep, vulnerabilitiesStep, policyStep];
}
