// Vetting throughput: time to vet 200 generated wheels with every step, and to import 20,000
// generated advisories (osv.dev all.zip layout, into SQLite) and re-check a channel of files.
// Run: node --import tsx bench/vetting/vet.bench.ts
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createSqlAdvisoryStore, importAdvisories } from '../../src/channel/advisories/index.js';
import { defaultVettingPolicy, defaultVettingSteps, recheckAll, runVettingPipeline } from '../../src/channel/vetting/index.js';
import { writeZip } from '../../src/channel/vetting/zip/index.js';
import { openDatabase, upgradeSchema } from '../../src/storage/index.js';
import { buildWheel } from '../../test/helpers/crafted-wheels.js';
import { makeTempDir } from '../../test/helpers/temp-dir.js';

const WHEELS = 200;
const ADVISORIES = 20_000;
const PACKAGES = 2_000;
const CHANNEL_FILES = 1_000;

function moduleSource(i: number, j: number): string {
  return `"""Module ${j} of package ${i}."""\n` + Array.from({ length: 60 + j * 7 }, (_, k) => `def f_${k}(x):\n    return x * ${k} + ${i}\n`).join('');
}

const temp = makeTempDir('bulwark-bench-');
try {
  const wheels = Array.from({ length: WHEELS }, (_, i) => {
    const files: Record<string, string> = {};
    for (let j = 0; j < 25; j++) files[`benchpkg${i}/mod_${j}.py`] = moduleSource(i, j);
    return buildWheel({ name: `benchpkg${i}`, version: `1.${i % 7}.0`, files });
  });
  const bytes = wheels.reduce((sum, w) => sum + w.bytes.length, 0);

  const database = openDatabase({ dbUrl: `sqlite://${join(temp.path, 'bench.sqlite')}`, dataDir: temp.path });
  await upgradeSchema(database);
  const store = createSqlAdvisoryStore(database.db);

  // 20,000 records over 2,000 packages, a tenth with CVSS vectors, like the mix of osv.dev's PyPI zip.
  const entries = Array.from({ length: ADVISORIES }, (_, i) => {
    const pkg = `benchpkg${i % PACKAGES}`;
    const record = {
      id: `GHSA-bench-${i}`,
      aliases: [`CVE-2099-${i}`],
      modified: '2026-01-01T00:00:00Z',
      affected: [{
        package: { ecosystem: 'PyPI', name: pkg },
        ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: `0.${i % 5}` }, { fixed: `1.${(i % 9) - 1}.0` }] }],
        versions: Array.from({ length: 20 }, (_, k) => `0.${k}.${i % 3}`),
      }],
      ...(i % 10 === 0 ? { severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }] } : {}),
    };
    return { name: `${record.id}.json`, data: JSON.stringify(record) };
  });
  const zipPath = join(temp.path, 'all.zip');
  writeFileSync(zipPath, writeZip(entries));

  const policy = defaultVettingPolicy();
  const context = { policy, advisories: store, knownProjects: new Set(wheels.map((_, i) => `benchpkg${i}`)), waivers: [], now: new Date() };
  let t = performance.now();
  let rejected = 0;
  for (const wheel of wheels) if ((await runVettingPipeline(wheel, defaultVettingSteps(), context)).status === 'rejected') rejected++;
  const vetEmptyMs = performance.now() - t;

  t = performance.now();
  const imported = await importAdvisories(zipPath, store);
  const importMs = performance.now() - t;

  t = performance.now();
  for (const wheel of wheels) await runVettingPipeline(wheel, defaultVettingSteps(), context);
  const vetFullMs = performance.now() - t;

  const files = Array.from({ length: CHANNEL_FILES }, (_, i) => ({ filename: `benchpkg${i % PACKAGES}-1.${i % 7}.0-py3-none-any.whl` }));
  t = performance.now();
  const summary = await recheckAll(files, { advisories: store, policy, now: new Date() });
  const recheckMs = performance.now() - t;
  await database.close();

  const rows: [string, string][] = [
    ['wheels vetted', `${WHEELS} (${(bytes / 1024 / 1024).toFixed(1)} MiB, 30 members each), ${rejected} rejected`],
    ['vet 200 wheels, empty advisory DB', `${vetEmptyMs.toFixed(0)} ms (${(vetEmptyMs / WHEELS).toFixed(1)} ms/wheel)`],
    ['import 20,000 advisories (all.zip → SQLite)', `${importMs.toFixed(0)} ms (${imported.inserted} inserted)`],
    ['vet 200 wheels, 20,000 advisories', `${vetFullMs.toFixed(0)} ms (${(vetFullMs / WHEELS).toFixed(1)} ms/wheel)`],
    [`re-check ${CHANNEL_FILES} channel files after the import`, `${recheckMs.toFixed(0)} ms, ${summary.newlyAffected.length} newly affected`],
  ];
  for (const [what, value] of rows) console.log(`${what.padEnd(48)} ${value}`);
} finally {
  temp.remove();
}
