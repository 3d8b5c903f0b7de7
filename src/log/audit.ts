import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Kysely } from 'kysely';
import type { Tables } from '../storage/index.js';
import type { Logger } from './logger.js';

/** Who did something: a user name, or null for the system and local administrator commands. */
export interface Actor {
  name: string | null;
  ip?: string | null;
}

export const cliActor: Actor = { name: null };

export interface AuditEvent {
  action: string;
  target?: string | null;
  outcome?: 'success' | 'failure';
  detail?: Record<string, unknown>;
}

export interface AuditRecord {
  at: string;
  actor: string | null;
  action: string;
  target: string | null;
  outcome: 'success' | 'failure';
  ip: string | null;
  detail: Record<string, unknown>;
}

export interface AuditLog {
  record(actor: Actor, event: AuditEvent): Promise<void>;
  list(options?: { limit?: number; action?: string }): Promise<AuditRecord[]>;
}

/**
 * Security events go to the audit_log table (queryable, survives log rotation) and, as JSON
 * lines, to a file a SIEM can tail. A failure to write the file is logged but never loses the
 * database row or the operation.
 */
export function createAuditLog(deps: { db: Kysely<Tables>; file: string | null; logger: Logger; clock?: () => Date }): AuditLog {
  const clock = deps.clock ?? (() => new Date());
  let directoryReady: Promise<unknown> | undefined;
  return {
    async record(actor, event) {
      const row: AuditRecord = {
        at: clock().toISOString(),
        actor: actor.name,
        action: event.action,
        target: event.target ?? null,
        outcome: event.outcome ?? 'success',
        ip: actor.ip ?? null,
        detail: event.detail ?? {},
      };
      await deps.db.insertInto('audit_log').values({ ...row, detail: JSON.stringify(row.detail) }).execute();
      deps.logger.info({ audit: row }, `audit ${row.action}`);
      if (deps.file !== null) {
        const file = deps.file;
        directoryReady ??= mkdir(dirname(file), { recursive: true, mode: 0o700 });
        try {
          await directoryReady;
          await appendFile(file, `${JSON.stringify(row)}\n`, { mode: 0o600 });
        } catch (error) {
          deps.logger.error({ err: error, file }, 'cannot append to the audit file');
        }
      }
    },
    async list(options = {}) {
      let query = deps.db.selectFrom('audit_log').selectAll().orderBy('id', 'desc').limit(options.limit ?? 100);
      if (options.action !== undefined) query = query.where('action', '=', options.action);
      const rows = await query.execute();
      return rows.map((row) => ({
        at: row.at,
        actor: row.actor,
        action: row.action,
        target: row.target,
        outcome: row.outcome,
        ip: row.ip,
        detail: JSON.parse(row.detail) as Record<string, unknown>,
      }));
    },
  };
}
