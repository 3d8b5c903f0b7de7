import { BulwarkError } from '../../errors/index.js';
import type { Actor } from '../../log/index.js';
import type { FileRecord } from '../catalog/file-record.js';
import type { Waiver } from '../vetting/waivers/waiver.js';
import { validateWaiver } from '../vetting/waivers/waiver-store.js';
import type { VetOutcome } from './file-vetter.js';
import type { ReviewDeps } from './review-deps.js';

/** What an approver asks to waive. */
export interface WaiverRequest {
  filename: string;
  /** An advisory id (any alias) or a finding code. */
  subject: string;
  reason: string;
  expiresAt: Date;
}

/** Refuses what can never be waived: known malicious releases. */
function assertWaivable(subject: string): void {
  if (subject.toUpperCase().startsWith('MAL-') || subject === 'VULN_MALICIOUS') {
    throw new BulwarkError('CHANNEL_WAIVER_INVALID', { reason: `${subject} is a malicious-release record; MAL- records always block and cannot be waived` });
  }
}

/** Stores one waiver (validated, audited); the caller decides whether to re-vet. */
export async function createWaiver(deps: ReviewDeps, file: FileRecord, request: Omit<WaiverRequest, 'filename'>, actor: Actor): Promise<Waiver> {
  assertWaivable(request.subject);
  const now = deps.clock();
  const candidate = { subject: request.subject, filename: file.filename, reason: request.reason, createdBy: actor.name, expiresAt: request.expiresAt };
  const problem = validateWaiver(candidate, now);
  if (problem !== null) throw new BulwarkError('CHANNEL_WAIVER_INVALID', { reason: problem });
  const waiver = await deps.waivers.create(candidate, now);
  await deps.audit.record(actor, {
    action: 'channel.waive',
    target: file.filename,
    detail: { subject: waiver.subject, reason: waiver.reason, expiresAt: waiver.expiresAt, waiver: waiver.id },
  });
  return waiver;
}

/** `channel waive`: records the waiver, then re-vets the file so its state follows at once. */
export async function waiveFinding(deps: ReviewDeps, request: WaiverRequest, actor: Actor): Promise<{ waiver: Waiver } & VetOutcome> {
  const file = await deps.catalog.file(request.filename);
  if (!file) throw new BulwarkError('CHANNEL_FILE_NOT_FOUND', { filename: request.filename });
  const waiver = await createWaiver(deps, file, request, actor);
  return { waiver, ...(await deps.vetter.vet(file, actor)) };
}
