// After a newer advisory import, recheckAll says which stored files became affected.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createMemoryAdvisoryStore, importAdvisories } from '../../../src/channel/advisories/index.js';
import { defaultVettingPolicy, defaultVettingSteps, recheckAll, reportAdvisoryIds, runVettingPipeline, type VettingReport } from '../../../src/channel/vetting/index.js';
import { buildWheel } from '../../helpers/crafted-wheels.js';
import { makeTempDir } from '../../helpers/temp-dir.js';

const temp = makeTempDir('bulwark-recheck-');
after(() => temp.remove());

test('a new MAL- record and a new high advisory move exactly the affected files', async () => {
  const store = createMemoryAdvisoryStore();
  const policy = defaultVettingPolicy();
  const now = new Date('2026-08-01T00:00:00Z');
  const files = [
    buildWheel({ name: 'litellm', version: '1.82.8', files: { 'litellm/__init__.py': '' } }),
    buildWheel({ name: 'litellm', version: '1.82.6', files: { 'litellm/__init__.py': '' } }),
    buildWheel({ name: 'libfoo', version: '2.3.3.post0', files: { 'libfoo/__init__.py': '' } }),
  ];
  const reports: VettingReport[] = [];
  for (const f of files) reports.push(await runVettingPipeline(f, defaultVettingSteps(), { policy, advisories: store, knownProjects: new Set(['libfoo']), waivers: [], now }));
  assert.deepEqual(reports.map((r) => r.status), ['vetted', 'vetted', 'vetted']);

  const dir = join(temp.path, 'osv');
  mkdirSync(dir);
  writeFileSync(join(dir, 'MAL-2026-2144.json'), JSON.stringify({ id: 'MAL-2026-2144', affected: [{ package: { ecosystem: 'PyPI', name: 'litellm' }, versions: ['1.82.7', '1.82.8'] }] }));
  writeFileSync(join(dir, 'GHSA-x.json'), JSON.stringify({
    id: 'GHSA-xxxx-yyyy-zzzz', severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H' }],
    affected: [{ package: { ecosystem: 'PyPI', name: 'libfoo' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { last_affected: '2.3.3' }] }] }],
  }));
  const imported = await importAdvisories(dir, store);
  assert.deepEqual(imported.changedPackages, ['libfoo', 'litellm']);

  const stored = files.map((f, i) => ({ filename: f.filename, rebuild: f.filename.startsWith('libfoo'), knownAdvisoryIds: reportAdvisoryIds(reports[i]!) }));
  const summary = await recheckAll(stored, { advisories: store, policy, now });
  assert.equal(summary.checked, 3);
  assert.deepEqual(summary.newlyAffected.map((o) => [o.filename, o.newAdvisoryIds]), [
    ['litellm-1.82.8-py3-none-any.whl', ['MAL-2026-2144']],
    ['libfoo-2.3.3.post0-py3-none-any.whl', ['GHSA-xxxx-yyyy-zzzz']],
  ]);
  // Once the report names the advisory, a second re-check finds nothing new.
  const again = await recheckAll(stored.map((s, i) => ({ ...s, knownAdvisoryIds: summary.outcomes[i]!.step.findings.flatMap((f) => f.subjects ?? []) })), { advisories: store, policy, now });
  assert.equal(again.newlyAffected.length, 0);
});
