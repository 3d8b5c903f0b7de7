import { loadCommandConfig } from '../common-options.js';
import { ExitCode, writeLine, type Command } from '../command.js';
import { resolveDataDir } from '../../server/services.js';
import { openDatabase, schemaStatus, upgradeSchema } from '../../storage/index.js';

export const dbCommands: Command[] = [
  {
    path: ['db', 'upgrade'],
    usage: 'db upgrade [--config FILE]',
    summary: 'Apply pending database migrations (safe to run again)',
    async run(args, io) {
      const { config } = loadCommandConfig(args, io);
      const database = openDatabase({ dbUrl: config.hub.db_url, dataDir: resolveDataDir(config) });
      try {
        const result = await upgradeSchema(database);
        if (args.options['json'] === true) writeLine(io.stdout, JSON.stringify(result));
        else if (result.applied.length === 0) writeLine(io.stdout, `database ${database.location} is up to date`);
        else writeLine(io.stdout, `applied ${result.applied.join(', ')} to ${database.location}`);
        return ExitCode.ok;
      } finally {
        await database.close();
      }
    },
  },
  {
    path: ['db', 'status'],
    usage: 'db status [--config FILE] [--json]',
    summary: 'Show applied and pending migrations',
    async run(args, io) {
      const { config } = loadCommandConfig(args, io);
      const database = openDatabase({ dbUrl: config.hub.db_url, dataDir: resolveDataDir(config) });
      try {
        const status = await schemaStatus(database);
        if (args.options['json'] === true) writeLine(io.stdout, JSON.stringify({ location: database.location, ...status }));
        else {
          writeLine(io.stdout, `database: ${database.location}`);
          writeLine(io.stdout, `applied: ${status.applied.join(', ') || '(none)'}`);
          writeLine(io.stdout, `pending: ${status.pending.join(', ') || '(none)'}`);
        }
        return status.unknown.length > 0 ? ExitCode.failure : ExitCode.ok;
      } finally {
        await database.close();
      }
    },
  },
];
