// `bulwark user import-csv FILE` as an administrator runs it, then those users log in over HTTP.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { BrowserLikeClient } from '../../helpers/browser-like-client.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { login, startAuthHub } from './auth-hub.js';

const bin = fileURLToPath(new URL('../../../bin/bulwark', import.meta.url));

test('import-csv creates authorized users, reports every row, and refuses weak passwords without stopping', async () => {
  const temp = makeTempDir('bulwark-csv-');
  try {
    const csv = join(temp.path, 'users.csv');
    writeFileSync(
      csv,
      ['name,admin,password', 'ines,false,Imported-Pass-1', 'jonas,true,"Quoted,Pass-2"', 'kim,,', 'lena,no,password', 'Bad Name,false,Imported-Pass-3', 'mo,maybe,x', 'ines,false,Imported-Pass-1', ''].join('\n'),
    );
    const env = { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: temp.path, BULWARK_HUB__DATA_DIR: temp.path, BULWARK_RUN_SOURCES: '1' };
    const result = spawnSync(process.execPath, [bin, 'user', 'import-csv', csv, '--json'], { encoding: 'utf8', env, cwd: temp.path });
    assert.equal(result.status, 1, result.stderr);
    const rows = JSON.parse(result.stdout) as Array<{ line: number; name: string; status: string; reason?: string }>;
    assert.deepEqual(
      rows.map((r) => [r.line, r.name, r.status]),
      [
        [2, 'ines', 'created'],
        [3, 'jonas', 'created'],
        [4, 'kim', 'created'],
        [5, 'lena', 'error'],
        [6, 'Bad Name', 'error'],
        [7, '', 'error'],
        [8, 'ines', 'exists'],
      ],
    );
    assert.match(rows[3]?.reason ?? '', /too common/);
    const hub = await startAuthHub({}, temp.path);
    try {
      assert.equal((await login(new BrowserLikeClient(hub.url), 'ines', 'Imported-Pass-1')).url, '/hub/spawn');
      assert.equal((await login(new BrowserLikeClient(hub.url), 'jonas', 'Quoted,Pass-2')).url, '/hub/spawn');
      assert.equal((await hub.handle.services.users.require('jonas')).admin, true);
      const kim = await hub.handle.services.users.require('kim');
      assert.equal(kim.hasPassword, false);
      assert.equal(kim.authorized, true);
    } finally {
      await hub.stop();
    }
  } finally {
    temp.remove();
  }
});
