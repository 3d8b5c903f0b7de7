import type { Kysely } from 'kysely';
import type { Actor, AuditLog } from '../../log/index.js';
import type { Tables } from '../../storage/index.js';
import { randomHexToken } from '../secrets.js';
import { normalizeUsername, validateUsername } from '../username.js';
import type { JupyterHubExport } from './jupyterhub-database.js';

export interface ImportOutcome {
  created: string[];
  /** Names that already exist in Bulwark; left untouched. */
  skipped: string[];
  /** Names Bulwark cannot use (not valid OS account names), with the reason. */
  invalid: Array<{ name: string; reason: string }>;
  groupsCreated: string[];
  memberships: number;
}

/**
 * Writes an export into Bulwark's identity tables in one transaction: either everything is
 * imported or nothing is. Existing Bulwark users are never overwritten.
 */
export async function importAccounts(
  db: Kysely<Tables>,
  source: JupyterHubExport,
  options: { audit: AuditLog; actor: Actor; sourceName: string; dryRun?: boolean; now?: () => Date },
): Promise<ImportOutcome> {
  const now = (options.now ?? (() => new Date()))().toISOString();
  const outcome: ImportOutcome = { created: [], skipped: [], invalid: [], groupsCreated: [], memberships: 0 };
  await db.transaction().execute(async (trx) => {
    const groupIds = new Map<string, number>();
    for (const group of source.groups) {
      const existing = await trx.selectFrom('groups').select('id').where('name', '=', group.name).executeTakeFirst();
      if (existing) {
        groupIds.set(group.name, existing.id);
        continue;
      }
      const row = await trx
        .insertInto('groups')
        .values({ name: group.name, properties: JSON.stringify(group.properties) })
        .returning('id')
        .executeTakeFirstOrThrow();
      groupIds.set(group.name, row.id);
      outcome.groupsCreated.push(group.name);
    }
    for (const account of source.accounts) {
      const name = normalizeUsername(account.name);
      try {
        validateUsername(name);
      } catch (error) {
        outcome.invalid.push({ name: account.name, reason: (error as Error).message });
        continue;
      }
      if (await trx.selectFrom('users').select('id').where('name', '=', name).executeTakeFirst()) {
        outcome.skipped.push(name);
        continue;
      }
      const user = await trx
        .insertInto('users')
        .values({
          name,
          admin: account.admin ? 1 : 0,
          authorized: account.authorized || account.admin ? 1 : 0,
          password_hash: account.bcryptHash,
          email: account.email,
          cookie_id: randomHexToken(),
          failed_logins: 0,
          locked_until: null,
          created_at: account.createdAt ?? now,
          last_activity: account.lastActivity,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      for (const group of account.groups) {
        const groupId = groupIds.get(group);
        if (groupId === undefined) continue;
        await trx.insertInto('user_groups').values({ user_id: user.id, group_id: groupId }).execute();
        outcome.memberships++;
      }
      outcome.created.push(name);
    }
    if (options.dryRun) throw new DryRunRollback();
  }).catch((error: unknown) => {
    if (!(error instanceof DryRunRollback)) throw error;
  });
  if (!options.dryRun) {
    await options.audit.record(options.actor, {
      action: 'user.import',
      target: options.sourceName,
      detail: { created: outcome.created.length, skipped: outcome.skipped, invalid: outcome.invalid.map((i) => i.name), groups: outcome.groupsCreated },
    });
  }
  return outcome;
}

/** Thrown inside the transaction to undo a dry run; never escapes importAccounts. */
class DryRunRollback extends Error {}
