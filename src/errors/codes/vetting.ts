import { defineErrors } from '../error-definition.js';

/** Errors of the vetting pipeline, advisories and approvals. */
export const vettingErrors = defineErrors({
  CHANNEL_VETTING_REJECTED: {
    status: 409,
    message: '{filename} was rejected by vetting: {reason}',
    description: 'The file failed an automated check; its report says which and why. An approver may waive a finding.',
  },
});
