import { z } from 'zod';
import { describe, httpUrl, seconds } from './fields.js';

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
    cpu_limit: describe(z.number().positive().nullable().default(null), {
      description: 'CPU cores per server (1.5 = one and a half), enforced with a cgroup cpu controller (v2 cpu.max, v1 cpu.cfs_quota_us); a start fails when neither exists.',
    }),
    pids_limit: describe(z.number().int().positive().nullable().default(null), {
      description: 'Most processes and threads per server, enforced with a pids cgroup or, failing that, RLIMIT_NPROC (which counts every process of the account).',
    }),
    port_range: describe(
      z
        .tuple([z.number().int().min(1).max(65535), z.number().int().min(1).max(65535)])
        .refine(([first, last]) => first <= last, 'the first port must not be above the last')
        .nullable()
        .default(null),
      { description: 'Ports [first, last] servers listen on, e.g. [30000, 39999]; empty means any free port. Ignored when port is set.' },
    ),
    pre_spawn_hook: describe(z.array(z.string().min(1)).min(1).nullable().default(null), {
      description:
        'Command (argv, no shell) run as root before each start with BULWARK_HOOK, BULWARK_USER, BULWARK_SERVER_NAME, BULWARK_UID, BULWARK_HOME set; a non-zero exit fails the start with its output.',
    }),
    post_stop_hook: describe(z.array(z.string().min(1)).min(1).nullable().default(null), {
      description: 'Command (argv, no shell) run as root after each stop or exit, with the same environment; failures are logged.',
    }),
    hook_timeout: seconds(30, 'How long pre_spawn_hook and post_stop_hook may run before they are killed'),
    cleanup_notebook_dir_on_delete: describe(z.boolean().default(false), {
      description:
        'Delete a named server\'s notebook_dir when the server is removed (DELETE \u2026 {"remove": true}). Never deletes /, a home directory, a symlink or an empty path.',
    }),
    cleanup_servers: describe(z.boolean().default(true), {
      description: 'Stop all single-user servers when the hub stops. As in JupyterHub, true by default.',
    }),
    package_channel: describe(z.string().min(1).nullable().default(null), {
      description:
        'Bind every server\'s pip to the package channel: "approved" = the channel\'s whole approved index, any other value = the name of a published release (its release-scoped index). Without venv_from_release, installs go to the person\'s user site (~/.local: Debian\'s Python is externally managed, so pip runs with --user --break-system-packages). Empty means pip is left as the machine configures it.',
    }),
    package_channel_url: describe(httpUrl.nullable().default(null), {
      description:
        'Base URL of the package channel the servers use, e.g. https://channel.example/. Empty means the channel mounted on this hub by `bulwark up`.',
    }),
    package_channel_ca: describe(z.string().min(1).nullable().default(null), {
      description: 'PEM file of the CA that signed an https package_channel_url\'s certificate; servers get it as PIP_CERT. Empty means the system trust store.',
    }),
    package_channel_token: describe(
      z
        .string()
        .regex(/^(?:file:\/|env:[A-Za-z_]|keyctl:user:)/, 'expected file:/PATH, env:VARIABLE or keyctl:user:DESCRIPTION (where the token is kept), never the token itself')
        .nullable()
        .default(null),
      {
        description:
          'Where the read token for a package_channel_url with channel.require_auth is kept: file:/PATH (mode 600), env:VARIABLE or keyctl:user:DESCRIPTION (the hub\'s kernel keyring); never the token itself. Read at start-up. The hub reads release pages with it and every server\'s pip gets it as the index URL\'s password (user __token__); make it on that channel with only the channel:read scope, since every notebook user can read it. Empty means the channel is read anonymously.',
      },
    ),
    venv_from_release: describe(z.boolean().default(false), {
      description:
        'On first spawn, create the person\'s virtual environment (as that person) from the release\'s requirements file with --require-hashes, run the server from it, and compare it with the release (verify-env) on each later start. Needs package_channel to be a release name.',
    }),
    venv_dir: describe(z.string().min(1).default('~/.bulwark/venvs/{release}'), {
      description: 'Where venv_from_release puts each person\'s environment; ~ is the home directory, {username} and {release} expand. Must lie in the home directory.',
    }),
    python: describe(z.string().regex(/^\//, 'expected an absolute path').default('/usr/bin/python3'), {
      description: 'The interpreter servers run on: venvs are made from it, and its version and platform pick the release\'s target.',
    }),
    venv_build_timeout: seconds(600, 'How long creating a venv and installing a release into it may take before the spawn fails'),
    pip_config_dir: describe(z.string().regex(/^\//, 'expected an absolute path').default('/run/bulwark/pip'), {
      description: 'Directory (made by the hub, mode 0711) for the pip.conf generated per server when package_channel is set; each file is readable by its server\'s user only.',
    }),
  })
  .superRefine((section, ctx) => {
    // A venv is built from one release's requirements file: the whole approved index has none.
    if (section.venv_from_release && (section.package_channel === null || section.package_channel === 'approved')) {
      ctx.addIssue({
        code: 'custom',
        path: ['venv_from_release'],
        message: `needs spawner.package_channel to name a published release (it is ${section.package_channel === null ? 'empty' : '"approved"'})`,
      });
    }
    // The channel of `bulwark up` shares the hub's accounts: each server's own token reads it.
    if (section.package_channel_token !== null && section.package_channel_url === null) {
      ctx.addIssue({ code: 'custom', path: ['package_channel_token'], message: 'is only for a channel elsewhere: set spawner.package_channel_url too' });
    }
  })
  .prefault({});
