import { matchAdvisories, type AdvisoryMatch } from '../../advisories/match-advisories.js';
import { cvssRating } from '../../advisories/cvss-v3.js';
import type { AdvisoryLookup } from '../../advisories/advisory.js';
import { finding, type Finding, type Severity } from '../finding.js';
import type { VettingPolicy } from '../vetting-policy.js';
import type { VettingStep } from '../vetting-step.js';

function severityOf(match: AdvisoryMatch): Severity {
  if (match.severity.score === null) return 'high'; // unknown is treated as serious until a person looks
  const rating = cvssRating(match.severity.score);
  return rating === 'none' ? 'info' : rating;
}

/**
 * Turns advisory matches into findings under the policy: malicious releases always block;
 * other advisories block at `block_at_cvss` (or, without any severity, per `unknown_severity`).
 *
 * @example
 * ```ts
 * vulnerabilityFindings(matches, policy).filter((f) => f.blocking);
 * ```
 */
export function vulnerabilityFindings(matches: readonly AdvisoryMatch[], policy: VettingPolicy): Finding[] {
  return matches.map((match) => {
    const evidence = {
      advisory: match.id,
      ids: match.ids,
      version: match.version,
      cvss: match.severity.score,
      vector: match.severity.vector,
      severitySource: match.severity.source,
      summary: match.summary,
    };
    if (match.malicious) {
      return finding('VULN_MALICIOUS', `${match.id}: this version is a known malicious release`, evidence, { subjects: match.ids });
    }
    const score = match.severity.score;
    const blocking = score === null ? policy.unknownSeverity === 'block' : score >= policy.blockAtCvss;
    const scoreText = score === null ? 'severity unknown' : `CVSS ${score.toFixed(1)}`;
    return finding('VULN_KNOWN', `${match.id} (${scoreText}) affects version ${match.version}`, evidence, {
      severity: severityOf(match),
      blocking,
      policy: true,
      subjects: match.ids,
    });
  });
}

/**
 * Looks a file's project and version up in the advisory database and judges the matches.
 *
 * @example
 * ```ts
 * const findings = await assessVulnerabilities(lookup, 'jinja2', '2.11.2', false, policy);
 * ```
 */
export async function assessVulnerabilities(lookup: AdvisoryLookup, name: string, version: string, rebuild: boolean, policy: VettingPolicy): Promise<Finding[]> {
  const advisories = await lookup.forPackage(name);
  return vulnerabilityFindings(matchAdvisories(advisories, name, version, { rebuild }), policy);
}

/**
 * Known vulnerabilities and malicious releases, from the offline advisory database. A file the
 * publisher marked as a rebuild is matched by its upstream version.
 */
export const vulnerabilitiesStep: VettingStep = {
  name: 'vulnerabilities',
  async run(wheel, context) {
    if (wheel.wheelName === null) throw new Error('the file name gives no project and version');
    const { name, version } = wheel.wheelName;
    return { findings: await assessVulnerabilities(context.advisories, name, version.toString(), wheel.rebuild, context.policy) };
  },
};
