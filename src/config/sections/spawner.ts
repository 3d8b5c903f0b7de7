import { z } from 'zod';
import { describe, seconds } from './fields.js';

/** `512M`, `2G`, `1024K` or a plain byte count, as JupyterHub's mem_limit accepts. */
const byteSize = z
  .union([z.number().int().positive(), z.string().regex(/^\d+(?:\.\d+)?[KMGT]?$/i, 'expected a size such as 512M or 2G')])
  .transform((value) => String(value));

export const spawnerSection = z
  .strictObject({
    class: describe(z.enum(['local']).default('local'), {
      description: 'local: each server is a process running as the user\'s own OS account.',
    }),
    cmd: describe(z.array(z.string().min(1)).min(1).default(['jupyterhub-singleuser']), {
      description: 'Command that starts a single-user server.',
    }),
    args: describe(z.array(z.string()).default([]), {
      description: 'Extra arguments appended to cmd.',
    }),
    environment: describe(z.record(z.string(), z.string()).default({}), {
      description: 'Extra environment for every server; applied last, so it can override the contract variables.',
    }),
    notebook_dir: describe(z.string().min(1).nullable().default(null), {
      description: 'Working and root directory of the server; {username} expands. Empty means the home directory.',
    }),
    default_url: describe(z.string().min(1).nullable().default(null), {
      description: 'Where /user/<name>/ lands, e.g. /tree or /lab.',
    }),
    min_uid: describe(z.number().int().nonnegative().default(1000), {
      description: 'Refuse to start servers for accounts with a lower uid (system accounts). Root is always refused.',
    }),
    ip: describe(z.string().min(1).default('127.0.0.1'), {
      description: 'Address the single-user servers listen on.',
    }),
    port: describe(z.number().int().min(0).max(65535).default(0), {
      description: 'Port of the single-user servers; 0 picks a free port per server.',
    }),
    start_timeout: seconds(60, 'How long a server may take to start before it is stopped and the spawn fails'),
    http_timeout: seconds(30, 'How long the hub polls a started server for an HTTP answer'),
    poll_interval: seconds(30, 'How often the hub checks that running servers are still alive'),
    mem_limit: describe(byteSize.nullable().default(null), {
      description: 'Memory limit per server (e.g. 2G), enforced with a cgroup or, failing that, an address-space rlimit.',
    }),
    cleanup_servers: describe(z.boolean().default(true), {
      description: 'Stop all single-user servers when the hub stops. As in JupyterHub, true by default.',
    }),
  })
  .prefault({});
