// The hub home page's named servers in real Chromium, with the real jupyterhub-singleuser under a
// real Linux account: add a named server from the form (the page follows its progress and opens
// it), see it listed, stop it, start it again, delete it; named_server_limit_per_user disables the
// form when reached. The token page offers only expiries within hub.token_expires_in_max_seconds.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { cliActor } from '../../../src/log/index.js';
import { launchChromium } from '../../helpers/browser.js';
import { createOsUser, removeOsUser, type OsUser } from '../../helpers/os-users.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';

let hub: TestHub;
let browser: Browser;
let nina: OsUser;
let adminToken: string;
const PASSWORD = 'nina-password-1';

before(async () => {
  nina = await createOsUser();
  hub = await startTestHub({
    'hub.allow_named_servers': true,
    'hub.named_server_limit_per_user': 2,
    'hub.token_expires_in_max_seconds': 86_400,
    'spawner.start_timeout': 60,
  });
  const { users, tokens } = hub.handle.services;
  await users.create({ name: nina.name, password: PASSWORD, authorized: true }, cliActor);
  const admin = await users.create({ name: 'homeadmin', admin: true, authorized: true }, cliActor);
  adminToken = (await tokens.create({ owner: admin, note: 'test' }, cliActor)).token;
  browser = await launchChromium();
});

after(async () => {
  await browser?.close();
  await hub?.close();
  if (nina) await removeOsUser(nina);
});

interface ServerModel {
  ready: boolean;
  pending: string | null;
  url: string;
}

async function servers(includeStopped = false): Promise<Record<string, ServerModel>> {
  const response = await fetch(`${hub.url}/hub/api/users/${nina.name}${includeStopped ? '?include_stopped_servers' : ''}`, {
    headers: { authorization: `token ${adminToken}` },
  });
  return ((await response.json()) as { servers: Record<string, ServerModel> }).servers;
}

async function login(page: Page): Promise<void> {
  await page.goto(`${hub.url}/hub/login?next=${encodeURIComponent('/hub/home')}`);
  await page.fill('input[name=username]', nina.name);
  await page.fill('input[name=password]', PASSWORD);
  await Promise.all([page.waitForURL(/\/hub\/home/), page.click('button[type=submit]')]);
}

const rowOf = (name: string) => `#named-servers-table tr.named-server-row[data-server-name="${name}"]`;

/** Adds a server from the home page's form and waits until the page has opened it. */
async function addFromForm(page: Page, name: string): Promise<void> {
  await page.fill('#new-server-name', name);
  await Promise.all([page.waitForURL(new RegExp(`/user/${nina.name}/${name}/`), { timeout: 90_000 }), page.click('#new-server-btn')]);
}

