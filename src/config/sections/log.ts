import { z } from 'zod';
import { describe } from './fields.js';

export const logSection = z
  .strictObject({
    level: describe(z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'), {
      description: 'Lowest level written to the log.',
    }),
    format: describe(z.enum(['auto', 'json', 'pretty']).default('auto'), {
      description: 'auto: pretty on a terminal, JSON lines otherwise.',
    }),
    audit_file: describe(z.string().min(1).nullable().default(null), {
      description: 'Also append audit events as JSON lines to this file. Empty means <data_dir>/audit.log.',
    }),
  })
  .prefault({});
