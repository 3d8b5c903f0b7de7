// The real advisories of ../shared/fixtures/osv give exactly the README's affected / not-affected
// answers through the import and match path, with the SQL store (SQLite) and the memory store,
// and from each source layout: pypa YAML, a directory of OSV JSON, and an osv.dev-style all.zip.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parse as parseYaml } from 'yaml';
import {
  createMemoryAdvisoryStore, createSqlAdvisoryStore, importAdvisories, matchAdvisories, type AdvisoryStore,
} from '../../../src/channel/advisories/index.js';
import { writeZip } from '../../../src/channel/vetting/zip/index.js';
import { openDatabase, upgradeSchema } from '../../../src/storage/index.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const FIXTURES = new URL('../../../../shared/fixtures/osv/', import.meta.url).pathname;
const temp = makeTempDir('bulwark-osv-');
after(() => temp.remove());

// The README's table: record, package, affected versions, not-affected versions.
const CASES: [string, string, string[], string[]][] = [
  ['PYSEC-2021-66', 'jinja2', ['2.11.2', '2.0rc1'], ['2.11.3']],
  ['PYSEC-2023-212', 'urllib3', ['1.26.17', '2.0.0', '2.0.6'], ['1.26.18', '2.0.7']],
  ['PYSEC-2023-74', 'requests', ['2.3.0', '2.30.0'], ['2.2.1', '2.31.0']],
  ['PYSEC-2022-43012', 'setuptools', ['65.5.0', '0.6c11'], ['65.5.1']],
  ['PYSEC-2022-42980', 'pillow', ['9.2.0'], ['9.1.1', '9.3.0']],
  ['PYSEC-2023-175', 'pillow', ['10.0.0'], ['10.0.1']],
  ['PYSEC-2022-42969', 'py', ['1.11.0', '1.4.0'], []],
  ['PYSEC-2023-61', 'django', ['3.2.18', '4.1.8', '4.2.0', '3.2rc1', '4.2a1'], ['3.2.19', '4.1.9', '4.2.1']],
  ['PYSEC-2023-73', 'redis', [], ['4.5.4']],
  ['MAL-2026-2144', 'litellm', ['1.82.7', '1.82.8'], ['1.82.6']],
];

async function assertCases(store: AdvisoryStore, label: string): Promise<void> {
  for (const [id, pkg, affected, notAffected] of CASES) {
    const advisories = await store.forPackage(pkg);
    for (const version of affected) {
      const ids = matchAdvisories(advisories, pkg, version).map((m) => m.id);
      assert.ok(ids.includes(id), `${label}: ${pkg} ${version} should be affected by ${id}, got [${ids.join(', ')}]`);
    }
    for (const version of notAffected) {
      const ids = matchAdvisories(advisories, pkg, version).map((m) => m.id);
      assert.ok(!ids.includes(id), `${label}: ${pkg} ${version} should not be affected by ${id}`);
    }
  }
}

/** Converts every fixture to OSV JSON: a directory of files and an all.zip, like osv.dev publishes. */
function jsonCopies(): { dir: string; zip: string } {
  const dir = join(temp.path, 'osv-json');
  mkdirSync(dir, { recursive: true });
  const entries: { name: string; data: string }[] = [];
  const walk = (path: string) => {
    for (const name of readdirSync(path, { withFileTypes: true })) {
      const full = join(path, name.name);
      if (name.isDirectory()) walk(full);
      else {
        const text = readFileSync(full, 'utf8');
        const record = name.name.endsWith('.json') ? (JSON.parse(text) as { id: string }) : (parseYaml(text, { schema: 'failsafe' }) as { id: string });
        const data = JSON.stringify(record);
        writeFileSync(join(dir, `${record.id}.json`), data);
        entries.push({ name: `${record.id}.json`, data });
      }
    }
  };
  walk(FIXTURES);
  const zip = join(temp.path, 'all.zip');
  writeFileSync(zip, writeZip(entries));
  return { dir, zip };
}

test('fixtures are present', () => {
  assert.ok(existsSync(join(FIXTURES, 'pypa-advisory-database/vulns')), `${FIXTURES} is missing (the shared fixtures folder)`);
});