test('home page: add named servers up to the limit, stop, restart and delete them', async () => {
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await login(page);

  await page.waitForSelector('#named-servers');
  assert.equal(await page.locator('#named-servers-table tbody tr').count(), 0);
  assert.equal(await page.textContent('#named-server-limit'), '2');

  await addFromForm(page, 'alpha');
  // The real single-user server answered (classic notebook UI under the user's account).
  await page.waitForSelector('#notebook_list, #ipython-main-app, body', { timeout: 30_000 });
  assert.equal((await servers())['alpha']?.ready, true);

  await page.goto(`${hub.url}/hub/home`);
  await page.waitForSelector(`${rowOf('alpha')}[data-state="running"]`);
  assert.equal(await page.getAttribute(`${rowOf('alpha')} a.open-server`, 'href'), `/user/${nina.name}/alpha/`);
  assert.equal(await page.isEnabled('#new-server-btn'), true);

  await addFromForm(page, 'beta');
  await page.goto(`${hub.url}/hub/home`);
  await page.waitForSelector(`${rowOf('beta')}[data-state="running"]`);
  // Two named servers is the limit: the form is off and says why.
  assert.equal(await page.isDisabled('#new-server-btn'), true);
  assert.equal(await page.isDisabled('#new-server-name'), true);
  await page.waitForSelector('#named-server-limit-reached');

  // Stop alpha: the row stays, stopped, with Start and Delete.
  await page.click(`${rowOf('alpha')} button.stop-server`);
  await page.waitForSelector(`${rowOf('alpha')}[data-state="stopped"]`, { timeout: 30_000 });
  assert.equal((await servers())['alpha'], undefined, 'alpha is no longer active');
  assert.equal((await servers(true))['alpha']?.ready, false, 'but it is still one of her servers');

  // Start it again from its row.
  await Promise.all([page.waitForURL(new RegExp(`/user/${nina.name}/alpha/`), { timeout: 90_000 }), page.click(`${rowOf('alpha')} button.start-server`)]);
  assert.equal((await servers())['alpha']?.ready, true);

  // Delete alpha while it runs (it is stopped and forgotten); the form is usable again.
  await page.goto(`${hub.url}/hub/home`);
  await page.click(`${rowOf('alpha')} button.delete-server`);
  await page.waitForSelector(rowOf('alpha'), { state: 'detached', timeout: 30_000 });
  assert.deepEqual(Object.keys(await servers(true)), ['beta']);
  assert.equal(await page.isEnabled('#new-server-btn'), true);

  // The limit is the API's: a server added elsewhere meanwhile makes this page's request fail, with the message shown.
  const elsewhere = await fetch(`${hub.url}/hub/api/users/${nina.name}/servers/gamma`, { method: 'POST', headers: { authorization: `token ${adminToken}` } });
  assert.ok([201, 202].includes(elsewhere.status));
  await page.fill('#new-server-name', 'delta');
  await page.click('#new-server-btn');
  await page.locator('#named-server-error').filter({ hasText: /maximum of 2 named servers/ }).waitFor({ timeout: 10_000 });

  // Pending rows have no Delete button and the page does not refresh itself: wait for gamma first.
  const deadline = Date.now() + 60_000;
  while ((await servers())['gamma']?.ready !== true) {
    if (Date.now() > deadline) throw new Error('gamma did not start');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await page.reload();
  for (const name of ['beta', 'gamma']) {
    await page.click(`${rowOf(name)} button.delete-server`);
    await page.waitForSelector(rowOf(name), { state: 'detached', timeout: 30_000 });
  }
  assert.deepEqual(await servers(true), {});
  assert.deepEqual(errors, []);
  await page.close();
});

test('token page: the expiry list stops at the maximum, and the default gets the maximum', async () => {
  const page = await browser.newPage();
  await login(page);
  await page.goto(`${hub.url}/hub/token`);
  const options = await page.locator('#token-expires option').evaluateAll((nodes) => nodes.map((node) => [node.textContent, node.getAttribute('value')]));
  assert.deepEqual(options, [
    ['1 Hour', '3600'],
    ['1 Day', '86400'],
  ]);
  assert.equal(await page.inputValue('#token-expires'), '86400', 'the last choice is selected');
  await page.fill('#token-note', 'capped');
  await page.click('#request-token');
  await page.waitForSelector('#token-result:not([hidden])');
  const token = (await page.textContent('#new-token-value')) ?? '';
  const me = (await (await fetch(`${hub.url}/hub/api/user`, { headers: { authorization: `token ${token}` } })).json()) as { name: string };
  assert.equal(me.name, nina.name);
  const list = (await (await fetch(`${hub.url}/hub/api/users/${nina.name}/tokens`, { headers: { authorization: `token ${adminToken}` } })).json()) as {
    api_tokens: Array<{ note: string; expires_at: string | null }>;
  };
  const capped = list.api_tokens.find((t) => t.note === 'capped');
  const left = (Date.parse(capped?.expires_at ?? '') - Date.now()) / 1000;
  assert.ok(left > 86_400 - 300 && left <= 86_400, `expires in ${left}s`);
  await page.close();
});
