import { defineErrors } from '../error-definition.js';

/** Errors of the package channel: index, uploads, storage. */
export const channelErrors = defineErrors({
  CHANNEL_PROJECT_NOT_FOUND: {
    status: 404,
    message: 'No project named {name} in this channel',
    description: 'The channel serves only what was published to it; it never falls back to another index.',
  },
});
