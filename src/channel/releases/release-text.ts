import type { ClosureProof } from './closure-proof.js';
import { describeHole } from './publish-release.js';
import type { CurrencyReport } from './release-currency.js';
import type { ReleaseDiff } from './release-diff.js';

/**
 * The closure proof as text: per target either every satisfied requirement (`by -> requirement => pin`)
 * or the holes. `brief` prints counts only for closed targets.
 *
 * @example
 * ```ts
 * formatProof(proof, { brief: true }).join('\n');
 * ```
 */
export function formatProof(proof: ClosureProof, options: { brief?: boolean } = {}): string[] {
  const lines: string[] = [];
  for (const target of proof.targets) {
    if (target.closed) {
      lines.push(`${target.target}: closed \u2014 ${target.pins} pin(s), ${target.steps.length} requirement(s) satisfied inside the release`);
      if (options.brief !== true) for (const step of target.steps) lines.push(`  ${step.by ?? '(top level)'} \u2192 ${step.requirement} \u21d2 ${step.pin}`);
    } else {
      lines.push(`${target.target}: NOT closed \u2014 ${target.holes.length} hole(s)`);
      for (const hole of target.holes) lines.push(`  hole: ${describeHole(hole)}`);
    }
    if (target.unused.length > 0) lines.push(`  note: nothing requires ${target.unused.join(', ')} on this target`);
  }
  lines.push(proof.closed ? `release ${proof.release} is closed on every target` : `release ${proof.release} is not closed; it cannot be published`);
  return lines;
}

/** A diff as text: one line per change, then the advisories fixed and introduced. */
export function formatDiff(diff: ReleaseDiff): string[] {
  const lines = [`${diff.from} \u2192 ${diff.to}: ${diff.changes.length} change(s)`];
  for (const c of diff.changes) lines.push(`  ${c.kind.padEnd(10)} ${c.project} ${c.from ?? ''}${c.from && c.to ? ' \u2192 ' : ''}${c.to ?? ''} (${c.target})`);
  for (const a of diff.advisoriesFixed) lines.push(`  fixed      ${a.id} in ${a.project} ${a.version}: ${a.summary}`);
  for (const a of diff.advisoriesIntroduced) lines.push(`  introduced ${a.id} in ${a.project} ${a.version}: ${a.summary}`);
  return lines;
}

/** A currency report as text. */
export function formatCurrency(report: CurrencyReport): string[] {
  const lines = [`${report.release} as of ${report.checkedAt}: ${report.newer.length} pin(s) with newer approved versions, ${report.vulnerabilities.length} advisory match(es)`];
  for (const n of report.newer) lines.push(`  newer      ${n.project} ${n.pinned} \u2192 ${n.newer.join(', ')} (${n.target})`);
  for (const v of report.vulnerabilities) lines.push(`  advisory   ${v.match.id} affects ${v.project} ${v.version}${v.match.malicious ? ' (MALICIOUS)' : ''}: ${v.match.summary}`);
  return lines;
}
