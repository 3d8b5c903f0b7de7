// The channel's review in the hub's admin area, with the hub and the channel in one process on
// one database (as `bulwark up` runs them): who may see it, the lists and the vetting report,
// approving from the page into the channel's Simple API, rejecting with a reason, both audited
// under the hub user; and the advisories affecting the newest published release.
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { importAdvisories } from '../../../src/channel/advisories/index.js';
import { createRelease } from '../../../src/channel/releases/create-release.js';
import { publishRelease } from '../../../src/channel/releases/publish-release.js';
import { quarantineAffected } from '../../../src/channel/review/quarantine-affected.js';
import { cliActor } from '../../../src/log/index.js';
import { BrowserLikeClient } from '../../helpers/browser-like-client.js';
import { buildWheel, FAKE_RSA_KEY } from '../../helpers/crafted-wheels.js';
import { startHubWithChannel, type HubWithChannel } from '../../helpers/hub-with-channel.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';

const OSV = fileURLToPath(new URL('../../../../shared/fixtures/osv/', import.meta.url));
const JSON_ACCEPT = { accept: 'application/vnd.pypi.simple.v1+json' };

const good = buildWheel({ name: 'demo-pkg', version: '1.0' });
const later = buildWheel({ name: 'demo-pkg', version: '1.1' });
const secret = buildWheel({ name: 'demo-secret', version: '1.0', files: { 'demo_secret/__init__.py': '', 'demo_secret/key.pem': FAKE_RSA_KEY } });
const jinja = buildWheel({ name: 'Jinja2', version: '2.11.2' });

const fileUrl = (filename: string, action = '') => `/hub/admin/channel/files/${encodeURIComponent(filename)}${action}`;

async function login(url: string, name: string, password: string): Promise<BrowserLikeClient> {
  const client = new BrowserLikeClient(url);
  const done = await client.submitForm('/hub/login', '/hub/login', { username: name, password });
  assert.notEqual(done.status, 403, `login of ${name} failed`);
  return client;
}

