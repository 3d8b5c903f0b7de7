import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseRequirement } from '../../pypkg/index.js';
import type { FileRecord, ProjectRecord } from '../catalog/file-record.js';
import { CandidatePool } from './candidate-pool.js';
import { proveClosure } from './closure-proof.js';
import { releaseTarget } from './release-target.js';
import { resolveTarget } from './resolve-target.js';

type Spec = { name: string; version: string; requires?: string[]; tag?: string; state?: FileRecord['state']; requiresPython?: string };

/** An in-memory channel: one project per name, one file per spec. */
function pool(specs: Spec[]): CandidatePool {
  const projects = new Map<string, ProjectRecord>();
  const files: FileRecord[] = specs.map((spec, id) => {
    const project = projects.get(spec.name) ?? { id: projects.size + 1, name: spec.name, displayName: spec.name, status: 'active', statusReason: null, createdAt: '2026-01-01T00:00:00.000Z' };
    projects.set(spec.name, project);
    return {
      id,
      projectId: project.id,
      filename: `${spec.name.replace(/-/g, '_')}-${spec.version}-${spec.tag ?? 'py3-none-any'}.whl`,
      version: spec.version,
      packagetype: 'bdist_wheel',
      sha256: String(id).padStart(64, '0'),
      blake2_256: '',
      size: 1,
      requiresPython: spec.requiresPython ?? null,
      metadataSha256: null,
      summary: null,
      requiresDist: spec.requires ?? [],
      state: spec.state ?? 'approved',
      yanked: false,
      yankedReason: null,
      uploadedAt: '2026-01-01T00:00:00.000Z',
      uploadedBy: null,
      approvedAt: null,
      approvedBy: null,
      verifiedAt: null,
      integrityFailedAt: null,
      stateReason: null,
      stateChangedAt: null,
      stateChangedBy: null,
      stateManual: false,
    };
  });
  return CandidatePool.fromRecords([...projects.values()], files);
}

const reqs = (...texts: string[]) => texts.map((t) => parseRequirement(t));
const x86 = releaseTarget('cp312-manylinux_x86_64');
const s390x = releaseTarget('cp312-manylinux_s390x');

function pinned(outcome: ReturnType<typeof resolveTarget>): Record<string, string> {
  assert.ok(outcome.ok, outcome.ok ? '' : outcome.conflict.message);
  return Object.fromEntries([...outcome.pins].map(([name, c]) => [name, c.version.toString()]));
}

test('picks the newest approved versions that satisfy every requirement, extras included', () => {
  const channel = pool([
    { name: 'app', version: '1.0', requires: ['lib>=1,<3', 'fancy-dep; extra == "fancy"'] },
    { name: 'lib', version: '1.0' },
    { name: 'lib', version: '2.0' },
    { name: 'lib', version: '3.0' },
    { name: 'lib', version: '2.5', state: 'quarantined' },
    { name: 'fancy-dep', version: '0.1' },
  ]);
  assert.deepEqual(pinned(resolveTarget(reqs('app[fancy]'), channel.forTarget(x86))), { app: '1.0', lib: '2.0', 'fancy-dep': '0.1' });
  assert.deepEqual(pinned(resolveTarget(reqs('app'), channel.forTarget(x86))), { app: '1.0', lib: '2.0' });
});

test('backtracks to an older version when the newest one cannot be combined', () => {
  const channel = pool([
    { name: 'app', version: '2.0', requires: ['lib>=2'] },
    { name: 'app', version: '1.0', requires: ['lib<2'] },
    { name: 'lib', version: '1.0' },
    { name: 'lib', version: '2.0', requires: ['base>=5'] },
    { name: 'base', version: '4.0' },
  ]);
  assert.deepEqual(pinned(resolveTarget(reqs('app'), channel.forTarget(x86))), { app: '1.0', lib: '1.0' });
});

test('prefers the previous release pins when told to', () => {
  const channel = pool([{ name: 'lib', version: '1.0' }, { name: 'lib', version: '2.0' }]);
  assert.deepEqual(pinned(resolveTarget(reqs('lib'), channel.forTarget(x86), { preferred: new Map([['lib', '1.0']]) })), { lib: '1.0' });
});

