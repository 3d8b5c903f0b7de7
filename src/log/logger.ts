import { pino, type Logger as PinoLogger, type LoggerOptions } from 'pino';

/**
 * The logging surface the rest of Bulwark depends on: pino's leveled methods with an object first.
 * Code takes this interface, not pino itself, so tests can pass a recording logger.
 */
export interface Logger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  child(bindings: Record<string, unknown>): Logger;
}

export interface LoggerSettings {
  level: 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal' | 'silent';
  /** Pretty output for people at a terminal; JSON lines otherwise (what log shippers want). */
  pretty: boolean;
}

/** Paths whose values never reach a log line, whatever object they are logged in. */
const redactedPaths = [
  'password',
  '*.password',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

export function createLogger(settings: LoggerSettings, destination?: NodeJS.WritableStream): PinoLogger {
  const options: LoggerOptions = {
    level: settings.level,
    redact: { paths: redactedPaths, censor: '[redacted]' },
    base: { pid: process.pid },
  };
  if (settings.pretty && destination === undefined) {
    return pino({ ...options, transport: { target: 'pino-pretty', options: { destination: 2 } } });
  }
  return pino(options, destination ?? pino.destination(2));
}

/** A logger that drops everything; for unit tests and commands that must print only their output. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
