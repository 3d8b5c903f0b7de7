import { z } from 'zod';
import { describe, httpUrl, seconds } from './fields.js';

export const proxySection = z
  .strictObject({
    mode: describe(z.enum(['embedded', 'external']).default('embedded'), {
      description:
        'embedded: the hub process proxies /user/<name>/ itself. external: the hub drives a configurable-http-proxy-compatible proxy through its REST API.',
    }),
    api_url: describe(httpUrl.nullable().default(null), {
      description: 'REST API URL of the external proxy (mode: external), e.g. http://127.0.0.1:8001.',
    }),
    auth_token: describe(z.string().min(1).nullable().default(null), {
      description: 'Token for the external proxy API (CONFIGPROXY_AUTH_TOKEN).',
      secret: true,
    }),
    check_routes_interval: seconds(30, 'How often the hub re-syncs routes with an external proxy'),
    routes_file: describe(z.string().min(1).nullable().default(null), {
      description:
        '`bulwark proxy` only: a JSON file where the proxy saves its route table and reloads it at start-up, so a restarted proxy serves routes before the hub calls (same as --routes-file).',
    }),
  })
  .prefault({});
