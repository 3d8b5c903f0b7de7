import { defineErrors } from '../error-definition.js';

/** Errors of the package channel: index, uploads, storage. */
export const channelErrors = defineErrors({
  CHANNEL_PROJECT_NOT_FOUND: {
    status: 404,
    message: 'No project named {name} in this channel',
    description: 'The channel serves only what was published to it; it never falls back to another index.',
  },
  CHANNEL_FILE_NOT_FOUND: {
    status: 404,
    message: 'No file named {filename} in this channel',
    description: 'The file was never uploaded, awaits approval, belongs to a quarantined project, or failed its integrity check.',
  },
  CHANNEL_NOT_ACCEPTABLE: {
    status: 406,
    message: 'None of the requested media types is available; this index serves {available}',
    description:
      'The Accept header (or ?format=) named no serialization of the Simple API this channel offers (PEP 691 HTML or JSON, version 1).',
  },
  CHANNEL_AUTH_REQUIRED: {
    status: 401,
    message: 'Authentication required: {detail}',
    description:
      'The request carries no valid token. Publish with twine using the user name __token__ and a token holding channel:publish; with channel.require_auth, readers need channel:read.',
  },
  CHANNEL_SCOPE_MISSING: {
    status: 403,
    message: 'This token may not {action}; it needs the {scope} scope',
    description: 'The token is valid but lacks the scope the action needs; create one with `bulwark token create USER --scopes \u2026`.',
  },
  CHANNEL_UPLOAD_INVALID: {
    status: 400,
    message: 'Invalid upload: {reason}',
    description: 'The upload form is malformed or misses a field twine always sends (:action, name, version, content).',
  },
  CHANNEL_UPLOAD_FILENAME_INVALID: {
    status: 400,
    message: 'Invalid distribution file name {filename}: {reason}',
    description: 'The file name contains a path separator, is not a valid wheel name, or (for sdists) is not a valid .tar.gz name.',
  },
  CHANNEL_UPLOAD_SDIST_REFUSED: {
    status: 400,
    message: 'Only wheels are accepted, not {filename}; set channel.policy.allow_sdist to accept source distributions',
    description: 'Source distributions run code at install time, so the channel takes wheels only unless the policy allows sdists.',
  },
  CHANNEL_UPLOAD_DIGEST_MISMATCH: {
    status: 400,
    message: 'The {digest} of {filename} does not match the uploaded bytes (declared {declared}, received {actual})',
    description: 'The file was damaged in transit or the form lies about it; nothing was stored. Upload it again.',
  },
  CHANNEL_UPLOAD_DIGEST_MISSING: {
    status: 400,
    message: 'The upload of {filename} carries neither sha256_digest nor blake2_256_digest',
    description: 'Every upload must declare a digest so the channel can prove it stored the bytes the publisher sent.',
  },
  CHANNEL_UPLOAD_METADATA_MISMATCH: {
    status: 400,
    message: '{filename}: {field} is {found} but the file name says {expected}',
    description: 'The file name, the form fields and the METADATA inside the wheel must name the same project and version.',
  },
  CHANNEL_UPLOAD_INVALID_WHEEL: {
    status: 400,
    message: '{filename} is not a valid wheel: {reason}',
    description: 'The archive is truncated or damaged, or lacks exactly one <name>-<version>.dist-info/METADATA.',
  },
  CHANNEL_UPLOAD_TOO_LARGE: {
    status: 413,
    message: '{filename} is larger than channel.max_upload_size ({limit} bytes)',
    description: 'Raise channel.max_upload_size if the file is genuine.',
  },
  CHANNEL_FILE_EXISTS: {
    status: 409,
    message: 'File already exists: {filename}',
    description:
      'A file of this name was uploaded before. Files are immutable: publish a new version (twine upload --skip-existing treats this as success).',
  },
  CHANNEL_FILE_CONFLICT: {
    status: 409,
    message: 'File already exists with different content: {filename} (stored sha256 {stored}, new sha256 {actual})',
    description: 'A staging directory holds a file whose name is taken by different bytes; a file name can never be reused.',
  },
  CHANNEL_PROJECT_CLOSED: {
    status: 400,
    message: 'Project {name} is {status} and accepts no uploads',
    description: 'Archived and quarantined projects (PEP 792) take no new files; an administrator can make the project active again.',
  },
  CHANNEL_NO_MATCH: {
    status: 404,
    message: 'No file of {name} matches {selector}',
    description: 'approve, yank and delete take a project name and optionally one version or one file name of that project.',
  },
  CHANNEL_DELETE_NEEDS_FORCE: {
    status: 400,
    message: 'Deleting {count} file(s) of {name} cannot be undone and breaks pinned installs; yank instead, or pass --force',
    description: 'Files are yanked, not deleted; a hard delete is possible with --force and is audited.',
  },
  CHANNEL_INTEGRITY_FAILED: {
    status: 500,
    message: 'Stored file {filename} no longer matches its sha256 (expected {expected}, found {actual})',
    description: 'The blob on disk changed or vanished; the file is withheld from the index. Restore it from a backup and run `bulwark channel fsck`.',
  },
  CHANNEL_WHEELHOUSE_UNREADABLE: {
    status: 400,
    message: 'Cannot read the wheelhouse {path}: {reason}',
    description: 'channel ingest --wheelhouse needs a readable directory of distribution files.',
  },
  CHANNEL_INGEST_REQUIREMENTS_INVALID: {
    status: 400,
    message: 'Cannot ingest from this requirements file: {reason}',
    description: 'channel ingest --from-index mirrors exactly the files a hash-pinned requirements file names: every line must be name==version with --hash=sha256:\u2026.',
  },
  CHANNEL_INGEST_UPSTREAM_FAILED: {
    status: 502,
    message: 'Ingest from {url} failed: {reason}',
    description: 'The staging index did not answer, or does not offer a file with a hash the requirements file lists.',
  },
  CHANNEL_APPROVAL_REFUSED: {
    status: 409,
    message: '{count} file(s) not approved: {files}',
    description: 'Vetting still rejects the files; read `bulwark channel status NAME`, then waive the findings (approve --waive ID, or channel waive) or publish a fixed version. Malicious releases can never be approved.',
  },
  CHANNEL_REVIEW_REASON_REQUIRED: {
    status: 400,
    message: '{action} needs a reason',
    description: 'Rejecting a file, and approving it with waivers, are audited decisions: give the reason in the form (or --reason on the command line).',
  },
});
