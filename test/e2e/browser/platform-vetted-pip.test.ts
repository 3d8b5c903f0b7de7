// The platform as its people use it, in real Chromium: the admin makes a publishing token on the
// hub's token page, uploads wheels with real twine to the channel mounted on the hub, approves
// them in the hub's admin area with the vetting report in view, and publishes a release; a user
// logs in, starts the real jupyterhub-singleuser bound to that release, `%pip install`s an
// approved package in a notebook cell and imports it. A package that exists only on another index
// (named in the user's own pip.conf) is not found, and the installed files are exactly the
// release's wheel (its RECORD hashes).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { chownSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { cliActor, createLogger } from '../../../src/log/index.js';
import { launchChromium } from '../../helpers/browser.js';
import { cleanUp } from '../../helpers/clean-up.js';
import { runBulwarkInProcess } from '../../helpers/in-process-cli.js';
import { createOsUser, removeOsUser, type OsUser } from '../../helpers/os-users.js';
import { startTestChannel, type TestChannel } from '../../helpers/test-channel.js';
import { startTestPlatform, type TestPlatform } from '../../helpers/test-platform.js';
import { makeTempDir } from '../../helpers/temp-dir.js';
import { buildWheel, type BuiltWheel } from '../../helpers/wheel-builder.js';
import { twineUpload } from '../../integration/channel/python-clients.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const artifactDir = `${repoRoot}.tmp/e2e`;
const RELEASE = 'toolkit-1';
const TARGET = 'cp311-manylinux_x86_64'; // Debian 12's python3 on this machine

interface NotebookWindow {
  Jupyter?: { notebook?: { kernel?: { is_connected(): boolean } | null } };
}

/** The lines of a wheel's RECORD that carry a hash: what pip must install byte for byte. */
function hashedRecordLines(wheel: BuiltWheel): string[] {
  return wheel.record.split('\n').filter((line) => /,sha256=/.test(line));
}

