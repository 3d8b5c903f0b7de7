import type { Logger } from '../../../src/log/logger.js';

export interface LogRecord {
  level: 'debug' | 'info' | 'warn' | 'error';
  bindings: Record<string, unknown>;
  obj: object;
  msg: string;
}

/** A Logger that keeps every record in memory, so tests can check what the spawner logged. */
export function recordingLogger(records: LogRecord[] = [], bindings: Record<string, unknown> = {}): Logger & { records: LogRecord[] } {
  const write = (level: LogRecord['level']) => (obj: object, msg = '') => {
    records.push({ level, bindings, obj, msg });
  };
  return {
    records,
    debug: write('debug'),
    info: write('info'),
    warn: write('warn'),
    error: write('error'),
    child: (more) => recordingLogger(records, { ...bindings, ...more }),
  };
}
