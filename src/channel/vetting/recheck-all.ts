import { parseSdistFilename, parseWheelFilename } from '../../pypkg/index.js';
import type { Advisory, AdvisoryLookup } from '../advisories/advisory.js';
import { finding } from './finding.js';
import { settleFinding } from './settle-finding.js';
import { assessVulnerabilities } from './steps/vulnerabilities-step.js';
import type { VettingPolicy } from './vetting-policy.js';
import { stepStatusOf, type VettingReport } from './vetting-report.js';
import type { StepResult } from './vetting-step.js';
import type { Waiver } from './waivers/waiver.js';

/** A stored file to re-check after an advisory import. */
export interface RecheckFile {
  filename: string;
  rebuild?: boolean;
  /** Advisory ids (and aliases) its current report already names; use {@link reportAdvisoryIds}. */
  knownAdvisoryIds?: readonly string[];
  waivers?: readonly Waiver[];
}

/** The fresh vulnerabilities step of one file, and whether something new now blocks it. */
export interface RecheckOutcome {
  filename: string;
  /** Replaces the `vulnerabilities` step of the stored report. */
  step: StepResult;
  /** Ids of blocking advisories the stored report did not name. */
  newAdvisoryIds: string[];
  /** True when the file must go (back) to quarantine. */
  newlyAffected: boolean;
}

/** Result of {@link recheckAll}. */
export interface RecheckSummary {
  checked: number;
  outcomes: RecheckOutcome[];
  newlyAffected: RecheckOutcome[];
  durationMs: number;
}

/**
 * Every advisory id and alias that a report's vulnerabilities step mentions.
 *
 * @example
 * ```ts
 * recheckAll([{ filename, knownAdvisoryIds: reportAdvisoryIds(storedReport) }], options);
 * ```
 */
export function reportAdvisoryIds(report: VettingReport): string[] {
  return report.steps.filter((s) => s.name === 'vulnerabilities').flatMap((s) => s.findings.flatMap((f) => f.subjects ?? []));
}

function nameAndVersion(filename: string): { name: string; version: string } {
  if (filename.endsWith('.whl')) {
    const w = parseWheelFilename(filename);
    return { name: w.name, version: w.version.toString() };
  }
  const s = parseSdistFilename(filename);
  return { name: s.name, version: s.version.toString() };
}

/**
 * Re-matches stored files against the advisory database (after an import) and says which ones
 * are newly affected: a blocking advisory (after waivers and dry-run) that their report did not
 * name. Never throws per file: a file whose name cannot be parsed gets an `error` step.
 *
 * @example
 * ```ts
 * const { newlyAffected } = await recheckAll(files, { advisories: store, policy, now: new Date() });
 * for (const o of newlyAffected) await channel.quarantine(o.filename, o.step);
 * ```
 */
export async function recheckAll(
  files: Iterable<RecheckFile>,
  options: { advisories: AdvisoryLookup; policy: VettingPolicy; now: Date },
): Promise<RecheckSummary> {
  const started = performance.now();
  const cache = new Map<string, Promise<readonly Advisory[]>>();
  // Many files share a project; each project's advisories are fetched once per re-check.
  const lookup: AdvisoryLookup = {
    forPackage(name) {
      let hit = cache.get(name);
      if (hit === undefined) cache.set(name, (hit = options.advisories.forPackage(name)));
      return hit;
    },
  };
  const outcomes: RecheckOutcome[] = [];
  for (const file of files) {
    const t0 = performance.now();
    let step: StepResult;
    try {
      const { name, version } = nameAndVersion(file.filename);
      const raw = await assessVulnerabilities(lookup, name, version, file.rebuild ?? false, options.policy);
      const context = { waivers: file.waivers ?? [], policy: options.policy, now: options.now };
      const findings = raw.map((f) => settleFinding(f, file.filename, context));
      step = { name: 'vulnerabilities', status: stepStatusOf(findings), findings, durationMs: performance.now() - t0 };
    } catch (error) {
      const message = (error as Error).message;
      step = { name: 'vulnerabilities', status: 'error', findings: [finding('STEP_ERROR', message, { error: message })], durationMs: performance.now() - t0, error: message };
    }
    const known = new Set(file.knownAdvisoryIds ?? []);
    const newAdvisoryIds = step.findings
      .filter((f) => f.blocking && (f.code === 'VULN_KNOWN' || f.code === 'VULN_MALICIOUS'))
      .filter((f) => !(f.subjects ?? []).some((id) => known.has(id)))
      .map((f) => String(f.evidence['advisory']));
    outcomes.push({ filename: file.filename, step, newAdvisoryIds, newlyAffected: newAdvisoryIds.length > 0 });
  }
  return { checked: outcomes.length, outcomes, newlyAffected: outcomes.filter((o) => o.newlyAffected), durationMs: performance.now() - started };
}