test('markers are evaluated per target; a project with no usable file is a hole, not a failure', () => {
  const channel = pool([{ name: 'app', version: '1.0', requires: ['zhelper; platform_machine == "s390x"'] }, { name: 'zhelper', version: '1.0', state: 'vetted' }]);
  const onX86 = resolveTarget(reqs('app'), channel.forTarget(x86));
  assert.ok(onX86.ok && onX86.holes.length === 0);
  const onS390x = resolveTarget(reqs('app'), channel.forTarget(s390x));
  assert.ok(onS390x.ok);
  assert.deepEqual(onS390x.holes.map((h) => h.project), ['zhelper']);
});

test('a conflict names the clashing requirements, who made them, and the approved versions', () => {
  const channel = pool([{ name: 'app', version: '1.0', requires: ['lib<2'] }, { name: 'lib', version: '1.0' }, { name: 'lib', version: '2.0' }]);
  const outcome = resolveTarget(reqs('app', 'lib>=2'), channel.forTarget(x86));
  assert.equal(outcome.ok, false);
  if (outcome.ok) return;
  assert.equal(outcome.conflict.project, 'lib');
  assert.match(outcome.conflict.message, /lib<2 \(from app 1\.0\)/);
  assert.match(outcome.conflict.message, /lib>=2 \(from the top-level requirements\)/);
  assert.match(outcome.conflict.message, /2\.0 \(fails lib<2 of app 1\.0\)/);
});

test('wheel tags and Requires-Python decide what a target may use', () => {
  const channel = pool([
    { name: 'native', version: '2.0', tag: 'cp312-cp312-manylinux_2_17_s390x' },
    { name: 'native', version: '1.0', tag: 'cp312-cp312-manylinux_2_17_x86_64' },
    { name: 'native', version: '3.0', requiresPython: '>=3.13' },
  ]);
  assert.deepEqual(pinned(resolveTarget(reqs('native'), channel.forTarget(x86))), { native: '1.0' });
  assert.deepEqual(pinned(resolveTarget(reqs('native'), channel.forTarget(s390x))), { native: '2.0' });
});

test('the closure proof finds a hole on one target only and names it', () => {
  const channel = pool([{ name: 'app', version: '1.0', requires: ['zhelper; platform_machine == "s390x"', 'lib>=1'] }, { name: 'lib', version: '1.0' }]);
  const files = () => new Map([['app', 'app-1.0-py3-none-any.whl'], ['lib', 'lib-1.0-py3-none-any.whl']]);
  const proof = proveClosure(
    { name: 'r1', targets: [x86.name, s390x.name], topLevel: reqs('app'), pins: new Map([[x86.name, files()], [s390x.name, files()]]) },
    channel,
  );
  assert.equal(proof.closed, false);
  const [onX86, onS390x] = proof.targets;
  assert.equal(onX86?.closed, true);
  assert.equal(onX86?.steps.length, 2);
  assert.deepEqual(onS390x?.holes.map((h) => [h.project, h.by]), [['zhelper', 'app 1.0']]);
});

test('a late conflict jumps straight back to its cause instead of retrying every unrelated choice', () => {
  const independent = Array.from({ length: 15 }, (_, i) => [
    { name: `q${i}`, version: '2.0', requires: i === 14 ? ['r'] : [] },
    { name: `q${i}`, version: '1.0', requires: i === 14 ? ['r'] : [] },
  ]).flat();
  const channel = pool([{ name: 'p', version: '2.0' }, { name: 'p', version: '1.0' }, ...independent, { name: 'r', version: '1.0', requires: ['p<2'] }]);
  const outcome = resolveTarget(reqs('p', ...independent.filter((s) => s.version === '2.0').map((s) => s.name)), channel.forTarget(x86));
  assert.equal(pinned(outcome)['p'], '1.0');
  assert.ok(outcome.attempts < 100, `${outcome.attempts} decisions (chronological backtracking needs 2^15)`);
});
