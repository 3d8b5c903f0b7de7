import { finding, type Finding } from './finding.js';
import { stepStatusOf, type VettingReport } from './vetting-report.js';
import type { StepResult, VettingContext, VettingStep } from './vetting-step.js';
import { settleFinding } from './settle-finding.js';
import { prepareWheel, type VettingFile } from './wheel-under-test.js';

// A pathological wheel can produce thousands of identical findings; the report keeps a sample.
const MAX_PER_CODE = 50;

function capFindings(findings: readonly Finding[]): Finding[] {
  const counts = new Map<string, number>();
  const kept: Finding[] = [];
  for (const f of findings) {
    const n = (counts.get(f.code) ?? 0) + 1;
    counts.set(f.code, n);
    // Blocking findings beyond the cap are still represented: the first ones already block.
    if (n <= MAX_PER_CODE) kept.push(f);
  }
  for (const [code, n] of counts) {
    const sample = kept.find((f) => f.code === code);
    if (n > MAX_PER_CODE && sample !== undefined) kept.push({ ...sample, message: `${n - MAX_PER_CODE} more ${code} findings not shown`, evidence: { omitted: n - MAX_PER_CODE } });
  }
  return kept;
}

async function runStep(step: VettingStep, run: () => Promise<{ findings: Finding[] }>, filename: string, context: VettingContext): Promise<StepResult> {
  const started = performance.now();
  try {
    const { findings } = await run();
    const settled = capFindings(findings.map((f) => settleFinding(f, filename, context)));
    return { name: step.name, status: stepStatusOf(settled), findings: settled, durationMs: performance.now() - started };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      name: step.name,
      status: 'error',
      findings: [finding('STEP_ERROR', `step ${step.name} could not finish: ${message}`, { error: message })],
      durationMs: performance.now() - started,
      error: message,
    };
  }
}

/**
 * Vets one file: runs every step in order, each isolated, and returns the report. It never
 * throws: a step that throws (or rejects) becomes that step's `error` result and the next step
 * still runs. The file is `rejected` when any step fails or errors (vetting fails closed).
 *
 * @example
 * ```ts
 * const report = await runVettingPipeline({ filename, bytes }, defaultVettingSteps(), context);
 * report.status; // 'vetted' | 'rejected'
 * ```
 */
export async function runVettingPipeline(file: VettingFile, steps: readonly VettingStep[], context: VettingContext): Promise<VettingReport> {
  const startedAt = context.now.toISOString();
  const started = performance.now();
  const wheel = prepareWheel(file, { maxEntrySize: context.policy.maxUncompressedSize });
  const results: StepResult[] = [];
  for (const step of steps) {
    // The call itself sits inside runStep's try, so even a synchronous throw stays in its step.
    results.push(await runStep(step, () => step.run(wheel, context), file.filename, context));
  }
  const rejected = results.some((r) => r.status === 'fail' || r.status === 'error');
  return {
    version: 1,
    filename: file.filename,
    sha256: wheel.sha256,
    size: file.bytes.length,
    status: rejected ? 'rejected' : 'vetted',
    dryRun: context.policy.dryRun,
    startedAt,
    durationMs: performance.now() - started,
    steps: results,
    wouldBlock: [...new Set(results.flatMap((r) => r.findings.filter((f) => f.wouldBlock === true).map((f) => f.code)))],
  };
}
