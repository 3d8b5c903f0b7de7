import { parseRequirementsFile, PypkgError, type Requirement } from '../../pypkg/index.js';
import { BulwarkError } from '../../errors/index.js';

/**
 * Reads a release's top-level requirements (`top.txt`): PEP 508 lines, comments and blank lines.
 * Options, includes, paths and URLs are refused: a release is built only from the channel's
 * approved files, so nothing in the input may point elsewhere.
 *
 * @example
 * ```ts
 * parseTopLevel('jupyterlab>=4\nnumpy; platform_machine != "s390x"\n').length; // 2
 * ```
 */
export function parseTopLevel(text: string): Requirement[] {
  let file;
  try {
    file = parseRequirementsFile(text);
  } catch (error) {
    if (error instanceof PypkgError) throw new BulwarkError('CHANNEL_RELEASE_INVALID', { detail: `top-level requirements: ${error.message}` });
    throw error;
  }
  const requirements: Requirement[] = [];
  for (const line of file.lines) {
    if (line.kind === 'blank' || line.kind === 'comment') continue;
    if (line.kind !== 'requirement' || line.requirement === null || line.requirement.url !== null || line.editable) {
      const shown = line.kind === 'requirement' ? line.text : line.kind === 'option' ? line.name : `${line.constraint ? '-c' : '-r'} ${line.path}`;
      throw new BulwarkError('CHANNEL_RELEASE_INVALID', { detail: `top-level requirements may only name projects of the channel; "${shown}" is not allowed` });
    }
    requirements.push(line.requirement);
  }
  if (requirements.length === 0) throw new BulwarkError('CHANNEL_RELEASE_INVALID', { detail: 'the top-level requirements name no project' });
  return requirements;
}
