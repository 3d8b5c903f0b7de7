// quarantined → vetted | rejected → approved, with the real advisories of ../shared/fixtures/osv:
// the CLI (vet, approve, reject, waive, status, advisories import) and what the index, the
// downloads and the project page then show.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { startTestChannel, type TestChannel } from '../../helpers/test-channel.js';
import { buildWheel } from '../../helpers/wheel-builder.js';
import { channelCli, uploadWheels } from './channel-cli.js';

const OSV = fileURLToPath(new URL('../../../../shared/fixtures/osv/', import.meta.url));
const JSON_ACCEPT = { accept: 'application/vnd.pypi.simple.v1+json' };

describe('vetting states in the channel', () => {
  let channel: TestChannel;
  let publish: string;
  const cli = (...argv: string[]) => channelCli(channel, ['channel.policy.require_vetting=true'], ...argv);
  const affected = buildWheel({ name: 'Jinja2', version: '2.11.2' });
  const fixed = buildWheel({ name: 'Jinja2', version: '2.11.3' });
  const malicious = buildWheel({ name: 'litellm', version: '1.82.8' });
  const laterAffected = buildWheel({ name: 'requests', version: '2.30.0' });
  const indexFiles = async (name: string) => {
    const response = await fetch(`${channel.indexUrl}${name}/`, { headers: JSON_ACCEPT });
    return response.status === 404 ? [] : ((await response.json()) as { files: Array<{ filename: string }> }).files.map((f) => f.filename);
  };
  const download = async (project: string, filename: string) => (await fetch(`${channel.url}files/${project}/${filename}`)).status;

  before(async () => {
    channel = await startTestChannel({ 'channel.policy.require_vetting': true });
    publish = await channel.token(['channel:publish']);
  });
  after(async () => channel?.close());

  test('an upload is vetted at once; nothing leaves quarantine without an approver', async () => {
    const [clean] = await uploadWheels(channel, publish, [laterAffected]);
    assert.equal(clean?.body['state'], 'vetted');
    assert.deepEqual(await indexFiles('requests'), []);
    assert.equal(await download('requests', laterAffected.filename), 404);
    const approved = await cli('channel', 'approve', 'requests', '--reason', 'reviewed');
    assert.equal(approved.code, 0, approved.stderr);
    assert.deepEqual(await indexFiles('requests'), [laterAffected.filename]);
    assert.equal(await download('requests', laterAffected.filename), 200);
  });

  test('advisory import rejects the affected version and re-checks approved files into quarantine', async () => {
    for (const dir of ['pypa-advisory-database', 'malicious']) {
      const imported = await cli('channel', 'advisories', 'import', `${OSV}${dir}`, '--json');
      assert.equal(imported.code, 0, imported.stderr);
      if (dir === 'pypa-advisory-database') {
        const recheck = (JSON.parse(imported.stdout) as { recheck: { quarantined: Array<{ filename: string; advisories: string[] }> } }).recheck;
        assert.deepEqual(recheck.quarantined, [{ filename: laterAffected.filename, advisories: ['PYSEC-2023-74'] }]);
        assert.match(imported.stderr, /advisory import moved a file to quarantine/);
      }
    }
    assert.deepEqual(await indexFiles('requests'), [], 'the re-checked file left the index');
    assert.equal(await download('requests', laterAffected.filename), 404);
    const audit = await channel.handle.services.audit.list({ action: 'channel.quarantine' });
    assert.equal(audit[0]?.target, laterAffected.filename);
    assert.deepEqual((audit[0]?.detail as { advisories: string[] }).advisories, ['PYSEC-2023-74']);
    const page = await (await fetch(`${channel.url}project/requests/`)).text();
    assert.match(page, /id="notices"[^]*moved to quarantine[^]*PYSEC-2023-74/);

    const uploads = await uploadWheels(channel, publish, [affected, fixed, malicious]);
    assert.deepEqual(uploads.map((u) => u.body['state']), ['rejected', 'vetted', 'rejected']);
  });

  test('approve refuses rejected files, lets vetted ones in; index and download agree', async () => {
    const refused = await cli('channel', 'approve', 'jinja2', '2.11.2');
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /CHANNEL_APPROVAL_REFUSED/);
    assert.match(refused.stdout, /refused Jinja2-2\.11\.2-py3-none-any\.whl \(rejected: VULN_KNOWN\)/);
    assert.equal((await cli('channel', 'approve', 'jinja2', '2.11.3')).code, 0);
    assert.deepEqual(await indexFiles('jinja2'), [fixed.filename]);
    assert.equal(await download('jinja2', fixed.filename), 200);
    assert.equal(await download('jinja2', affected.filename), 404);
    assert.equal(await download('jinja2', `${affected.filename}.metadata`), 404);
  });

  test('status --json shows states and reports; the project page shows each step', async () => {
    const status = await cli('channel', 'status', 'jinja2', '--json');
    assert.equal(status.code, 0, status.stderr);
    const rows = JSON.parse(status.stdout) as Array<{ filename: string; state: string; report: { status: string; steps: Array<{ name: string; status: string; findings: Array<{ code: string; evidence: { advisory?: string } }> }> } }>;
    assert.deepEqual(rows.map((r) => [r.filename, r.state, r.report.status]), [[affected.filename, 'rejected', 'rejected'], [fixed.filename, 'approved', 'vetted']]);
    const vuln = rows[0]?.report.steps.find((s) => s.name === 'vulnerabilities');
    assert.equal(vuln?.status, 'fail');
    assert.equal(vuln?.findings[0]?.evidence.advisory, 'PYSEC-2021-66');
    const approver = await channel.token(['channel:approve']);
    const page = await (await fetch(`${channel.url}project/jinja2/`, { headers: { authorization: `token ${approver}` } })).text();
    assert.match(page, /data-state="rejected"/);
    assert.match(page, /<strong>zip-integrity<\/strong>: pass/);
    assert.match(page, /<code>VULN_KNOWN<\/code> \[blocks\] PYSEC-2021-66/);
    const anonymous = await (await fetch(`${channel.url}project/jinja2/`)).text();
    assert.doesNotMatch(anonymous, /2\.11\.2-py3/, 'rejected files are shown to approvers only');
  });

  test('waive lets an approver accept an advisory; reject takes a file out again; MAL- is never waived', async () => {
    const waived = await cli('channel', 'approve', 'jinja2', '2.11.2', '--waive', 'PYSEC-2021-66', '--reason', 'urlize is not used', '--expires', '30d');
    assert.equal(waived.code, 0, waived.stdout + waived.stderr);
    assert.deepEqual(await indexFiles('jinja2'), [affected.filename, fixed.filename]);
    const rejected = await cli('channel', 'reject', 'jinja2', '2.11.2', '--reason', 'pulled after review');
    assert.equal(rejected.code, 0, rejected.stderr);
    assert.equal(await download('jinja2', affected.filename), 404);
    assert.equal((await cli('channel', 'vet', 'jinja2')).code, 0, 're-vetting passes (the waiver holds)…');
    assert.equal(await download('jinja2', affected.filename), 404, '…but a person\'s rejection stands');
    const mal = await cli('channel', 'waive', '--file', malicious.filename, '--advisory', 'MAL-2026-2144', '--reason', 'x');
    assert.notEqual(mal.code, 0);
    assert.match(mal.stderr, /CHANNEL_WAIVER_INVALID/);
    const approveMal = await cli('channel', 'approve', 'litellm', '--waive', 'MAL-2026-2144', '--reason', 'x');
    assert.notEqual(approveMal.code, 0);
    assert.match(approveMal.stderr, /MAL- records always block/);
    assert.equal((await cli('channel', 'approve', 'litellm')).code, 1);
    assert.deepEqual(await indexFiles('litellm'), []);
    const transitions = await channel.handle.services.audit.list({ action: 'channel.reject' });
    assert.ok(transitions.some((t) => t.target === affected.filename && (t.detail as { reason: string }).reason === 'pulled after review'));
  });

  test('waive --finding re-vets at once; without require_vetting a vetted file is approved automatically', async () => {
    const squat = buildWheel({ name: 'reqeusts', version: '1.0' });
    const [upload] = await uploadWheels(channel, publish, [squat]);
    assert.equal(upload?.body['state'], 'rejected');
    const waived = await channelCli(channel, ['channel.policy.require_vetting=false'], 'channel', 'waive', '--file', squat.filename, '--finding', 'NAME_TYPOSQUAT', '--reason', 'our own project', '--json');
    assert.equal(waived.code, 0, waived.stderr);
    assert.equal((JSON.parse(waived.stdout) as { state: string }).state, 'approved');
    assert.deepEqual(await indexFiles('reqeusts'), [squat.filename]);
  });
});
