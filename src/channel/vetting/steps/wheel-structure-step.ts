import { normalizeName, parseTag, splitHeaders, tagToString, tryParseVersion, type WheelFilename } from '../../../pypkg/index.js';
import { finding, type Finding } from '../finding.js';
import type { VettingStep } from '../vetting-step.js';
import { distInfoDirectories } from '../wheel-layout.js';
import type { WheelUnderTest } from '../wheel-under-test.js';

const DATA_SCHEMES = new Set(['purelib', 'platlib', 'scripts', 'headers', 'data']);

function sameVersion(a: string, b: WheelFilename['version']): boolean {
  const parsed = tryParseVersion(a);
  return parsed !== null && parsed.compare(b) === 0;
}

function checkDistInfoName(dir: string, name: WheelFilename): Finding[] {
  const stem = dir.slice(0, -'.dist-info'.length);
  const dash = stem.indexOf('-');
  const dirName = dash === -1 ? stem : stem.slice(0, dash);
  const dirVersion = dash === -1 ? '' : stem.slice(dash + 1);
  if (normalizeName(dirName) === name.name && sameVersion(dirVersion, name.version)) return [];
  return [finding('WHEEL_DIST_INFO', `"${dir}" does not match the file name (${name.name} ${name.version.toString()})`, { directory: dir })];
}

function checkWheelFile(wheel: WheelUnderTest, dir: string, name: WheelFilename | null): Finding[] {
  const entry = wheel.find(`${dir}/WHEEL`);
  if (entry === undefined) return [finding('WHEEL_FILE_INVALID', `${dir}/WHEEL is missing`, { directory: dir })];
  const headers = splitHeaders(wheel.read(entry).toString('utf8')).headers;
  const values = (key: string) => headers.filter(([k]) => k.toLowerCase() === key).map(([, v]) => v.trim());
  const out: Finding[] = [];
  const version = values('wheel-version')[0];
  if (version === undefined || !/^1\.\d+$/.test(version)) out.push(finding('WHEEL_FILE_INVALID', `Wheel-Version is ${version ?? 'missing'}; only 1.x is understood`, { wheelVersion: version ?? null }));
  const purelib = values('root-is-purelib')[0];
  if (purelib !== 'true' && purelib !== 'false') out.push(finding('WHEEL_FILE_INVALID', `Root-Is-Purelib is ${purelib ?? 'missing'}`, { rootIsPurelib: purelib ?? null }));
  const tags = values('tag');
  if (name !== null && tags.length > 0) {
    let declared: string[];
    try {
      declared = tags.flatMap((t) => parseTag(t).map(tagToString)).sort();
    } catch (error) {
      return [...out, finding('WHEEL_FILE_INVALID', `invalid Tag in WHEEL: ${(error as Error).message}`, { tags })];
    }
    const expected = name.tags.map(tagToString).sort();
    if (declared.join(' ') !== expected.join(' ')) {
      out.push(finding('WHEEL_TAG_MISMATCH', `WHEEL declares ${declared.join(', ')}, the file name ${expected.join(', ')}`, { wheel: declared, filename: expected }));
    }
  }
  return out;
}

function checkMetadata(wheel: WheelUnderTest, dir: string, name: WheelFilename | null): Finding[] {
  const entry = wheel.find(`${dir}/METADATA`);
  if (entry === undefined) return [finding('WHEEL_METADATA_INVALID', `${dir}/METADATA is missing`, { directory: dir })];
  const headers = new Map(splitHeaders(wheel.read(entry).toString('utf8')).headers.map(([k, v]) => [k.toLowerCase(), v.trim()]));
  const missing = ['metadata-version', 'name', 'version'].filter((k) => !headers.get(k));
  if (missing.length > 0) return [finding('WHEEL_METADATA_INVALID', `METADATA lacks ${missing.join(', ')}`, { missing })];
  const out: Finding[] = [];
  const metaName = headers.get('name') as string;
  const metaVersion = headers.get('version') as string;
  if (name !== null && normalizeName(metaName) !== name.name) {
    out.push(finding('WHEEL_METADATA_MISMATCH', `METADATA names project "${metaName}", the file name "${name.name}"`, { field: 'Name', metadata: metaName, filename: name.name }));
  }
  if (name !== null && !sameVersion(metaVersion, name.version)) {
    out.push(finding('WHEEL_METADATA_MISMATCH', `METADATA has version ${metaVersion}, the file name ${name.version.toString()}`, { field: 'Version', metadata: metaVersion, filename: name.version.toString() }));
  }
  return out;
}

function checkDataDirectories(wheel: WheelUnderTest, dir: string): Finding[] {
  const expected = `${dir.slice(0, -'.dist-info'.length)}.data`;
  const out: Finding[] = [];
  for (const entry of wheel.requireArchive().entries) {
    const [top, scheme, rest] = entry.name.split('/', 3);
    if (top === undefined || !top.endsWith('.data') || !entry.name.includes('/')) continue;
    if (top !== expected) out.push(finding('WHEEL_DATA_SCHEME', `"${top}/" is not the wheel's data directory ${expected}/`, { entry: entry.name }));
    else if (entry.isDirectory && (scheme === '' || scheme === undefined)) continue;
    else if (scheme === undefined || !DATA_SCHEMES.has(scheme) || (rest === undefined && !entry.isDirectory)) {
      out.push(finding('WHEEL_DATA_SCHEME', `"${entry.name}" is not under one of ${[...DATA_SCHEMES].join('/')}`, { entry: entry.name }));
    }
  }
  return out;
}

/**
 * Wheel structure (binary distribution format): a valid file name, exactly one matching
 * `.dist-info` with a valid WHEEL and METADATA that agree with the file name, and `.data/`
 * only with the known install schemes.
 */
export const wheelStructureStep: VettingStep = {
  name: 'wheel-structure',
  async run(wheel) {
    const findings: Finding[] = [];
    const name = wheel.wheelName;
    if (name === null) findings.push(finding('WHEEL_FILENAME_INVALID', `"${wheel.filename}" is not a valid wheel file name`, { filename: wheel.filename }));
    const dirs = distInfoDirectories(wheel);
    if (dirs.length !== 1) {
      findings.push(finding('WHEEL_DIST_INFO', dirs.length === 0 ? 'no .dist-info directory' : `${dirs.length} .dist-info directories: ${dirs.join(', ')}`, { directories: dirs }));
      return { findings };
    }
    const dir = dirs[0] as string;
    if (name !== null) findings.push(...checkDistInfoName(dir, name));
    findings.push(...checkWheelFile(wheel, dir, name), ...checkMetadata(wheel, dir, name), ...checkDataDirectories(wheel, dir));
    return { findings };
  },
};
