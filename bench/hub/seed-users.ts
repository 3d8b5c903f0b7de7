// Puts many users straight into each hub's database, as a long-lived installation would have them:
// Bulwark through its storage layer, JupyterHub 3.0 with SQL inserts into its users table.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import { openDatabase, upgradeSchema } from '../../src/storage/index.js';

const run = promisify(execFile);

/** Adds users `${prefix}1` … `${prefix}${count}` to Bulwark's SQLite database under `dataDir`. */
export async function seedBulwarkUsers(dataDir: string, prefix: string, count: number): Promise<void> {
  const database = openDatabase({ dbUrl: null, dataDir });
  try {
    await upgradeSchema(database);
    const now = new Date().toISOString();
    await database.db.transaction().execute(async (trx) => {
      for (let start = 1; start <= count; start += 500) {
        const rows = [];
        for (let i = start; i < Math.min(start + 500, count + 1); i++) {
          rows.push({ name: `${prefix}${i}`, admin: 0, authorized: 1, password_hash: null, email: null, cookie_id: randomBytes(16).toString('hex'), failed_logins: 0, locked_until: null, created_at: now, last_activity: null });
        }
        await trx.insertInto('users').values(rows).execute();
      }
    });
  } finally {
    await database.close();
  }
}

/** The same for JupyterHub's database (its schema must exist: start it once first). */
export async function seedJupyterHubUsers(dbPath: string, prefix: string, count: number): Promise<void> {
  const sql = `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${count})
    INSERT INTO users (name, admin, created, cookie_id, state) SELECT '${prefix}' || i, 0, datetime('now'), lower(hex(randomblob(16))), '{}' FROM n;`;
  await run('/usr/bin/sqlite3', [dbPath, sql]);
}
