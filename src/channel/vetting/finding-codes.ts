import type { Severity } from './finding.js';

interface FindingCodeDefinition {
  readonly severity: Severity;
  readonly description: string;
}

/**
 * Every code a vetting step can report, with its default severity and what it means. Codes are
 * permanent: approvers write waivers against them, and stored reports keep them.
 */
export const findingCodes = {
  STEP_ERROR: { severity: 'high', description: 'The step itself failed; the file cannot be called safe, so it is rejected.' },
  ZIP_UNREADABLE: { severity: 'critical', description: 'No usable end record or central directory: not a zip archive, or truncated.' },
  ZIP_STRUCTURE: { severity: 'high', description: 'Counts, offsets or disk numbers of the archive disagree, or several end records exist.' },
  ZIP_TRAILING_DATA: { severity: 'high', description: 'Bytes after the end-of-central-directory record (or its comment).' },
  ZIP_HIDDEN_DATA: { severity: 'critical', description: 'Bytes or local entries the central directory does not account for (prefix, gaps, overlaps).' },
  ZIP_HEADER_MISMATCH: { severity: 'critical', description: 'A local header disagrees with its central-directory entry: another unzip would see other content.' },
  ZIP_PATH_TRAVERSAL: { severity: 'critical', description: 'An entry name contains a ".." segment (zip-slip).' },
  ZIP_ABSOLUTE_PATH: { severity: 'critical', description: 'An entry name is absolute or starts with a drive letter.' },
  ZIP_BACKSLASH_NAME: { severity: 'high', description: 'An entry name contains a backslash, which Windows treats as a separator.' },
  ZIP_CONTROL_CHARACTER: { severity: 'high', description: 'An entry name contains NUL or another control character.' },
  ZIP_NAME_ENCODING: { severity: 'high', description: 'A non-ASCII name without the UTF-8 flag, or invalid UTF-8: tools would decode it differently.' },
  ZIP_SYMLINK: { severity: 'critical', description: 'An entry is a symbolic link or another special file.' },
  ZIP_DUPLICATE_NAME: { severity: 'critical', description: 'Two entries have the same name after case folding and Unicode normalisation.' },
  ZIP_ENCRYPTED: { severity: 'high', description: 'An entry is encrypted; it cannot be inspected.' },
  ZIP_UNSUPPORTED_METHOD: { severity: 'high', description: 'An entry uses a compression method other than stored or deflate.' },
  ZIP_BOMB: { severity: 'critical', description: 'Total size, entry count or compression ratio exceeds the channel.policy limits.' },
  ZIP_CORRUPT_ENTRY: { severity: 'critical', description: 'An entry does not decompress to its declared size and CRC-32.' },
  WHEEL_FILENAME_INVALID: { severity: 'high', description: 'The file name is not a valid wheel file name.' },
  WHEEL_DIST_INFO: { severity: 'high', description: 'Not exactly one top-level .dist-info directory, or it does not match the file name.' },
  WHEEL_FILE_INVALID: { severity: 'high', description: 'The .dist-info/WHEEL file is missing or invalid.' },
  WHEEL_TAG_MISMATCH: { severity: 'high', description: 'The tags in WHEEL differ from the tags in the file name.' },
  WHEEL_METADATA_INVALID: { severity: 'high', description: 'METADATA is missing, or lacks Metadata-Version, Name or Version.' },
  WHEEL_METADATA_MISMATCH: { severity: 'high', description: 'METADATA names another project or version than the file name.' },
  WHEEL_DATA_SCHEME: { severity: 'high', description: 'A .data directory with a wrong name or a scheme outside purelib/platlib/scripts/headers/data.' },
  RECORD_MISSING: { severity: 'high', description: 'The .dist-info/RECORD file is missing or cannot be parsed.' },
  RECORD_UNLISTED_FILE: { severity: 'high', description: 'A member of the archive is not listed in RECORD.' },
  RECORD_MISSING_FILE: { severity: 'high', description: 'RECORD lists a file that is not in the archive.' },
  RECORD_DUPLICATE_ENTRY: { severity: 'high', description: 'RECORD lists the same path twice.' },
  RECORD_HASH_MISMATCH: { severity: 'critical', description: 'A member does not have the hash RECORD gives for it.' },
  RECORD_SIZE_MISMATCH: { severity: 'high', description: 'A member does not have the size RECORD gives for it.' },
  RECORD_HASH_MISSING: { severity: 'high', description: 'A RECORD entry other than RECORD itself has no hash, or an algorithm weaker than sha256.' },
  STARTUP_PTH_EXEC: { severity: 'critical', description: 'A .pth file installed into site-packages has lines that Python executes at every start-up.' },
  STARTUP_CUSTOMIZE: { severity: 'critical', description: 'sitecustomize or usercustomize, which Python imports at every start-up.' },
  DEPENDENCY_DIRECT_URL: { severity: 'high', description: 'A Requires-Dist names a direct URL, which bypasses the channel.' },
  DEPENDENCY_INVALID: { severity: 'high', description: 'A Requires-Dist is not a valid PEP 508 requirement.' },
  SECRET_PRIVATE_KEY: { severity: 'critical', description: 'A private key (PEM/OpenSSH/PGP) is shipped in the wheel.' },
  SECRET_CLOUD_CREDENTIAL: { severity: 'critical', description: 'A cloud credential (AWS, Google) is shipped in the wheel.' },
  SECRET_TOKEN: { severity: 'critical', description: 'An API token (GitHub, Slack, PyPI, Stripe\u2026) is shipped in the wheel.' },
  WEAKNESS_PLAIN_HTTP: { severity: 'low', description: 'Code contains plain http:// URLs; severity (and so blocking) comes from channel.policy.http_url_severity.' },
  NAME_TYPOSQUAT: { severity: 'high', description: 'A new project name is close to a popular or existing one; a person must decide.' },
  VULN_KNOWN: { severity: 'high', description: 'The version is affected by an advisory; blocking follows channel.policy.block_at_cvss.' },
  VULN_MALICIOUS: { severity: 'critical', description: 'The version is a known malicious release (OSV MAL-); always blocked.' },
  POLICY_LICENSE: { severity: 'high', description: 'The licence is not in channel.policy.license_allowlist.' },
  POLICY_LICENSE_UNKNOWN: { severity: 'high', description: 'No licence could be determined from License-Expression, classifiers or License.' },
  POLICY_NOT_WHEEL: { severity: 'high', description: 'Not a wheel, and channel.policy.allow_sdist is off.' },
  POLICY_TOO_NEW: { severity: 'high', description: 'Published upstream more recently than channel.policy.minimum_age_hours.' },
  POLICY_AGE_UNKNOWN: { severity: 'low', description: 'A minimum age is set but the file carries no upstream publication time.' },
} as const satisfies Record<string, FindingCodeDefinition>;

/** A finding code of {@link findingCodes}. */
export type FindingCode = keyof typeof findingCodes;
