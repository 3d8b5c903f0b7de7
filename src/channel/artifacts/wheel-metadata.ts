import { normalizeName, parseCoreMetadata, parseVersion, tryParseVersion, type CoreMetadata, type WheelFilename } from '../../pypkg/index.js';
import type { RandomAccess } from './artifact-store.js';
import { readZipDirectory, readZipEntry, ZipFormatError } from './zip-directory.js';

/** The core metadata of a wheel, as bytes (served as the PEP 658 file) and parsed. */
export interface WheelMetadata {
  bytes: Buffer;
  metadata: CoreMetadata;
}

/** Why a wheel was refused; `field` is set when names or versions disagree. */
export class WheelRejection extends Error {
  constructor(
    message: string,
    readonly mismatch?: { field: string; found: string; expected: string },
  ) {
    super(message);
  }
}

const MAX_METADATA_BYTES = 16 * 1024 * 1024;

/**
 * Finds the wheel's one top-level `.dist-info` directory and reads its METADATA, checking that
 * directory name, METADATA Name/Version and the file name all agree (pip refuses to install a
 * wheel whose metadata disagrees with its name, so the index must never offer one).
 */
export async function readWheelMetadata(file: RandomAccess, wheel: WheelFilename): Promise<WheelMetadata> {
  let entries;
  try {
    entries = await readZipDirectory(file);
  } catch (error) {
    if (error instanceof ZipFormatError) throw new WheelRejection(error.message);
    throw error;
  }
  const distInfos = new Set<string>();
  for (const entry of entries) {
    const top = entry.name.split('/')[0] ?? '';
    if (top.endsWith('.dist-info') && entry.name.includes('/')) distInfos.add(top);
  }
  if (distInfos.size !== 1) throw new WheelRejection(`expected exactly one .dist-info directory, found ${distInfos.size}`);
  const [distInfo] = [...distInfos] as [string];
  const stem = distInfo.slice(0, -'.dist-info'.length);
  const dash = stem.lastIndexOf('-');
  const dirName = normalizeName(stem.slice(0, dash));
  const dirVersion = tryParseVersion(stem.slice(dash + 1));
  if (dash <= 0 || dirName !== wheel.name || !dirVersion || dirVersion.compare(wheel.version) !== 0) {
    throw new WheelRejection(`${distInfo} does not belong to ${wheel.name} ${wheel.version.toString()}`, {
      field: 'the .dist-info directory',
      found: distInfo,
      expected: `${wheel.name}-${wheel.version.toString()}.dist-info`,
    });
  }
  const entry = entries.find((candidate) => candidate.name === `${distInfo}/METADATA`);
  if (!entry) throw new WheelRejection(`${distInfo}/METADATA is missing`);
  let bytes: Buffer;
  try {
    bytes = await readZipEntry(file, entry, MAX_METADATA_BYTES);
  } catch (error) {
    if (error instanceof ZipFormatError) throw new WheelRejection(error.message);
    throw error;
  }
  const metadata = parseCoreMetadata(bytes.toString('utf8'));
  checkAgreement(metadata, wheel);
  return { bytes, metadata };
}

function checkAgreement(metadata: CoreMetadata, wheel: WheelFilename): void {
  const expectedVersion = wheel.version.toString();
  if (metadata.name === undefined || normalizeName(metadata.name) !== wheel.name) {
    throw new WheelRejection('METADATA Name disagrees with the file name', { field: 'METADATA Name', found: metadata.name ?? '(missing)', expected: wheel.name });
  }
  const version = metadata.version === undefined ? null : tryParseVersion(metadata.version);
  if (!version || version.compare(parseVersion(expectedVersion)) !== 0) {
    throw new WheelRejection('METADATA Version disagrees with the file name', { field: 'METADATA Version', found: metadata.version ?? '(missing)', expected: expectedVersion });
  }
}
