import { z } from 'zod';
import { describe, httpUrl, urlPrefix } from './fields.js';
import { internalTlsSection, tlsSection } from './tls.js';

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
    active_server_limit: describe(z.number().int().nonnegative().default(0), {
      description: 'Maximum number of running or starting servers; further starts get 429. 0 means no limit.',
    }),
    user_spawn_interval: describe(z.number().nonnegative().default(0), {
      description: 'Seconds a user must wait between two starts of the same server (per-user throttling; 429 with Retry-After). 0 means no wait.',
    }),
    allow_named_servers: describe(z.boolean().default(false), {
      description: 'Let users run several servers at once, each under /user/<name>/<server>/.',
    }),
    named_server_limit_per_user: describe(z.number().int().nonnegative().default(0), {
      description: 'Most named servers one user may have (running or stopped); 0 means no limit.',
    }),
    token_expires_in_max_seconds: describe(z.number().int().nonnegative().default(0), {
      description:
        'Longest lifetime (seconds) of a token created through the REST API or the token page (JupyterHub 5.1 JupyterHub.token_expires_in_max_seconds). A request without an expiry gets this one, a longer one is refused with 400. 0 means no limit. Server, OAuth, service and `bulwark token` tokens are not affected.',
    }),
    insecure_http: describe(z.boolean().default(false), {
      description: 'Allow plain HTTP on a non-loopback address. Only for networks you trust completely.',
    }),
    tls: tlsSection,
    internal_tls: internalTlsSection,
  })
  .prefault({});
