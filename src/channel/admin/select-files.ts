import { BulwarkError } from '../../errors/index.js';
import { normalizeName, tryParseVersion } from '../../pypkg/index.js';
import type { ChannelCatalog } from '../catalog/channel-catalog.js';
import type { FileRecord, ProjectRecord } from '../catalog/file-record.js';

/**
 * The files `NAME [VERSION | FILENAME]` names: all of the project's, one version's (compared as
 * PEP 440 versions, so 1.0 selects 1.0.0), or one file. Selecting nothing is an error.
 */
export async function selectFiles(catalog: ChannelCatalog, name: string, selector?: string): Promise<{ project: ProjectRecord; files: FileRecord[] }> {
  const normalized = normalizeName(name);
  const project = await catalog.project(normalized);
  if (!project) throw new BulwarkError('CHANNEL_PROJECT_NOT_FOUND', { name: normalized });
  const all = await catalog.files(project.id);
  let files = all;
  if (selector !== undefined) {
    const version = tryParseVersion(selector);
    files = all.filter((file) => file.filename === selector || (version !== null && tryParseVersion(file.version)?.compare(version) === 0));
  }
  if (files.length === 0) throw new BulwarkError('CHANNEL_NO_MATCH', { name: normalized, selector: selector ?? '(any version)' });
  return { project, files };
}
