import type { BulwarkConfig } from '../config/index.js';
import { createLogger, type Logger } from '../log/index.js';

/** The logger of a long-running command: log.level, and pretty lines when asked or on a terminal. */
export function createServiceLogger(config: { readonly log: Readonly<Pick<BulwarkConfig['log'], 'level' | 'format'>> }): Logger {
  const pretty = config.log.format === 'pretty' || (config.log.format === 'auto' && process.stderr.isTTY === true);
  return createLogger({ level: config.log.level, pretty });
}
