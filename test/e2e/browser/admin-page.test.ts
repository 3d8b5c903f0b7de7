// The admin page in real Chromium: an admin adds a user, starts and stops that user's real
// single-user server (under the user's Linux account), makes them admin and manages a group —
// every action is a REST call the page makes with the admin's cookie and XSRF token. The token
// page creates and revokes a token.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { cliActor } from '../../../src/log/index.js';
import { launchChromium } from '../../helpers/browser.js';
import { createOsUser, pidsOfUid, removeOsUser, type OsUser } from '../../helpers/os-users.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';

let hub: TestHub;
let browser: Browser;
let dora: OsUser;
const adminName = 'pageadmin';

before(async () => {
  dora = await createOsUser();
  hub = await startTestHub();
  await hub.handle.services.users.create({ name: adminName, password: 'admin-password-1', admin: true, authorized: true }, cliActor);
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await hub?.close();
  if (dora) await removeOsUser(dora);
});

async function waitUntil(probe: () => Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function login(page: Page): Promise<void> {
  await page.goto(`${hub.url}/hub/login?next=${encodeURIComponent('/hub/home')}`);
  await page.fill('input[name=username]', adminName);
  await page.fill('input[name=password]', 'admin-password-1');
  await Promise.all([page.waitForURL(/\/hub\/home/), page.click('button[type=submit]')]);
}

test('admin page: add a user, start and stop their server, make them admin, manage a group', async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await login(page);
  await page.click('#nav-admin');
  await page.waitForSelector(`#users tr[data-user="${adminName}"]`);

  await page.fill('#new-usernames', dora.name);
  await page.click('#add-users-submit');
  const row = `#users tr[data-user="${dora.name}"]`;
  await page.waitForSelector(`${row}[data-server="stopped"]`);

  await page.click(`${row} .start-server`);
  await page.waitForSelector(`${row}[data-server="running"]`, { timeout: 60_000 });
  assert.ok((await pidsOfUid(dora.uid)).length > 0, 'the server runs as the user');
  await page.click(`${row} .stop-server`);
  await page.waitForSelector(`${row}[data-server="stopped"]`, { timeout: 30_000 });
  assert.deepEqual(await pidsOfUid(dora.uid), [], 'no process of the user is left');

  await page.check(`${row} .toggle-admin`);
  await waitUntil(async () => (await hub.handle.services.users.require(dora.name)).admin);

  await page.fill('#user-search', dora.name.slice(0, 6));
  // The page's CSP forbids eval, so conditions are polled from here rather than with waitForFunction.
  await waitUntil(async () => (await page.locator('#users tbody tr').count()) === 1);

  await page.fill('#group-name', 'lab-team');
  await page.click('#add-group-submit');
  const group = '#groups tr[data-group="lab-team"]';
  await page.waitForSelector(group);
  await page.fill(`${group} .member-name`, dora.name);
  await page.click(`${group} .add-member`);
  await page.locator(`${group} .group-members`, { hasText: dora.name }).waitFor();
  assert.deepEqual((await hub.handle.services.users.groupsOf((await hub.handle.services.users.require(dora.name)).id)), ['lab-team']);

  const audit = await hub.handle.services.audit.list({ limit: 50 });
  assert.ok(audit.some((r) => r.action === 'user.admin.grant' && r.target === dora.name && r.actor === adminName), 'actions run as the admin');
  assert.deepEqual(errors, []);
  await page.close();
});

test('token page: create a token with a note, expiry and scopes, use it, revoke it', async () => {
  const page = await browser.newPage();
  await login(page);
  await page.click('#nav-token');
  await page.fill('#token-note', 'from the token page');
  await page.selectOption('#token-expires', '3600');
  await page.fill('#token-scopes', `read:users!user=${adminName}`);
  await page.click('#request-token');
  await page.waitForSelector('#token-result:not([hidden])');
  const token = (await page.textContent('#new-token-value')) ?? '';
  assert.match(token, /^[0-9a-f]{32}$/);
  const me = await fetch(`${hub.url}/hub/api/users/${adminName}`, { headers: { authorization: `token ${token}` } });
  assert.equal(me.status, 200);
  const other = await fetch(`${hub.url}/hub/api/users/${dora.name}`, { headers: { authorization: `token ${token}` } });
  assert.equal(other.status, 404, 'the token has only the scopes asked for');

  const row = page.locator('#tokens tbody tr', { hasText: 'from the token page' });
  await row.locator('.revoke-token').click();
  await row.waitFor({ state: 'detached' });
  const revoked = await fetch(`${hub.url}/hub/api/user`, { headers: { authorization: `token ${token}` } });
  assert.equal(revoked.status, 403);
  await page.close();
});
