import { BulwarkError } from '../../errors/index.js';
import type { Actor } from '../../log/index.js';
import type { FileRecord } from '../catalog/file-record.js';
import { selectFiles } from '../admin/select-files.js';
import type { ReviewDeps } from './review-deps.js';

/** A person's rejection: the files leave the index at once and re-vetting does not bring them back. */
export async function rejectFiles(deps: ReviewDeps, name: string, selector: string | undefined, reason: string, actor: Actor): Promise<FileRecord[]> {
  if (reason.trim() === '') throw new BulwarkError('CLI_USAGE', { detail: 'channel reject needs --reason TEXT' });
  const { files } = await selectFiles(deps.catalog, name, selector);
  const moved: FileRecord[] = [];
  for (const file of files) {
    if (file.state === 'rejected' && file.stateManual) continue;
    moved.push(await deps.transitions.move(file, 'rejected', actor, { reason: reason.trim(), manual: true }));
  }
  return moved;
}
