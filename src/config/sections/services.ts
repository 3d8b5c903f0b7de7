import { z } from 'zod';
import { describe, stringList } from './fields.js';

const service = z.strictObject({
  name: describe(z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'expected a lower-case service name'), {
    description: 'Service name; the proxy serves it under /services/<name>/.',
  }),
  url: describe(z.string().url().optional(), {
    description: 'Where the service listens (http://host:port). With it, /services/<name>/ is routed there.',
  }),
  api_token: z.string().min(16).optional().meta({
    secret: true,
    description: 'API token of the service. A managed service without one gets a fresh token at every hub start.',
  }),
  command: describe(z.array(z.string()).optional(), {
    description: 'Makes the service managed: the hub starts this command (as the hub user, as JupyterHub does) and restarts it if it exits.',
  }),
  environment: describe(z.record(z.string(), z.string()).default({}), { description: 'Extra environment of a managed service.' }),
  cwd: describe(z.string().optional(), { description: 'Working directory of a managed service.' }),
  admin: describe(z.boolean().default(false), { description: 'Give the service the admin role.' }),
  oauth_client_allowed_scopes: describe(stringList.default([]), {
    description: 'Scopes the service may request for users logging in with OAuth, beyond identifying them.',
  }),
  oauth_no_confirm: describe(z.boolean().default(false), { description: 'Skip the consent page when users log in to the service.' }),
  oauth_redirect_uri: describe(z.string().optional(), { description: 'OAuth callback; default /services/<name>/oauth_callback.' }),
  oauth_client_id: describe(z.string().optional(), { description: 'OAuth client id; default service-<name>.' }),
  display: describe(z.boolean().default(true), { description: 'List the service on the home page.' }),
  info: describe(z.record(z.string(), z.string()).default({}), { description: 'Free-form information shown in the service model.' }),
});

export const servicesSection = describe(z.array(service).default([]), {
  description: 'JupyterHub services: external (url + api_token) or managed (command), with OAuth for services that log people in.',
});

/** One entry of services[]; POST /hub/api/services/{name} validates a runtime service with it too. */
export const serviceSchema = service;

export type ServiceConfig = z.output<typeof service>;
