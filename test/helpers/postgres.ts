import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from './ports.js';

export interface PostgresServer {
  /** postgresql://bulwark:…@127.0.0.1:PORT/<db> of a fresh database. */
  url: string;
  /** A new, empty database on the same server, for tests that must not share state. */
  createDatabase(): Promise<string>;
  stop(): void;
}

function postgresBin(): string {
  const root = '/usr/lib/postgresql';
  const versions = existsSync(root) ? readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  const bin = versions.map((v) => join(root, v, 'bin')).find((dir) => existsSync(join(dir, 'initdb')));
  if (!bin) {
    throw new Error('PostgreSQL server binaries not found: install them with `apt-get install postgresql` (scripts/setup.sh --test does)');
  }
  return bin;
}

function asPostgres(command: string, args: string[]): string {
  const result = spawnSync('/usr/sbin/runuser', ['-u', 'postgres', '--', command, ...args], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed: ${result.stderr || result.stdout}`);
  return result.stdout;
}

let counter = 0;

/**
 * Starts a throwaway PostgreSQL cluster on 127.0.0.1 with initdb + pg_ctl as the postgres user
 * (initdb refuses root; there is no systemd). fsync is off: the data dies with the test run.
 */
export async function startPostgres(): Promise<PostgresServer> {
  const bin = postgresBin();
  const base = mkdtempSync(join(tmpdir(), 'bulwark-pg-'));
  chmodSync(base, 0o755);
  const dataDir = join(base, 'data');
  const socketDir = join(base, 'sock');
  mkdirSync(socketDir);
  const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
  chownSync(base, uid, gid);
  chownSync(socketDir, uid, gid);
  const port = await findFreePort();
  asPostgres(join(bin, 'initdb'), ['-D', dataDir, '-U', 'postgres', '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8']);
  const options = `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${socketDir} -c fsync=off -c full_page_writes=off`;
  asPostgres(join(bin, 'pg_ctl'), ['-D', dataDir, '-l', join(base, 'server.log'), '-w', '-t', '60', '-o', options, 'start']);
  const password = `pw${Math.random().toString(36).slice(2)}`;
  const psql = (sql: string) => asPostgres('psql', ['-h', socketDir, '-p', String(port), '-U', 'postgres', '-v', 'ON_ERROR_STOP=1', '-c', sql]);
  psql(`CREATE ROLE bulwark LOGIN PASSWORD '${password}' CREATEDB`);
  const createDatabase = async () => {
    const name = `bulwark_${process.pid}_${++counter}`;
    psql(`CREATE DATABASE ${name} OWNER bulwark`);
    return `postgresql://bulwark:${password}@127.0.0.1:${port}/${name}`;
  };
  const url = await createDatabase();
  return {
    url,
    createDatabase,
    stop() {
      spawnSync('/usr/sbin/runuser', ['-u', 'postgres', '--', join(bin, 'pg_ctl'), '-D', dataDir, '-m', 'immediate', 'stop']);
      rmSync(base, { recursive: true, force: true });
    },
  };
}
