import type { Finding } from './finding.js';
import type { VettingContext } from './vetting-step.js';
import { findWaiver } from './waivers/waiver.js';

/**
 * Applies waivers and dry-run to one finding. The pipeline and re-checks own these rules, so
 * steps only say what they saw.
 *
 * @example
 * ```ts
 * settleFinding(found, 'demo-1.0-py3-none-any.whl', context).blocking;
 * ```
 */
export function settleFinding(found: Finding, filename: string, context: Pick<VettingContext, 'waivers' | 'policy' | 'now'>): Finding {
  // "MAL- records always block": neither a waiver nor dry-run lets a known malicious release through.
  if (!found.blocking || found.code === 'VULN_MALICIOUS') return found;
  const waiver = findWaiver(found, context.waivers, filename, context.now);
  if (waiver !== undefined) {
    return { ...found, blocking: false, waived: { id: waiver.id, reason: waiver.reason, expiresAt: waiver.expiresAt, createdBy: waiver.createdBy } };
  }
  if (context.policy.dryRun && found.policy === true) return { ...found, blocking: false, wouldBlock: true };
  return found;
}
