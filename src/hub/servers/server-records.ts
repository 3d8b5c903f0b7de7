import type { Kysely } from 'kysely';
import type { ServerState } from '../../spawner/spawner.js';
import type { Tables } from '../../storage/index.js';
import type { Entry } from './server-entry.js';

/**
 * Writes an entry's `servers` row: what a later hub process restores from, and what lists a
 * user's stopped servers. `launched`: a spawning server's process state, recorded before the
 * server is ready.
 */
export async function persistEntry(db: Kysely<Tables>, entry: Entry, state: Tables['servers']['state'], launched?: ServerState): Promise<void> {
  const spawnerState = launched ?? entry.state;
  const values = {
    state,
    url: spawnerState?.url ?? null,
    spawner_state: spawnerState ? JSON.stringify(spawnerState) : null,
    user_options: JSON.stringify(entry.userOptions),
    started_at: entry.started,
    last_activity: entry.lastActivity,
    failure: entry.failure,
  };
  await db
    .insertInto('servers')
    .values({ user_id: entry.userId, name: entry.serverName, ...values })
    .onConflict((oc) => oc.columns(['user_id', 'name']).doUpdateSet(values))
    .execute();
}

/** Moves the server's and the user's last activity forward (never back: reports arrive out of order). */
export async function recordActivity(db: Kysely<Tables>, userId: number, serverName: string, when: string): Promise<void> {
  await db
    .updateTable('servers')
    .set({ last_activity: when })
    .where('user_id', '=', userId)
    .where('name', '=', serverName)
    .where((eb) => eb.or([eb('last_activity', 'is', null), eb('last_activity', '<', when)]))
    .execute();
  await db
    .updateTable('users')
    .set({ last_activity: when })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('last_activity', 'is', null), eb('last_activity', '<', when)]))
    .execute();
}

export async function deleteRecord(db: Kysely<Tables>, userId: number, serverName: string): Promise<void> {
  await db.deleteFrom('servers').where('user_id', '=', userId).where('name', '=', serverName).execute();
}
