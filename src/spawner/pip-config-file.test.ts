import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { serverFiles, serverFileStem } from './pip-config-file.js';

describe('per-server files in the hub\'s own directory', () => {
  const root = mkdtempSync(join(tmpdir(), 'bulwark-server-files-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const owner = { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };

  it('names files by uid and the server name in hex, so any server name is a safe file name', () => {
    assert.equal(serverFileStem(1001, ''), 'u1001-s');
    assert.equal(serverFileStem(1001, '../x'), 'u1001-s2e2e2f78');
  });

  it('creates the directory 0711 and each file 0400, replacing an earlier one; remove deletes it', async () => {
    const files = serverFiles(join(root, 'pip'));
    const path = await files.write('u1-s', '.pip.conf', 'first\n', owner);
    await files.write('u1-s', '.pip.conf', 'second\n', owner);
    assert.equal(readFileSync(path, 'utf8'), 'second\n');
    assert.equal(statSync(path).mode & 0o777, 0o400);
    assert.equal(statSync(join(root, 'pip')).mode & 0o777, 0o711);
    await files.remove('u1-s', ['.pip.conf', '.ca.pem']);
    assert.equal(existsSync(path), false);
  });

  it('refuses a directory that is a symlink or writable by others', async () => {
    mkdirSync(join(root, 'elsewhere'));
    symlinkSync(join(root, 'elsewhere'), join(root, 'linked'));
    await assert.rejects(serverFiles(join(root, 'linked')).write('u1-s', '.pip.conf', 'x', owner), /is not a directory/);
    mkdirSync(join(root, 'open'));
    chmodSync(join(root, 'open'), 0o777);
    await assert.rejects(serverFiles(join(root, 'open')).write('u1-s', '.pip.conf', 'x', owner), /writable by others/);
  });
});
