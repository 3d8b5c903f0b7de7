import { createHash } from 'node:crypto';
import { crc32, deflateRawSync } from 'node:zlib';

/** What a test wheel contains; every field has a working default. */
export interface WheelSpec {
  name: string;
  version: string;
  requiresDist?: string[];
  requiresPython?: string;
  summary?: string;
  /** Extra files (path → text) besides `<module>/__init__.py`. */
  files?: Record<string, string>;
  tag?: string;
  /** Lie in METADATA (for tests of the refusal paths). */
  metadataName?: string;
  metadataVersion?: string;
  /** A licence classifier (the channel's policy wants a licence); null leaves it out. Default MIT. */
  licenseClassifier?: string | null;
}

export interface BuiltWheel {
  filename: string;
  bytes: Buffer;
  /** The exact METADATA bytes inside, for comparing with the served .metadata file. */
  metadata: Buffer;
  /** The RECORD inside (path,sha256=…,size lines), for checking what an installer put on disk. */
  record: string;
  sha256: string;
}

/** The wheel spec's escaping of a project name in file and directory names. */
export function wheelNamePart(name: string): string {
  return name.replace(/[-_.]+/g, '_');
}

function recordHash(bytes: Buffer): string {
  return `sha256=${createHash('sha256').update(bytes).digest('base64url')}`;
}

/** A minimal zip writer: deflated entries, local headers, central directory, end record. */
export function zipEntries(entries: ReadonlyArray<readonly [string, Buffer]>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of entries) {
    const nameBytes = Buffer.from(name, 'utf8');
    const compressed = deflateRawSync(data);
    const crc = crc32(data) >>> 0;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(0x0314, 4); // made by Unix, so the mode below is read as Unix permissions
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(8, 10);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, compressed);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + compressed.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}

/**
 * Builds a real, installable pure-Python wheel: a module, METADATA, WHEEL and a RECORD with
 * correct urlsafe-base64 sha256 hashes and sizes (RECORD lists itself without a hash).
 */
export function buildWheel(spec: WheelSpec): BuiltWheel {
  const part = wheelNamePart(spec.name);
  const tag = spec.tag ?? 'py3-none-any';
  const distInfo = `${part}-${spec.version}.dist-info`;
  const module = part.toLowerCase();
  const metadataLines = [
    'Metadata-Version: 2.1',
    `Name: ${spec.metadataName ?? spec.name}`,
    `Version: ${spec.metadataVersion ?? spec.version}`,
    `Summary: ${spec.summary ?? `Test package ${spec.name}`}`,
    ...(spec.licenseClassifier === null ? [] : [`Classifier: ${spec.licenseClassifier ?? 'License :: OSI Approved :: MIT License'}`]),
    ...(spec.requiresPython ? [`Requires-Python: ${spec.requiresPython}`] : []),
    ...(spec.requiresDist ?? []).map((requirement) => `Requires-Dist: ${requirement}`),
  ];
  const metadata = Buffer.from(`${metadataLines.join('\n')}\n\nA package built by the Bulwark tests.\n`, 'utf8');
  const wheelFile = Buffer.from(`Wheel-Version: 1.0\nGenerator: bulwark-test-wheel-builder\nRoot-Is-Purelib: true\nTag: ${tag}\n`, 'utf8');
  const contents: Array<[string, Buffer]> = [
    [`${module}/__init__.py`, Buffer.from(`__version__ = "${spec.version}"\n`, 'utf8')],
    ...Object.entries(spec.files ?? {}).map(([path, text]): [string, Buffer] => [path, Buffer.from(text, 'utf8')]),
    [`${distInfo}/METADATA`, metadata],
    [`${distInfo}/WHEEL`, wheelFile],
  ];
  const record = Buffer.from(
    [...contents.map(([path, data]) => `${path},${recordHash(data)},${data.length}`), `${distInfo}/RECORD,,`, ''].join('\n'),
    'utf8',
  );
  const bytes = zipEntries([...contents, [`${distInfo}/RECORD`, record]]);
  return { filename: `${part}-${spec.version}-${tag}.whl`, bytes, metadata, record: record.toString('utf8'), sha256: createHash('sha256').update(bytes).digest('hex') };
}
