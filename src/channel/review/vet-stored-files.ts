import { isBulwarkError } from '../../errors/index.js';
import type { Actor } from '../../log/index.js';
import type { FileRecord } from '../catalog/file-record.js';
import { selectFiles } from '../admin/select-files.js';
import type { VetOutcome } from './file-vetter.js';
import type { ReviewDeps } from './review-deps.js';

/** One file of a `channel vet` run: its new state and report, or why it could not be vetted. */
export type StoredVetResult = ({ outcome: 'vetted' } & VetOutcome) | { outcome: 'error'; file: FileRecord; message: string };

/**
 * `channel vet [NAME [VERSION | FILENAME]]`: runs the pipeline again on stored files (every
 * file without a NAME). Never stops half-way: a file that cannot be read is reported.
 */
export async function vetStoredFiles(deps: ReviewDeps, name: string | undefined, selector: string | undefined, actor: Actor): Promise<StoredVetResult[]> {
  const files = name === undefined ? await deps.catalog.allFiles() : (await selectFiles(deps.catalog, name, selector)).files;
  const results: StoredVetResult[] = [];
  for (const file of files) {
    try {
      results.push({ outcome: 'vetted', ...(await deps.vetter.vet(file, actor)) });
    } catch (error) {
      results.push({ outcome: 'error', file, message: isBulwarkError(error) ? `${error.code}: ${error.message}` : (error as Error).message });
    }
  }
  return results;
}
