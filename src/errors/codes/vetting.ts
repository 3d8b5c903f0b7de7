import { defineErrors } from '../error-definition.js';

/** Errors of the vetting pipeline, advisories and approvals. */
export const vettingErrors = defineErrors({
  CHANNEL_VETTING_REJECTED: {
    status: 409,
    message: '{filename} was rejected by vetting: {reason}',
    description: 'The file failed an automated check; its report says which and why. An approver may waive a finding.',
  },
  CHANNEL_VETTING_FILE_UNREADABLE: {
    status: 404,
    message: 'Cannot read {path}: {reason}',
    description: 'A file given to `bulwark channel vet` does not exist or cannot be read; check the path and permissions.',
  },
  CHANNEL_ADVISORY_SOURCE_INVALID: {
    status: 422,
    message: 'Cannot import advisories from {path}: {reason}',
    description:
      'The path is neither osv.dev\'s PyPI/all.zip, a directory of OSV JSON files, nor the pypa/advisory-database layout (vulns/<name>/PYSEC-*.yaml), or it cannot be read.',
  },
  CHANNEL_WAIVER_INVALID: {
    status: 400,
    message: 'Invalid waiver: {reason}',
    description: 'A waiver names an advisory id or finding code and a file, and needs a reason and an expiry date in the future.',
  },
});