describe('one platform: vetted packages in a notebook, in Chromium', { timeout: 300_000 }, () => {
  const temp = makeTempDir('bulwark-platform-e2e-');
  let platform: TestPlatform | undefined;
  let elsewhere: TestChannel | undefined;
  let browser: Browser | undefined;
  let user: OsUser | undefined;
  const log: string[] = [];
  const adminName = `bwadm${randomBytes(4).toString('hex')}`;
  const passwords = { admin: randomBytes(12).toString('base64url'), user: randomBytes(12).toString('base64url') };
  const demo = buildWheel({ name: 'bw-demo', version: '1.0', files: { 'bw_demo/answer.py': 'ANSWER = 42\n' } });
  const demoHelper = buildWheel({ name: 'bw-demo-extra', version: '2.0' });
  const onlyElsewhere = buildWheel({ name: 'bw-elsewhere', version: '1.0' });

  before(async () => {
    browser = await launchChromium();
    user = await createOsUser();
    // Another index that has a package our channel does not, named in the user's own pip.conf.
    elsewhere = await startTestChannel();
    const house = join(temp.path, 'elsewhere');
    mkdirSync(house);
    writeFileSync(join(house, onlyElsewhere.filename), onlyElsewhere.bytes);
    const upload = await twineUpload(elsewhere.url, await elsewhere.token(['channel:publish']), [join(house, onlyElsewhere.filename)]);
    assert.equal(upload.code, 0, upload.stdout + upload.stderr);
    const pipDir = join(user.home, '.config', 'pip');
    mkdirSync(pipDir, { recursive: true });
    writeFileSync(join(pipDir, 'pip.conf'), `[global]\nextra-index-url = ${elsewhere.indexUrl}\n`);
    for (const path of [join(user.home, '.config'), pipDir, join(pipDir, 'pip.conf')]) chownSync(path, user.uid, user.gid);

    const stream = new PassThrough();
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => log.push(...chunk.split('\n').filter((line) => line !== '')));
    const logger = process.env['BULWARK_TEST_LOG'] ? undefined : createLogger({ level: 'info', pretty: false }, stream);
    platform = await startTestPlatform({ 'spawner.package_channel': RELEASE }, logger);
    await platform.handle.hub.services.users.create({ name: adminName, password: passwords.admin, admin: true, authorized: true }, cliActor);
    await platform.handle.hub.services.users.create({ name: user.name, password: passwords.user, authorized: true }, cliActor);
  });

  after(async () => {
    await cleanUp([
      ['close browser', () => browser?.close()],
      ['stop platform', () => platform?.close()],
      ['stop other index', () => elsewhere?.close()],
      ['remove user', () => (user ? removeOsUser(user) : undefined)],
      ['remove temp dir', () => temp.remove()],
    ]);
  });

  it('admin publishes and approves, the user installs only what the release holds', async (t) => {
    assert.ok(browser && platform && user, 'setup did not finish');
    const base = platform.url;
    const contexts: BrowserContext[] = [];
    const newPage = async (): Promise<Page> => {
      assert.ok(browser);
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      context.setDefaultTimeout(30_000);
      contexts.push(context);
      return context.newPage();
    };
    const login = async (page: Page, name: string, password: string) => {
      await page.goto(`${base}/hub/login`);
      await page.fill('#username_input', name);
      await page.fill('#password_input', password);
      await page.click('#login_submit');
      await page.waitForURL((url) => !url.pathname.endsWith('/hub/login'));
    };
    const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
      const began = Date.now();
      const result = await fn();
      t.diagnostic(`${name}: ${Date.now() - began} ms`);
      return result;
    };

    try {
      const admin = await newPage();
      await login(admin, adminName, passwords.admin);

      const token = await step('admin makes a publishing token on /hub/token', async () => {
        await admin.goto(`${base}/hub/token`);
        await admin.fill('#token-note', 'twine uploads');
        await admin.fill('#token-scopes', 'channel:publish');
        await admin.click('#request-token');
        await admin.locator('#token-result').waitFor();
        return ((await admin.locator('#new-token-value').textContent()) ?? '').trim();
      });
      assert.match(token, /^[0-9a-f]{32}$/);

      await step('twine uploads to the channel on the hub listener', async () => {
        const house = join(temp.path, 'house');
        mkdirSync(house);
        for (const wheel of [demo, demoHelper]) writeFileSync(join(house, wheel.filename), wheel.bytes);
        const upload = await twineUpload(platform!.channelUrl, token, [join(house, demo.filename), join(house, demoHelper.filename)]);
        assert.equal(upload.code, 0, upload.stdout + upload.stderr);
        // Vetted, not yet approved: nobody can install it.
        assert.equal((await fetch(`${platform!.channelUrl}simple/bw-demo/`)).status, 404);
      });

      await step('admin approves in the hub admin area with the vetting report in view', async () => {
        await approveInAdminArea(admin, base, demo.filename);
        await approveInAdminArea(admin, base, demoHelper.filename);
        assert.equal((await fetch(`${platform!.channelUrl}simple/bw-demo/`)).status, 200);
      });

      await step('release created and published', async () => {
        writeFileSync(join(temp.path, 'toolkit.txt'), 'bw-demo\n');
        const set = ['--set', `hub.data_dir=${platform!.dataDir}`];
        const created = await runBulwarkInProcess(['channel', 'release', 'create', RELEASE, '--requirements', join(temp.path, 'toolkit.txt'), '--target', TARGET, ...set], { cwd: temp.path });
        assert.equal(created.code, 0, created.stdout + created.stderr);
        const published = await runBulwarkInProcess(['channel', 'release', 'publish', RELEASE, '--base-url', platform!.channelUrl, ...set], { cwd: temp.path });
        assert.equal(published.code, 0, published.stdout + published.stderr);
      });

      const me = await newPage();
      await step('the user logs in, sees the release on the home page, starts the server', async () => {
        await login(me, user!.name, passwords.user);
        await me.goto(`${base}/hub/home`);
        assert.match((await me.locator('body').textContent()) ?? '', new RegExp(RELEASE));
        await me.click('#start');
        await me.waitForURL(`${base}/user/${user!.name}/tree**`, { timeout: 120_000 });
        await me.locator('#notebook_list').waitFor();
      });

      const notebook = await step('a notebook with a live kernel', async () => {
        await me.click('#new-dropdown-button');
        const [popup] = await Promise.all([me.context().waitForEvent('page'), me.click('#kernel-python3')]);
        await popup.waitForFunction(() => (globalThis as unknown as NotebookWindow).Jupyter?.notebook?.kernel?.is_connected() === true, undefined, { timeout: 60_000 });
        await popup.locator('#kernel_indicator_icon.kernel_idle_icon').waitFor();
        return popup;
      });

      let cellIndex = 0;
      /** Types `code` into the next cell like a person, runs it, waits until it finished, returns its output. */
      const runCell = async (code: string): Promise<string> => {
        const cell = notebook.locator('.cell.code_cell').nth(cellIndex);
        cellIndex += 1;
        await cell.locator('.CodeMirror').click();
        await notebook.keyboard.type(code);
        await notebook.keyboard.press('Shift+Enter');
        // The prompt turns from In [*] to In [n] when the kernel is done with the cell.
        await cell.locator('.input_prompt').filter({ hasText: /In\s*\[\d+\]/ }).waitFor({ timeout: 180_000 });
        return ((await cell.locator('.output_area').allTextContents()).join('\n')).trim();
      };

      const installed = await step('%pip install of an approved package', () => runCell('%pip install bw-demo'));
      assert.match(installed, /Successfully installed bw-demo-1\.0/, installed);
      const imported = await step('import it', () => runCell('from bw_demo.answer import ANSWER; print(ANSWER)'));
      assert.equal(imported, '42');

      const refused = await step('%pip install of a package only another index has', () => runCell('%pip install bw-elsewhere'));
      assert.match(refused, /No matching distribution found for bw-elsewhere/, refused);
      const outside = await step('%pip install of an approved package outside the release', () => runCell('%pip install bw-demo-extra'));
      assert.match(outside, /No matching distribution found for bw-demo-extra/, outside);

      const record = await step('the installed RECORD', () =>
        runCell("import importlib.metadata as m; print(m.distribution('bw-demo').read_text('RECORD'))"),
      );
      for (const line of hashedRecordLines(demo)) assert.ok(record.includes(line), `installed files differ from the release's wheel: ${line} not in\n${record}`);
      mkdirSync(artifactDir, { recursive: true });
      await notebook.screenshot({ path: `${artifactDir}/platform-vetted-pip.png` });
    } catch (error) {
      mkdirSync(artifactDir, { recursive: true });
      let n = 0;
      for (const context of contexts) {
        for (const page of context.pages()) {
          n += 1;
          await page.screenshot({ path: `${artifactDir}/platform-failure-${n}.png` }).catch(() => {});
          t.diagnostic(`platform-failure-${n}.png: ${page.url()}`);
        }
      }
      for (const line of log.slice(-30)) t.diagnostic(`  ${line.slice(0, 300)}`);
      throw error;
    } finally {
      for (const context of contexts) await context.close().catch(() => {});
    }
  });
});

/** Opens the file's vetting report in the hub's admin area and approves it there. */
async function approveInAdminArea(page: Page, base: string, filename: string): Promise<void> {
  await page.goto(`${base}/hub/admin/channel`);
  await Promise.all([page.waitForURL(/\/hub\/admin\/channel\/files\//), page.click(`#pending-files a:text("${filename}")`)]);
  assert.ok((await page.locator('#report-steps li').count()) > 0, `no vetting report shown for ${filename}`);
  await page.fill('#approve-reason', 'reviewed in the hub admin area');
  await Promise.all([page.waitForURL(/done=approved/), page.click('#approve-submit')]);
}
