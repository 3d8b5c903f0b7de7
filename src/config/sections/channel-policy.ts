import { z } from 'zod';
import { describe } from './fields.js';

/** `channel.policy.*`: what the channel accepts and serves. */
export const channelPolicySection = z
  .strictObject({
    require_vetting: describe(z.boolean().default(true), {
      description: 'Keep uploads out of the index until vetted and approved.',
    }),
  })
  .prefault({});
