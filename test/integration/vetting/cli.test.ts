// `bulwark channel advisories import|status` and `bulwark channel vet --local` as a real process.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { buildWheel } from '../../helpers/crafted-wheels.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

// Runs src/ through tsx: bin/bulwark prefers a possibly stale dist/ build.
const main = new URL('../../../src/cli/main.ts', import.meta.url).href;
const runner = `const { main } = await import(${JSON.stringify(main)}); process.exit(await main(process.argv.slice(1)));`;
const fixtures = fileURLToPath(new URL('../../../../shared/fixtures/osv/', import.meta.url));
const temp = makeTempDir('bulwark-vet-cli-');
after(() => temp.remove());

function bulwark(args: string[]) {
  const result = spawnSync(process.execPath, ['--import', import.meta.resolve('tsx'), '--input-type=module', '-e', runner, ...args], {
    cwd: temp.path,
    encoding: 'utf8',
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: temp.path },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

test('advisories import + status, then vet: malicious rejected (exit 1), clean vetted (exit 0)', () => {
  assert.equal(bulwark(['db', 'upgrade']).code, 0);
  const imported = bulwark(['channel', 'advisories', 'import', join(fixtures, 'malicious'), '--json']);
  assert.equal(imported.code, 0, imported.stderr);
  assert.equal((JSON.parse(imported.stdout) as { inserted: number }).inserted, 1);
  assert.equal(bulwark(['channel', 'advisories', 'import', join(fixtures, 'pypa-advisory-database')]).code, 0);
  const status = bulwark(['channel', 'advisories', 'status']);
  assert.match(status.stdout, /10 advisories \(1 withdrawn, 1 malicious\)/);

  const bad = buildWheel({ name: 'litellm', version: '1.82.8', files: { 'litellm/__init__.py': '' } });
  const good = buildWheel({ name: 'litellm', version: '1.82.6', files: { 'litellm/__init__.py': '' } });
  writeFileSync(join(temp.path, bad.filename), bad.bytes);
  writeFileSync(join(temp.path, good.filename), good.bytes);
  const rejected = bulwark(['channel', 'vet', '--local', bad.filename, good.filename]);
  assert.equal(rejected.code, 1);
  assert.match(rejected.stdout, /VULN_MALICIOUS: MAL-2026-2144/);
  assert.match(rejected.stderr, /1 of 2 rejected/);
  const ok = bulwark(['channel', 'vet', '--local', good.filename, '--json']);
  assert.equal(ok.code, 0, ok.stdout);
  assert.equal((JSON.parse(ok.stdout) as { status: string }).status, 'vetted');
  assert.equal(bulwark(['channel', 'vet', '--local', 'missing.whl']).code, 1);
  assert.equal(bulwark(['channel', 'vet', '--local']).code, 2);
});