test('pypa YAML + malicious JSON into SQLite give the README answers', async () => {
  const database = openDatabase({ dbUrl: `sqlite://${join(temp.path, 'db.sqlite')}`, dataDir: temp.path });
  try {
    await upgradeSchema(database);
    const store = createSqlAdvisoryStore(database.db);
    const yaml = await importAdvisories(join(FIXTURES, 'pypa-advisory-database'), store);
    assert.equal(yaml.format, 'pypa-yaml');
    assert.equal(yaml.inserted, 9);
    assert.equal(yaml.withdrawn, 1);
    const mal = await importAdvisories(join(FIXTURES, 'malicious'), store);
    assert.equal(mal.format, 'osv-directory');
    assert.equal(mal.malicious, 1);
    await assertCases(store, 'sqlite');
    const litellm = matchAdvisories(await store.forPackage('litellm'), 'litellm', '1.82.8');
    assert.equal(litellm[0]?.malicious, true);
    const urllib3 = matchAdvisories(await store.forPackage('urllib3'), 'urllib3', '2.0.6');
    assert.equal(urllib3[0]?.severity.score, 4.2, 'CVSS from the record\'s vector');
    const counts = await store.counts();
    assert.deepEqual(counts, { total: 10, withdrawn: 1, malicious: 1, packages: 9 });

    // The same records again through an osv.dev-style all.zip: nothing new, nothing changed.
    const { zip } = jsonCopies();
    const again = await importAdvisories(zip, store);
    assert.equal(again.format, 'osv-zip');
    assert.deepEqual([again.recordsRead, again.inserted, again.updated, again.unchanged], [10, 0, 0, 10]);
    assert.equal((await store.imports(10)).length, 3);
  } finally {
    await database.close();
  }
});

test('a directory of OSV JSON into the memory store gives the same answers', async () => {
  const store = createMemoryAdvisoryStore();
  const { dir } = jsonCopies();
  const result = await importAdvisories(dir, store);
  assert.equal(result.inserted, 10);
  await assertCases(store, 'memory');
});

test('records that alias each other are one finding with the highest severity; a newer copy updates', async () => {
  const store = createMemoryAdvisoryStore();
  await importAdvisories(join(FIXTURES, 'pypa-advisory-database/vulns/requests'), store);
  const ghsaDir = join(temp.path, 'ghsa');
  mkdirSync(ghsaDir, { recursive: true });
  const ghsa = {
    id: 'GHSA-j8r2-6x86-q33q', aliases: ['CVE-2023-32681'], modified: '2024-01-01T00:00:00Z',
    affected: [{ package: { ecosystem: 'PyPI', name: 'requests' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '2.3.0' }, { fixed: '2.31.0' }] }] }],
    database_specific: { severity: 'MODERATE' },
    severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:H/PR:N/UI:R/S:C/C:H/I:N/A:N' }],
  };
  writeFileSync(join(ghsaDir, 'GHSA-j8r2-6x86-q33q.json'), JSON.stringify(ghsa));
  const first = await importAdvisories(ghsaDir, store);
  assert.deepEqual(first.changedPackages, ['requests']);
  const matches = matchAdvisories(await store.forPackage('requests'), 'requests', '2.30.0');
  assert.equal(matches.length, 1, 'PYSEC-2023-74 and its GHSA alias are one vulnerability');
  assert.equal(matches[0]?.id, 'PYSEC-2023-74');
  assert.ok(matches[0]?.ids.includes('GHSA-j8r2-6x86-q33q'));
  assert.equal(matches[0]?.severity.score, 6.1);
  writeFileSync(join(ghsaDir, 'GHSA-j8r2-6x86-q33q.json'), JSON.stringify({ ...ghsa, modified: '2023-01-01T00:00:00Z', severity: [] }));
  assert.equal((await importAdvisories(ghsaDir, store)).unchanged, 1, 'an older copy never replaces a newer one');
});

test('rebuilds match their upstream version only when flagged', async () => {
  const store = createMemoryAdvisoryStore();
  await importAdvisories(join(FIXTURES, 'pypa-advisory-database/vulns/py'), store);
  await importAdvisories(join(FIXTURES, 'malicious'), store);
  const py = await store.forPackage('py');
  // last_affected 1.11.0 is inclusive: a later post-release is outside, unless it is a rebuild of 1.11.0.
  assert.equal(matchAdvisories(py, 'py', '1.11.0.post0').length, 0);
  assert.equal(matchAdvisories(py, 'py', '1.11.0.post0', { rebuild: true })[0]?.version, '1.11.0');
  const litellm = await store.forPackage('litellm');
  assert.equal(matchAdvisories(litellm, 'litellm', '1.82.8.post0').length, 0, 'versions-only record');
  assert.equal(matchAdvisories(litellm, 'litellm', '1.82.8.post0', { rebuild: true })[0]?.malicious, true);
  assert.equal(matchAdvisories(litellm, 'litellm', '1.82.6.post0', { rebuild: true }).length, 0);
});
