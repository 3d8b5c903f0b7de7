import { z } from 'zod';
import { describe, httpUrl, urlPrefix } from './fields.js';

export const hubSection = z
  .strictObject({
    bind_url: describe(httpUrl.default('http://127.0.0.1:8000'), {
      description:
        'Public URL the hub listens on (scheme, address, port). A non-loopback address without TLS refuses to start unless --insecure-http is given.',
    }),
    base_url: describe(urlPrefix.default('/'), {
      description: 'Path prefix of the whole hub; the hub itself lives under <base_url>hub/.',
    }),
    data_dir: describe(z.string().min(1).default('./data'), {
      description: 'Directory for the SQLite database, the cookie secret and other state. Created if missing (mode 0700).',
    }),
    db_url: describe(z.string().min(1).nullable().default(null), {
      description:
        'Database URL. Empty means SQLite at <data_dir>/bulwark.sqlite. Use postgresql://user:password@host:port/db for PostgreSQL.',
      secret: true,
    }),
    cookie_max_age_days: describe(z.number().positive().default(14), {
      description: 'How long a login lasts before the browser must sign in again (days).',
    }),
    concurrent_spawn_limit: describe(z.number().int().nonnegative().default(100), {
      description: 'Maximum number of servers starting at the same time; 0 means no limit.',
    }),
    insecure_http: describe(z.boolean().default(false), {
      description: 'Allow plain HTTP on a non-loopback address. Only for networks you trust completely.',
    }),
    tls: z
      .strictObject({
        keystore: describe(z.string().min(1).nullable().default(null), {
          description:
            'Where the TLS certificate and key come from: a pkcs11:, keyctl:, pkcs12: or pem: URI. Empty means plain HTTP.',
          secret: true,
        }),
      })
      .prefault({}),
  })
  .prefault({});
