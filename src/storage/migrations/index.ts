import type { Kysely } from 'kysely';
import type { MigrationContext } from '../migration-context.js';
import * as identity from './001-identity.js';
import * as channel from './002-channel.js';
import * as auth from './003-auth.js';
import * as vetting from './004-vetting.js';
import * as channelStates from './005-channel-states.js';
import * as releases from './006-releases.js';
import * as runtimeServices from './007-runtime-services.js';
import * as shares from './009-shares.js';

export interface CodeMigration {
  up(db: Kysely<unknown>, context: MigrationContext): Promise<void>;
}

/**
 * Every migration, in order. Names are permanent: a released migration is never renamed or
 * edited; a change to the schema is a new entry at the end.
 */
export const migrations: ReadonlyArray<readonly [name: string, migration: CodeMigration]> = [
  ['001-identity', identity],
  ['002-channel', channel],
  ['003-auth', auth],
  ['004-vetting', vetting],
  ['005-channel-states', channelStates],
  ['006-releases', releases],
  ['007-runtime-services', runtimeServices],
  ['009-shares', shares],
];
