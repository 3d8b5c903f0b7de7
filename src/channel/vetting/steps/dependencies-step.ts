import { parseRequirement } from '../../../pypkg/index.js';
import { finding, type Finding } from '../finding.js';
import type { VettingStep } from '../vetting-step.js';
import { readWheelMetadata } from '../wheel-layout.js';

/**
 * Dependencies: every Requires-Dist must be a valid PEP 508 requirement on a name, never a
 * direct URL (`name @ https://...`), which would make installers fetch from outside the channel.
 */
export const dependenciesStep: VettingStep = {
  name: 'dependencies',
  async run(wheel) {
    const metadata = readWheelMetadata(wheel);
    if (metadata === null) throw new Error('no METADATA to read dependencies from');
    const findings: Finding[] = [];
    for (const text of metadata.requiresDist ?? []) {
      try {
        const requirement = parseRequirement(text);
        if (requirement.url !== null) {
          findings.push(finding('DEPENDENCY_DIRECT_URL', `Requires-Dist "${text}" points at a URL outside the channel`, { requirement: text, url: requirement.url }));
        }
      } catch (error) {
        findings.push(finding('DEPENDENCY_INVALID', `Requires-Dist "${text}" is invalid: ${(error as Error).message}`, { requirement: text }));
      }
    }
    // Fields the metadata parser could not place (e.g. a malformed repeated Requires-Dist) are kept in `unparsed`.
    for (const text of metadata.unparsed['requires-dist'] ?? []) {
      findings.push(finding('DEPENDENCY_INVALID', `Requires-Dist "${text}" could not be parsed`, { requirement: text }));
    }
    return { findings };
  },
};
