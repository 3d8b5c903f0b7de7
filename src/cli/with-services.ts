import { loadCommandConfig } from './common-options.js';
import type { CommandIo, ParsedArgs } from './command.js';
import { createLogger } from '../log/index.js';
import { openServices, type CoreServices } from '../server/services.js';

/** Opens the database and identity services for one command, and always closes them. */
export async function withServices<T>(args: ParsedArgs, io: CommandIo, work: (services: CoreServices) => Promise<T>): Promise<T> {
  const { config } = loadCommandConfig(args, io);
  // Commands print their results on stdout; only warnings and errors go to the log (stderr).
  const logger = createLogger({ level: 'warn', pretty: false }, io.stderr);
  const services = await openServices(config, { logger });
  try {
    return await work(services);
  } finally {
    await services.close();
  }
}
