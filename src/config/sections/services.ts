import { z } from 'zod';
import { describe } from './fields.js';

const service = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'expected a lower-case service name'),
  url: z.string().url().optional(),
  api_token: z.string().min(16).optional().meta({ secret: true, description: 'API token of the service' }),
  command: z.array(z.string()).optional(),
  admin: z.boolean().default(false),
});

export const servicesSection = describe(z.array(service).default([]), {
  description: 'JupyterHub services: external (url + api_token) or managed (command). Wired in a later release.',
});
