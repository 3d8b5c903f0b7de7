import { resolve } from 'node:path';
import { BulwarkError } from '../../errors/index.js';
import { importAccounts } from '../../identity/import/import-accounts.js';
import { readJupyterHubDatabase } from '../../identity/import/jupyterhub-database.js';
import { cliActor } from '../../log/index.js';
import { ExitCode, writeLine, type Command } from '../command.js';
import { withServices } from '../with-services.js';

export const importCommands: Command[] = [
  {
    path: ['import', 'jupyterhub'],
    usage: 'import jupyterhub --db jupyterhub.sqlite [--dry-run] [--json]',
    summary: 'Import users, admin flags, groups and nativeauthenticator passwords from a JupyterHub database',
    options: {
      db: { type: 'string', description: 'Path of the JupyterHub SQLite database (read only)' },
      'dry-run': { type: 'boolean', description: 'Report what would be imported without writing anything' },
    },
    async run(args, io) {
      const dbPath = args.options['db'];
      if (typeof dbPath !== 'string') throw new BulwarkError('CLI_USAGE', { detail: 'expected: bulwark import jupyterhub --db FILE' });
      const source = resolve(io.cwd, dbPath);
      const exported = readJupyterHubDatabase(source);
      const outcome = await withServices(args, io, (s) =>
        importAccounts(s.database.db, exported, { audit: s.audit, actor: cliActor, sourceName: source, dryRun: args.options['dry-run'] === true }),
      );
      if (args.options['json'] === true) {
        writeLine(io.stdout, JSON.stringify(outcome));
      } else {
        const prefix = args.options['dry-run'] === true ? 'would import' : 'imported';
        writeLine(io.stdout, `${prefix} ${outcome.created.length} user(s), ${outcome.groupsCreated.length} group(s), ${outcome.memberships} membership(s)`);
        if (outcome.skipped.length > 0) writeLine(io.stdout, `skipped (already in Bulwark): ${outcome.skipped.join(', ')}`);
        for (const invalid of outcome.invalid) writeLine(io.stdout, `not imported: ${invalid.name}: ${invalid.reason}`);
      }
      return ExitCode.ok;
    },
  },
];
