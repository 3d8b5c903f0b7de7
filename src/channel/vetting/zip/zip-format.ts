/** Record signatures of the ZIP format (APPNOTE.TXT 6.3.x), little-endian u32. */
export const Signature = {
  local: 0x04034b50,
  central: 0x02014b50,
  end: 0x06054b50,
  zip64End: 0x06064b50,
  zip64Locator: 0x07064b50,
  dataDescriptor: 0x08074b50,
} as const;

/** General-purpose flag bits that matter to vetting. */
export const ZipFlag = {
  encrypted: 0x0001,
  dataDescriptor: 0x0008,
  utf8: 0x0800,
} as const;

/** Fixed lengths of the records, without their variable parts. */
export const RecordLength = { local: 30, central: 46, end: 22, zip64Locator: 20, zip64End: 56 } as const;

/** The ZIP64 extended-information extra field id. */
export const ZIP64_EXTRA_ID = 0x0001;

/** The end-of-central-directory record, merged with its ZIP64 counterpart when present. */
export interface EndOfCentralDirectory {
  /** Offset of the classic EOCD record. */
  offset: number;
  diskNumber: number;
  centralDirectoryDisk: number;
  entriesOnDisk: number;
  entriesTotal: number;
  centralDirectorySize: number;
  centralDirectoryOffset: number;
  comment: Buffer;
  /** Offset just after the comment; anything between here and the end of the file is trailing data. */
  end: number;
  /** How many byte positions in the searched tail look like an EOCD signature (more than one is ambiguous). */
  signatureCount: number;
  zip64: { locatorOffset: number; recordOffset: number } | null;
}

/** An optional data descriptor after an entry's data (flag bit 3). */
export interface DataDescriptor {
  offset: number;
  /** Whether it starts with the optional signature. */
  signed: boolean;
  length: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
}

/** A local file header, as it sits before the entry's data. */
export interface LocalHeader {
  offset: number;
  versionNeeded: number;
  flags: number;
  method: number;
  modTime: number;
  modDate: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  nameBytes: Buffer;
  name: string;
  extra: Buffer;
  /** Where the (compressed) data begins. */
  dataOffset: number;
  dataDescriptor: DataDescriptor | null;
}

/** One central-directory entry with everything raw that integrity checks need. */
export interface CentralEntry {
  index: number;
  /** Offset of this central-directory header. */
  offset: number;
  versionMadeBy: number;
  versionNeeded: number;
  flags: number;
  method: number;
  modTime: number;
  modDate: number;
  crc32: number;
  compressedSize: number;
  uncompressedSize: number;
  nameBytes: Buffer;
  /** Decoded as the reader that installs it would: UTF-8 with flag bit 11, else CP437. */
  name: string;
  nameEncoding: 'utf8' | 'cp437' | 'ascii';
  /** UTF-8 flagged but not valid UTF-8. */
  nameInvalid: boolean;
  extra: Buffer;
  comment: Buffer;
  diskStart: number;
  internalAttributes: number;
  externalAttributes: number;
  localHeaderOffset: number;
  /** Unix st_mode from the high half of the external attributes, or null when absent. */
  unixMode: number | null;
  isDirectory: boolean;
  local: LocalHeader | null;
  /** Why the local header could not be read, when `local` is null. */
  localError: string | null;
}

/** A parsed archive: the bytes, the end record, the entries and what could not be read. */
export interface ZipArchive {
  buffer: Buffer;
  end: EndOfCentralDirectory;
  entries: CentralEntry[];
  /** Structural problems met while reading; the reader records them instead of giving up. */
  issues: string[];
}

/** The archive cannot be read at all (no end record, central directory out of bounds). */
export class ZipFormatError extends Error {
  override readonly name = 'ZipFormatError';
}

/** An entry cannot be extracted (limits, CRC, sizes, unsupported method). */
export class ZipExtractError extends Error {
  override readonly name = 'ZipExtractError';
  constructor(
    message: string,
    readonly reason: 'limit' | 'crc' | 'size' | 'method' | 'encrypted' | 'bounds' | 'inflate',
  ) {
    super(message);
  }
}
