import { z } from 'zod';
import { describe } from './fields.js';

/** The built-in idle culler: what people install jupyterhub-idle-culler for, with its option names. */
export const cullerSection = z
  .strictObject({
    enabled: describe(z.boolean().default(false), { description: 'Stop servers that have been idle longer than culler.timeout.' }),
    timeout: describe(z.number().positive().default(3600), {
      description: 'Idle time after which a server is stopped (seconds). Activity comes from the proxy and from the servers themselves.',
    }),
    every: describe(z.number().nonnegative().default(0), { description: 'How often to check (seconds); 0 means half of culler.timeout.' }),
    max_age: describe(z.number().nonnegative().default(0), { description: 'Stop servers older than this even if active (seconds); 0 turns it off.' }),
    cull_users: describe(z.boolean().default(false), {
      description: 'Also delete users (not admins) who have no running server and have been inactive longer than culler.timeout.',
    }),
    remove_named_servers: describe(z.boolean().default(false), { description: 'Forget culled named servers instead of only stopping them.' }),
  })
  .prefault({});
