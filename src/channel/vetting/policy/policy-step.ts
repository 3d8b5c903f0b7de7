import { finding, type Finding } from '../finding.js';
import type { VettingPolicy } from '../vetting-policy.js';
import type { VettingStep } from '../vetting-step.js';
import { readWheelMetadata } from '../wheel-layout.js';
import type { WheelUnderTest } from '../wheel-under-test.js';
import { licenseFromFreeText, licensesFromClassifiers } from './license-names.js';
import { licenseAllowed } from './spdx-expression.js';

const HOUR = 3_600_000;

function declaredLicense(wheel: WheelUnderTest): { expression: string; from: string } | null {
  const metadata = wheel.archive === null ? null : readWheelMetadata(wheel);
  if (metadata === null) return null;
  if (metadata.licenseExpression !== undefined && metadata.licenseExpression.trim() !== '') {
    return { expression: metadata.licenseExpression.trim(), from: 'License-Expression' };
  }
  const classified = licensesFromClassifiers(metadata.classifiers ?? []);
  // Several licence classifiers almost always mean "choose one" (dual licensing).
  if (classified.length > 0) return { expression: classified.join(' OR '), from: 'classifiers' };
  const free = metadata.license === undefined ? null : licenseFromFreeText(metadata.license);
  return free === null ? null : { expression: free, from: 'License' };
}

function licenseFindings(wheel: WheelUnderTest, policy: VettingPolicy): Finding[] {
  if (policy.licenseAllowlist.length === 0) return [];
  const declared = declaredLicense(wheel);
  if (declared === null) return [finding('POLICY_LICENSE_UNKNOWN', 'no licence found in License-Expression, classifiers or License', {}, { policy: true })];
  const evidence = { license: declared.expression, from: declared.from };
  try {
    if (licenseAllowed(declared.expression, policy.licenseAllowlist)) return [];
  } catch (error) {
    return [finding('POLICY_LICENSE_UNKNOWN', (error as Error).message, evidence, { policy: true })];
  }
  return [finding('POLICY_LICENSE', `licence ${declared.expression} (from ${declared.from}) is not in channel.policy.license_allowlist`, evidence, { policy: true })];
}

function ageFindings(wheel: WheelUnderTest, policy: VettingPolicy, now: Date): Finding[] {
  if (policy.minimumAgeHours <= 0) return [];
  if (wheel.publishedAt === null) {
    return [finding('POLICY_AGE_UNKNOWN', 'no upstream publication time; minimum age not checked', {}, { blocking: false, policy: true })];
  }
  const hours = (now.getTime() - wheel.publishedAt.getTime()) / HOUR;
  if (hours >= policy.minimumAgeHours) return [];
  return [finding('POLICY_TOO_NEW', `published ${hours.toFixed(1)} hours ago; the policy waits ${policy.minimumAgeHours}`, {
    publishedAt: wheel.publishedAt.toISOString(), ageHours: Number(hours.toFixed(2)), minimumAgeHours: policy.minimumAgeHours,
  }, { policy: true })];
}

/**
 * Policy: wheels only (unless `allow_sdist`), a licence on the allowlist, and a minimum age
 * since upstream publication. All of these are policy findings, so dry-run reports them
 * without blocking. (The CVSS threshold is applied in the vulnerabilities step.)
 */
export const policyStep: VettingStep = {
  name: 'policy',
  async run(wheel, context) {
    const { policy } = context;
    const findings: Finding[] = [];
    if (!wheel.filename.endsWith('.whl') && !policy.allowSdist) {
      findings.push(finding('POLICY_NOT_WHEEL', `"${wheel.filename}" is not a wheel and channel.policy.allow_sdist is off`, { filename: wheel.filename }, { policy: true }));
    }
    findings.push(...licenseFindings(wheel, policy), ...ageFindings(wheel, policy, context.now));
    return { findings };
  },
};
