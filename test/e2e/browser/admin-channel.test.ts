// The channel's review in real Chromium, with the hub and the channel in one process on one
// database: an admin logs in, follows the nav link to the channel view, reads a rejected file's
// vetting report, then approves a pending file with a reason; the channel's Simple API then
// offers it. Pages run under the hub's CSP (no inline script), so any violation fails the test.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { cliActor } from '../../../src/log/index.js';
import { launchChromium } from '../../helpers/browser.js';
import { buildWheel, FAKE_RSA_KEY } from '../../helpers/crafted-wheels.js';
import { startHubWithChannel, type HubWithChannel } from '../../helpers/hub-with-channel.js';

const good = buildWheel({ name: 'page-approved', version: '2.0' });
const secret = buildWheel({ name: 'page-secret', version: '1.0', files: { 'page_secret/__init__.py': '', 'page_secret/id_rsa': FAKE_RSA_KEY } });

let platform: HubWithChannel;
let browser: Browser;

before(async () => {
  platform = await startHubWithChannel();
  await platform.hub.handle.services.users.create({ name: 'chanadmin', password: 'Chan-Admin-Pass-1', admin: true, authorized: true }, cliActor);
  assert.deepEqual([await platform.upload(good), await platform.upload(secret)], ['vetted', 'rejected']);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await platform?.close();
});

test('an admin reads the vetting report and approves a file from the channel view', async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.goto(`${platform.url}/hub/login?next=${encodeURIComponent('/hub/admin')}`);
  await page.fill('input[name=username]', 'chanadmin');
  await page.fill('input[name=password]', 'Chan-Admin-Pass-1');
  await Promise.all([page.waitForURL(/\/hub\/admin$/), page.click('button[type=submit]')]);
  assert.equal(await page.textContent('#admin-channel-pending'), '1');

  await Promise.all([page.waitForURL(/\/hub\/admin\/channel$/), page.click('#nav-channel')]);
  assert.equal(await page.textContent('#count-pending'), '1');
  assert.equal(await page.textContent('#count-rejected'), '1');

  await Promise.all([page.waitForURL(/\/files\/page_secret/), page.click(`#rejected-files a:text("${secret.filename}")`)]);
  assert.equal(await page.textContent('#report-status'), 'rejected');
  const blocking = page.locator('#findings tr[data-blocking="yes"]');
  assert.equal(await blocking.count(), 1);
  assert.match((await blocking.textContent()) ?? '', /SECRET_PRIVATE_KEY[^]*blocks[^]*private key/i);

  await Promise.all([page.waitForURL(/\/hub\/admin\/channel$/), page.click('#back-to-channel')]);
  await Promise.all([page.waitForURL(/\/files\/page_approved/), page.click(`#pending-files a:text("${good.filename}")`)]);
  assert.equal(await page.textContent('#file-state'), 'vetted');
  assert.equal(await page.textContent('#report-status'), 'vetted');
  assert.ok((await page.locator('#report-steps li').count()) > 3, 'every vetting step is listed');
  await page.fill('#approve-reason', 'read the report in Chromium');
  await Promise.all([page.waitForURL(/done=approved/), page.click('#approve-submit')]);
  assert.match((await page.textContent('#review-notice')) ?? '', /Approved/);
  assert.equal(await page.textContent('#file-state'), 'approved');

  const index = await fetch(`${platform.channelUrl}simple/page-approved/`, { headers: { accept: 'application/vnd.pypi.simple.v1+json' } });
  assert.equal(index.status, 200);
  assert.deepEqual(((await index.json()) as { files: Array<{ filename: string }> }).files.map((f) => f.filename), [good.filename]);
  const audit = (await platform.hub.handle.services.audit.list({ action: 'channel.approve' })).find((r) => r.target === good.filename);
  assert.equal(audit?.actor, 'chanadmin');
  assert.deepEqual(errors, [], 'no script or CSP errors on the pages');
  await page.close();
});
