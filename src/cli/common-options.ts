import type { OptionSpec, ParsedArgs } from './command.js';
import { loadConfig, type LoadedConfig } from '../config/index.js';
import { parseScalar } from '../config/sources.js';
import { BulwarkError } from '../errors/index.js';

export { commonOptions } from './common-option-specs.js';

/** Flags of the commands that start the hub's listener (`hub`, `up`). */
export const hubListenerOptions: Readonly<Record<string, OptionSpec>> = {
  'bind-url': { type: 'string', description: 'Public URL to listen on (hub.bind_url)' },
  'data-dir': { type: 'string', description: 'State directory (hub.data_dir)' },
  'db-url': { type: 'string', description: 'Database URL (hub.db_url)' },
  'log-level': { type: 'string', description: 'Log level (log.level)' },
  'insecure-http': { type: 'boolean', description: 'Allow plain HTTP on a non-loopback address' },
};

/** Flags that are shortcuts for config keys, shared by the commands that take them. */
export const configFlagKeys: Readonly<Record<string, string>> = {
  'bind-url': 'hub.bind_url',
  'data-dir': 'hub.data_dir',
  'db-url': 'hub.db_url',
  'log-level': 'log.level',
};

export function flagSettings(args: ParsedArgs): Record<string, unknown> {
  const settings: Record<string, unknown> = {};
  for (const [flag, key] of Object.entries(configFlagKeys)) {
    const value = args.options[flag];
    if (typeof value === 'string') settings[key] = value;
  }
  if (args.options['insecure-http'] === true) settings['hub.insecure_http'] = true;
  const sets = args.options['set'];
  for (const assignment of Array.isArray(sets) ? sets : []) {
    const eq = assignment.indexOf('=');
    if (eq <= 0) throw new BulwarkError('CLI_USAGE', { detail: `--set expects key=value, got "${assignment}"` });
    settings[assignment.slice(0, eq)] = parseScalar(assignment.slice(eq + 1));
  }
  return settings;
}

export function loadCommandConfig(args: ParsedArgs, io: { env: Readonly<Record<string, string | undefined>>; cwd: string }): LoadedConfig {
  const file = args.options['config'];
  return loadConfig({
    file: typeof file === 'string' ? file : undefined,
    env: io.env,
    cwd: io.cwd,
    flags: flagSettings(args),
  });
}