describe('the channel in the hub admin area', () => {
  let platform: HubWithChannel;
  let plain: TestHub;
  let boss: BrowserLikeClient;

  const indexFiles = async (project: string) => {
    const response = await fetch(`${platform.channelUrl}simple/${project}/`, { headers: JSON_ACCEPT });
    return response.status === 404 ? [] : ((await response.json()) as { files: Array<{ filename: string }> }).files.map((f) => f.filename);
  };
  const stateOf = async (filename: string) => (await platform.context.catalog.file(filename))?.state;

  before(async () => {
    platform = await startHubWithChannel({
      roles: [
        { name: 'approver', scopes: ['channel:approve'], users: ['rita'] },
        { name: 'reader', scopes: ['channel:read'], users: ['carl'] },
      ],
    });
    const users = platform.hub.handle.services.users;
    await users.create({ name: 'boss', password: 'Boss-Password-1', admin: true, authorized: true }, cliActor);
    await users.create({ name: 'rita', password: 'Rita-Password-1', authorized: true }, cliActor);
    await users.create({ name: 'carl', password: 'Carl-Password-1', authorized: true }, cliActor);
    assert.deepEqual(
      [await platform.upload(good), await platform.upload(later), await platform.upload(secret)],
      ['vetted', 'vetted', 'rejected'],
      'the crafted wheels vet as expected',
    );
    boss = await login(platform.url, 'boss', 'Boss-Password-1');
    plain = await startTestHub();
    await plain.handle.services.users.create({ name: 'boss', password: 'Boss-Password-1', admin: true, authorized: true }, cliActor);
  });
  after(async () => {
    await plain?.close();
    await platform?.close();
  });

  test('a hub without a channel answers 404 and shows no link', async () => {
    const admin = await login(plain.url, 'boss', 'Boss-Password-1');
    assert.equal((await admin.request('/hub/admin/channel')).status, 404);
    assert.equal((await admin.request(fileUrl(good.filename))).status, 404);
    const page = await admin.request('/hub/admin');
    assert.equal(page.status, 200);
    assert.doesNotMatch(page.body, /admin\/channel|id="admin-channel"/);
  });

  test('without channel:approve the views are 404 (channel:read is not enough) and nothing changes', async () => {
    const carl = await login(platform.url, 'carl', 'Carl-Password-1');
    assert.equal((await carl.request('/hub/admin/channel')).status, 404);
    assert.equal((await carl.request(fileUrl(good.filename))).status, 404);
    const xsrf = BrowserLikeClient.xsrfFrom((await carl.request('/hub/change-password')).body);
    const post = await carl.request(fileUrl(good.filename, '/approve'), { form: { _xsrf: xsrf, reason: 'mine' }, follow: false });
    assert.equal(post.status, 404);
    assert.equal(await stateOf(good.filename), 'vetted');
    assert.doesNotMatch((await carl.request('/hub/home')).body, /nav-channel/);
  });

  test('an approver who is not an admin may review; the admin page stays closed to them', async () => {
    const rita = await login(platform.url, 'rita', 'Rita-Password-1');
    const status = await rita.request('/hub/admin/channel');
    assert.equal(status.status, 200);
    assert.match(status.body, /id="pending-files"/);
    assert.doesNotMatch(status.body, /id="channel-to-users"/);
    assert.equal((await rita.request('/hub/admin')).status, 404);
  });

  test('an admin sees counts and lists, linked from the admin page, and each file with its vetting report', async () => {
    const admin = await boss.request('/hub/admin');
    assert.match(admin.body, /id="nav-channel"/);
    assert.match(admin.body, /id="admin-channel-pending">2</);
    assert.match(admin.body, /id="admin-channel-rejected">1</);
    const page = await boss.request('/hub/admin/channel');
    assert.equal(page.status, 200);
    assert.match(page.body, /id="count-pending">2</);
    assert.match(page.body, /id="count-quarantined">0</);
    assert.match(page.body, /id="count-rejected">1</);
    assert.match(page.body, /id="channel-to-users"/);
    const pending = /<table id="pending-files">[^]*?<\/table>/.exec(page.body)?.[0] ?? '';
    assert.match(pending, new RegExp(`href="/hub/admin/channel/files/${good.filename}">${good.filename}<`));
    assert.match(pending, new RegExp(later.filename.replace(/\./g, '\\.')));
    const rejected = /<table id="rejected-files">[^]*?<\/table>/.exec(page.body)?.[0] ?? '';
    assert.match(rejected, /<td>demo-secret<\/td><td>1\.0<\/td>/);
    assert.match(rejected, /SECRET_PRIVATE_KEY/, 'the state reason names the blocking finding');
    assert.match(page.body, /id="release-none"/);

    const report = await boss.request(fileUrl(secret.filename));
    assert.equal(report.status, 200);
    assert.match(report.body, /id="report-status">rejected</);
    assert.match(report.body, /<tr class="finding" data-code="SECRET_PRIVATE_KEY" data-blocking="yes">[^]*?<td>(high|critical|medium)<\/td>[^]*?blocks/);
    assert.match(report.body, /id="approve-form"/);
    assert.match(report.body, /id="waivable">Blocking findings can be waived as: SECRET_PRIVATE_KEY/);
    assert.equal((await boss.request(fileUrl('no-such-1.0-py3-none-any.whl'))).status, 404);
  });

  test('approving from the page lets the file into the Simple API; the audit names the hub user', async () => {
    assert.deepEqual(await indexFiles('demo-pkg'), []);
    const done = await boss.submitForm(fileUrl(good.filename), fileUrl(good.filename, '/approve'), { reason: 'reviewed on the page' });
    assert.equal(done.status, 200);
    assert.equal(done.url, `${fileUrl(good.filename)}?done=approved`);
    assert.match(done.body, /id="review-notice"[^>]*>Approved/);
    assert.match(done.body, /id="file-state">approved</);
    assert.deepEqual(await indexFiles('demo-pkg'), [good.filename]);
    assert.equal((await fetch(`${platform.channelUrl}files/demo-pkg/${good.filename}`)).status, 200);
    const audit = (await platform.hub.handle.services.audit.list({ action: 'channel.approve' })).find((r) => r.target === good.filename);
    assert.equal(audit?.actor, 'boss');
    assert.equal(audit?.ip, '127.0.0.1');
    assert.equal((audit?.detail as { reason: string }).reason, 'reviewed on the page');
  });

  test('a rejected file is refused approval with its report in view; waiving its finding needs a reason, then lets it in', async () => {
    const refused = await boss.submitForm(fileUrl(secret.filename), fileUrl(secret.filename, '/approve'), { reason: 'please' });
    assert.equal(refused.status, 409);
    assert.match(refused.body, /id="review-error"[^>]*>Not approved: vetting still rejects this file \(SECRET_PRIVATE_KEY\)/);
    assert.match(refused.body, /data-code="SECRET_PRIVATE_KEY"/);
    const noReason = await boss.submitForm(fileUrl(secret.filename), fileUrl(secret.filename, '/approve'), { waive: 'SECRET_PRIVATE_KEY' });
    assert.equal(noReason.status, 400);
    assert.match(noReason.body, /Approving with waivers needs a reason/);
    assert.equal(await stateOf(secret.filename), 'rejected');
    assert.deepEqual(await indexFiles('demo-secret'), []);
    const waived = await boss.submitForm(fileUrl(secret.filename), fileUrl(secret.filename, '/approve'), { reason: 'test key, not a secret', waive: 'SECRET_PRIVATE_KEY', expires: '2w' });
    assert.equal(waived.status, 200);
    assert.match(waived.body, /id="file-state">approved</);
    assert.match(waived.body, /data-code="SECRET_PRIVATE_KEY" data-blocking="no">[^]*?waived until [^:]+:[^<]*test key, not a secret/);
    assert.deepEqual(await indexFiles('demo-secret'), [secret.filename]);
    const waiver = (await platform.hub.handle.services.audit.list({ action: 'channel.waive' })).find((r) => r.target === secret.filename);
    assert.equal(waiver?.actor, 'boss');
  });

  test('rejecting needs the XSRF token and a reason, and is audited under the hub user', async () => {
    const forged = await boss.request(fileUrl(later.filename, '/reject'), { form: { reason: 'forged' }, follow: false });
    assert.equal(forged.status, 403);
    const empty = await boss.submitForm(fileUrl(later.filename), fileUrl(later.filename, '/reject'), { reason: '   ' });
    assert.equal(empty.status, 400);
    assert.match(empty.body, /id="review-error"[^>]*>Rejecting a file needs a reason/);
    assert.equal(await stateOf(later.filename), 'vetted');
    const done = await boss.submitForm(fileUrl(later.filename), fileUrl(later.filename, '/reject'), { reason: 'superseded by a rebuild' });
    assert.equal(done.status, 200);
    assert.match(done.body, /id="review-notice"[^>]*>Rejected/);
    assert.equal(await stateOf(later.filename), 'rejected');
    const audit = (await platform.hub.handle.services.audit.list({ action: 'channel.reject' })).find((r) => r.target === later.filename);
    assert.equal(audit?.actor, 'boss');
    assert.deepEqual([(audit?.detail as { reason: string }).reason, (audit?.detail as { from: string }).from], ['superseded by a rebuild', 'vetted']);
    const status = await boss.request('/hub/admin/channel');
    assert.match(status.body, /id="count-rejected">1</);
    assert.match(status.body, /id="count-pending">0</);
  });

  test('advisories affecting the newest published release are shown; the re-check quarantines its file', async () => {
    assert.equal(await platform.upload(jinja), 'vetted');
    assert.equal((await boss.submitForm(fileUrl(jinja.filename), fileUrl(jinja.filename, '/approve'), { reason: 'ok' })).status, 200);
    const { context } = platform;
    const now = () => new Date().toISOString();
    await createRelease({ catalog: context.catalog, releases: context.releases.releases }, { name: '2026.1', requirements: 'Jinja2==2.11.2\n', targets: ['cp312-manylinux_x86_64'], from: undefined, actor: 'boss', now: now() });
    await publishRelease({ catalog: context.catalog, store: context.store, releases: context.releases.releases }, '2026.1', { channelUrl: platform.channelUrl, actor: 'boss', now: now(), toolVersion: 'test' });
    assert.match((await boss.request('/hub/admin/channel')).body, /id="release-advisories-none"/);

    await importAdvisories(`${OSV}pypa-advisory-database`, context.advisories, { now: () => new Date() });
    const recheck = await quarantineAffected(context, cliActor);
    assert.deepEqual(recheck.quarantined.map((q) => q.filename), [jinja.filename]);
    const page = await boss.request('/hub/admin/channel');
    assert.match(page.body, /id="release-name">2026\.1</);
    const advisories = /<table id="release-advisories">[^]*?<\/table>/.exec(page.body)?.[0] ?? '';
    assert.match(advisories, /data-advisory="PYSEC-2021-66"/);
    assert.match(advisories, /Jinja2 2\.11\.2|jinja2 2\.11\.2/);
    assert.match(page.body, /id="count-quarantined">1</);
    assert.match(/<table id="quarantined-files">[^]*?<\/table>/.exec(page.body)?.[0] ?? '', new RegExp(jinja.filename.replace(/\./g, '\\.')));
  });
});
