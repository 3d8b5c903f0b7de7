import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { BulwarkError, isBulwarkError } from '../../errors/index.js';
import { cliActor } from '../../log/index.js';
import { parseUserCsv, passwordProblem, type User } from '../../identity/index.js';
import { ExitCode, writeLine, type Command, type ParsedArgs } from '../command.js';
import { readNewPassword } from '../password-input.js';
import { withServices } from '../with-services.js';

function onlyName(args: ParsedArgs, usage: string): string {
  const [name, ...rest] = args.positionals;
  if (name === undefined || rest.length > 0) throw new BulwarkError('CLI_USAGE', { detail: `expected: bulwark ${usage}` });
  return name;
}

function userJson(user: User): Record<string, unknown> {
  return {
    name: user.name,
    admin: user.admin,
    authorized: user.authorized,
    has_password: user.hasPassword,
    created: user.createdAt,
    last_activity: user.lastActivity,
    locked_until: user.lockedUntil,
  };
}

function printUser(user: User): string {
  return [
    `name:          ${user.name}`,
    `admin:         ${user.admin}`,
    `authorized:    ${user.authorized}`,
    `password set:  ${user.hasPassword}`,
    `created:       ${user.createdAt}`,
    `last activity: ${user.lastActivity ?? 'never'}`,
  ].join('\n');
}

export const userCommands: Command[] = [
  {
    path: ['user', 'add'],
    usage: 'user add NAME [--admin] [--password-stdin] [--no-password]',
    summary: 'Create an authorized user (asks for a password unless --no-password)',
    options: {
      admin: { type: 'boolean', description: 'Make the user an admin' },
      'password-stdin': { type: 'boolean', description: 'Read the password from the first line of stdin' },
      'no-password': { type: 'boolean', description: 'Create without a password (cannot log in until one is set)' },
    },
    async run(args, io) {
      const name = onlyName(args, 'user add NAME');
      const password = args.options['no-password'] === true ? undefined : await readNewPassword(io, args.options['password-stdin'] === true);
      const user = await withServices(args, io, (s) =>
        s.users.create({ name, ...(password !== undefined ? { password } : {}), admin: args.options['admin'] === true, authorized: true }, cliActor),
      );
      writeLine(io.stdout, args.options['json'] === true ? JSON.stringify(userJson(user)) : `created user ${user.name}`);
      return ExitCode.ok;
    },
  },
  {
    path: ['user', 'list'],
    usage: 'user list [--json]',
    summary: 'List users',
    async run(args, io) {
      const users = await withServices(args, io, (s) => s.users.list());
      if (args.options['json'] === true) writeLine(io.stdout, JSON.stringify(users.map(userJson)));
      else for (const u of users) writeLine(io.stdout, `${u.name}${u.admin ? ' (admin)' : ''}${u.authorized ? '' : ' (pending authorization)'}`);
      return ExitCode.ok;
    },
  },
  {
    path: ['user', 'show'],
    usage: 'user show NAME [--json]',
    summary: 'Show one user',
    async run(args, io) {
      const name = onlyName(args, 'user show NAME');
      const user = await withServices(args, io, (s) => s.users.require(name));
      writeLine(io.stdout, args.options['json'] === true ? JSON.stringify(userJson(user)) : printUser(user));
      return ExitCode.ok;
    },
  },
  {
    path: ['user', 'remove'],
    usage: 'user remove NAME',
    summary: 'Delete a user with their tokens and sessions',
    async run(args, io) {
      const name = onlyName(args, 'user remove NAME');
      await withServices(args, io, (s) => s.users.remove(name, cliActor));
      writeLine(io.stdout, `removed user ${name}`);
      return ExitCode.ok;
    },
  },
  {
    path: ['user', 'set-admin'],
    usage: 'user set-admin NAME [--revoke]',
    summary: 'Grant (or with --revoke, take away) admin rights',
    options: { revoke: { type: 'boolean', description: 'Remove admin rights instead' } },
    async run(args, io) {
      const name = onlyName(args, 'user set-admin NAME');
      const admin = args.options['revoke'] !== true;
      await withServices(args, io, (s) => s.users.setAdmin(name, admin, cliActor));
      writeLine(io.stdout, `${name} is ${admin ? 'now' : 'no longer'} an admin`);
      return ExitCode.ok;
    },
  },
  {
    path: ['user', 'passwd'],
    usage: 'user passwd NAME [--password-stdin]',
    summary: "Set a user's password (ends their browser sessions)",
    options: { 'password-stdin': { type: 'boolean', description: 'Read the password from the first line of stdin' } },
    async run(args, io) {
      const name = onlyName(args, 'user passwd NAME');
      const password = await readNewPassword(io, args.options['password-stdin'] === true);
      await withServices(args, io, (s) => s.users.setPassword(name, password, cliActor));
      writeLine(io.stdout, `password of ${name} changed`);
      return ExitCode.ok;
    },
  },
  {
    path: ['user', 'import-csv'],
    usage: 'user import-csv FILE [--json]',
    summary: 'Create authorized users from a CSV file of name,admin,password (empty password: none yet)',
    async run(args, io) {
      const file = onlyName(args, 'user import-csv FILE');
      let text: string;
      try {
        text = readFileSync(resolve(io.cwd, file), 'utf8');
      } catch (error) {
        throw new BulwarkError('CLI_USAGE', { detail: `cannot read ${file}: ${(error as Error).message}` });
      }
      const { rows, errors } = parseUserCsv(text);
      const results: Array<{ line: number; name: string; status: 'created' | 'exists' | 'error'; reason?: string }> = errors.map((e) => ({ line: e.line, name: '', status: 'error', reason: e.reason }));
      await withServices(args, io, async (s) => {
        const native = s.config.authenticator.native;
        const policy = { minimumLength: native.minimum_password_length, checkCommon: native.check_common_password, checkContainsUsername: native.check_password_contains_username, requiredClasses: native.required_password_character_classes };
        // Every row gets a result; one bad row never stops the others.
        for (const row of rows) {
          const problem = row.password === undefined ? undefined : passwordProblem(row.password, row.name, policy);
          if (problem !== undefined) {
            results.push({ line: row.line, name: row.name, status: 'error', reason: problem });
            continue;
          }
          try {
            await s.users.create({ name: row.name, ...(row.password !== undefined ? { password: row.password } : {}), admin: row.admin, authorized: true }, cliActor);
            results.push({ line: row.line, name: row.name, status: 'created' });
          } catch (error) {
            if (!isBulwarkError(error)) throw error;
            results.push({ line: row.line, name: row.name, status: error.code === 'IDENTITY_USER_EXISTS' ? 'exists' : 'error', reason: error.message });
          }
        }
      });
      results.sort((a, b) => a.line - b.line);
      if (args.options['json'] === true) writeLine(io.stdout, JSON.stringify(results));
      else for (const r of results) writeLine(io.stdout, `line ${r.line}: ${r.name || '-'} ${r.status}${r.reason ? ` (${r.reason})` : ''}`);
      return results.some((r) => r.status === 'error') ? ExitCode.failure : ExitCode.ok;
    },
  },
];
