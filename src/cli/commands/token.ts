import { BulwarkError } from '../../errors/index.js';
import { cliActor } from '../../log/index.js';
import { parseDuration, type TokenRecord } from '../../identity/index.js';
import { ExitCode, writeLine, type Command } from '../command.js';
import { withServices } from '../with-services.js';

function tokenJson(record: TokenRecord): Record<string, unknown> {
  return {
    id: record.publicId,
    user: record.owner,
    kind: record.kind,
    scopes: record.scopes,
    note: record.note,
    created: record.createdAt,
    expires_at: record.expiresAt,
    last_activity: record.lastActivity,
  };
}

export const tokenCommands: Command[] = [
  {
    path: ['token', 'create'],
    usage: 'token create USER [--scopes a,b] [--expires-in 30d] [--note TEXT]',
    summary: 'Create an API token; the token is printed once and only its hash is kept',
    options: {
      scopes: { type: 'string', description: 'Comma-separated JupyterHub scopes (default: inherit the owner\'s)' },
      'expires-in': { type: 'string', description: 'Lifetime: seconds or 90m, 12h, 30d (default: no expiry)' },
      note: { type: 'string', description: 'What the token is for' },
    },
    async run(args, io) {
      const [name, ...rest] = args.positionals;
      if (name === undefined || rest.length > 0) throw new BulwarkError('CLI_USAGE', { detail: 'expected: bulwark token create USER' });
      const scopesText = args.options['scopes'];
      const scopes = typeof scopesText === 'string' ? scopesText.split(',').map((s) => s.trim()).filter(Boolean) : undefined;
      const expires = args.options['expires-in'];
      const expiresInSeconds = typeof expires === 'string' ? parseDuration(expires) : null;
      const note = typeof args.options['note'] === 'string' ? args.options['note'] : 'Created with bulwark token create';
      const { token, record } = await withServices(args, io, async (s) =>
        s.tokens.create({ owner: await s.users.require(name), ...(scopes ? { scopes } : {}), expiresInSeconds, note }, cliActor),
      );
      if (args.options['json'] === true) writeLine(io.stdout, JSON.stringify({ ...tokenJson(record), token }));
      else writeLine(io.stdout, token);
      return ExitCode.ok;
    },
  },
  {
    path: ['token', 'list'],
    usage: 'token list [USER] [--json]',
    summary: 'List API tokens (never their values)',
    async run(args, io) {
      const owner = args.positionals[0];
      const tokens = await withServices(args, io, (s) => s.tokens.list(owner));
      if (args.options['json'] === true) writeLine(io.stdout, JSON.stringify(tokens.map(tokenJson)));
      else
        for (const t of tokens)
          writeLine(io.stdout, `${t.publicId}\t${t.owner}\t${t.kind}\t${t.expiresAt ?? 'no expiry'}\t${t.note}`);
      return ExitCode.ok;
    },
  },
  {
    path: ['token', 'revoke'],
    usage: 'token revoke TOKEN_ID',
    summary: 'Revoke a token by its id (as shown by token list, e.g. a12)',
    async run(args, io) {
      const [id] = args.positionals;
      if (id === undefined) throw new BulwarkError('CLI_USAGE', { detail: 'expected: bulwark token revoke TOKEN_ID' });
      await withServices(args, io, (s) => s.tokens.revoke(id, cliActor));
      writeLine(io.stdout, `revoked ${id}`);
      return ExitCode.ok;
    },
  },
];
