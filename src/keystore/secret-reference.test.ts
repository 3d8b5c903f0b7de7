import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parseSecretReference, readSecretReference } from './secret-reference.js';

const dir = mkdtempSync(join(tmpdir(), 'bulwark-secret-ref-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('the three forms parse; anything else, a token included, is refused without being repeated', () => {
  assert.deepEqual(parseSecretReference('file:/etc/token'), { kind: 'file', path: '/etc/token' });
  assert.deepEqual(parseSecretReference('env:CHANNEL_TOKEN'), { kind: 'env', name: 'CHANNEL_TOKEN' });
  const keyctl = parseSecretReference('keyctl:user:hub-read?keyring=@s');
  assert.equal(keyctl.kind === 'keyctl' && `${keyctl.spec.description} ${keyctl.spec.keyring}`, 'hub-read @s');
  assert.throws(() => parseSecretReference('file:token'), /absolute path/);
  assert.throws(() => parseSecretReference('env:1BAD'), /environment variable name/);
  assert.throws(() => parseSecretReference('keyctl:user:x?passphrase-env=P'), /expected keyctl:user:DESCRIPTION/);
  assert.throws(() => parseSecretReference('d41d8cd98f00b204e9800998ecf8427e'), (error: Error) => /not the secret itself/.test(error.message) && !error.message.includes('d41d8'));
});

test('a file loses one trailing newline; a file every user can read is reported', async () => {
  const path = join(dir, 'token');
  writeFileSync(path, 'abc123\n', { mode: 0o600 });
  assert.deepEqual(await readSecretReference(`file:${path}`), { value: 'abc123', warnings: [] });
  chmodSync(path, 0o644);
  assert.match((await readSecretReference(`file:${path}`)).warnings.join(''), /readable by every user; chmod 600/);
});

test('missing, empty or malformed secrets are errors that say which', async () => {
  await assert.rejects(readSecretReference(`file:${join(dir, 'absent')}`), /cannot read .*absent: ENOENT/);
  writeFileSync(join(dir, 'empty'), '\n', { mode: 0o600 });
  await assert.rejects(readSecretReference(`file:${join(dir, 'empty')}`), /the secret is empty/);
  writeFileSync(join(dir, 'two'), 'abc def\n', { mode: 0o600 });
  await assert.rejects(readSecretReference(`file:${join(dir, 'two')}`), /whitespace or control characters/);
  await assert.rejects(readSecretReference('env:CHANNEL_TOKEN', {}), /environment variable CHANNEL_TOKEN is not set or empty/);
  assert.equal((await readSecretReference('env:CHANNEL_TOKEN', { CHANNEL_TOKEN: 'tok' })).value, 'tok');
});
