import { BulwarkError } from '../../errors/index.js';
import { parseSdistFilename, parseWheelFilename, PypkgError, type Version, type WheelFilename } from '../../pypkg/index.js';

/** What a distribution's file name says about it. */
export type DistributionName =
  | { kind: 'wheel'; name: string; version: Version; wheel: WheelFilename }
  | { kind: 'sdist'; name: string; version: Version };

/**
 * Reads an uploaded file name. It becomes part of URLs and is shown on pages, so anything that
 * could act as a path (separators, NUL, a leading dot) is refused before its syntax is parsed.
 */
export function parseDistributionFilename(filename: string, allowSdist: boolean): DistributionName {
  const invalid = (reason: string) => new BulwarkError('CHANNEL_UPLOAD_FILENAME_INVALID', { filename: JSON.stringify(filename), reason });
  if (filename === '' || /[/\\\0]/.test(filename) || filename.startsWith('.')) throw invalid('it must be a bare file name, without path separators');
  if (filename.length > 255) throw invalid('it is longer than 255 characters');
  try {
    if (filename.endsWith('.whl')) {
      const wheel = parseWheelFilename(filename);
      return { kind: 'wheel', name: wheel.name, version: wheel.version, wheel };
    }
    if (filename.endsWith('.tar.gz')) {
      if (!allowSdist) throw new BulwarkError('CHANNEL_UPLOAD_SDIST_REFUSED', { filename });
      const sdist = parseSdistFilename(filename);
      return { kind: 'sdist', ...sdist };
    }
  } catch (error) {
    if (error instanceof PypkgError) throw invalid(error.message);
    throw error;
  }
  if (!allowSdist && filename.endsWith('.zip')) throw new BulwarkError('CHANNEL_UPLOAD_SDIST_REFUSED', { filename });
  throw invalid(allowSdist ? 'expected a .whl or .tar.gz file' : 'expected a .whl file');
}
