import type { OptionSpec } from './command.js';

/**
 * Options every command takes. Kept apart from the config loader (common-options.ts) so the
 * dispatcher can parse arguments without loading zod and yaml: `bulwark proxy` without a config
 * file never needs them (memory).
 */
export const commonOptions: Readonly<Record<string, OptionSpec>> = {
  config: { type: 'string', description: 'Config file (default ./bulwark.yaml if present)' },
  set: { type: 'string', multiple: true, description: 'Override a config key: --set hub.bind_url=http://127.0.0.1:9000' },
  json: { type: 'boolean', description: 'Machine-readable output' },
  help: { type: 'boolean', short: 'h', description: 'Show help' },
};
