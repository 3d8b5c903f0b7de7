// The notebook slice in a real browser: signup, admin authorization, login, spawn, a notebook cell
// run through the kernel WebSocket as the user's own Linux account, and another user's access
// refused on every path (page, API, WebSocket). Every step is done the way a person would do it:
// by loading hub pages and clicking their buttons in Chromium.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { PassThrough } from 'node:stream';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { cliActor, createLogger } from '../../../src/log/index.js';
import { launchChromium } from '../../helpers/browser.js';
import { cleanUp } from '../../helpers/clean-up.js';
import { createOsUser, removeOsUser, type OsUser } from '../../helpers/os-users.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
/** Screenshots go under .tmp/ (gitignored). */
const artifactDir = `${repoRoot}.tmp/e2e`;

/** What the test reads of the classic notebook's page globals inside page.evaluate. */
interface NotebookWindow {
  Jupyter?: {
    notebook?: {
      kernel?: { id: string; is_connected(): boolean } | null;
      get_cell(index: number): { get_text(): string } | null;
    };
  };
}

interface WebSocketProbe {
  opened: boolean;
  errored: boolean;
  closeCode: number | null;
}

/** Opens a WebSocket from the page (so with its cookies) and reports whether it opened before it closed. */
async function probeWebSocket(page: Page, wsUrl: string): Promise<WebSocketProbe> {
  return page.evaluate(
    (url) =>
      new Promise<WebSocketProbe>((resolve) => {
        const result: WebSocketProbe = { opened: false, errored: false, closeCode: null };
        const socket = new WebSocket(url);
        socket.onopen = () => {
          result.opened = true;
          socket.close(1000);
        };
        socket.onerror = () => {
          result.errored = true;
        };
        socket.onclose = (event) => {
          result.closeCode = event.code;
          resolve(result);
        };
        // Neither outcome within 15 s is reported as such (closeCode stays null) rather than hanging.
        setTimeout(() => resolve(result), 15_000);
      }),
    wsUrl,
  );
}

/** One hub log record (a JSON line) as `level user: message`, for failure diagnostics. */
function logLine(line: string): string {
  try {
    const record = JSON.parse(line) as { level?: number; msg?: string; user?: string; err?: { message?: string } };
    const who = record.user ? `${record.user}: ` : '';
    return `${record.level ?? '?'} ${who}${record.msg ?? ''}${record.err?.message ? ` (${record.err.message})` : ''}`.slice(0, 300);
  } catch {
    return line.slice(0, 300);
  }
}

function password(): string {
  return randomBytes(12).toString('base64url');
}

describe('notebook slice in Chromium', { timeout: 150_000 }, () => {
  let hub: TestHub | undefined;
  let browser: Browser | undefined;
  let userA: OsUser | undefined;
  let userB: OsUser | undefined;
  const hubLog: string[] = [];
  const adminName = `bwadm${randomBytes(4).toString('hex')}`;
  const passwords = { admin: password(), a: password(), b: password() };

  before(async () => {
    // Failure screenshots of an earlier run would only mislead.
    mkdirSync(artifactDir, { recursive: true });
    for (const name of readdirSync(artifactDir)) if (/^failure-\d+\.png$/.test(name)) rmSync(`${artifactDir}/${name}`);
    // Browser first: a missing Chromium fails fast with the fix in the message.
    browser = await launchChromium();
    userA = await createOsUser({ supplementaryGroup: true });
    userB = await createOsUser();
    const logStream = new PassThrough();
    logStream.setEncoding('utf8');
    logStream.on('data', (chunk: string) => hubLog.push(...chunk.split('\n').filter((line) => line !== '')));
    const logger = process.env['BULWARK_TEST_LOG'] ? undefined : createLogger({ level: 'info', pretty: false }, logStream);
    hub = await startTestHub({}, logger);
    // The admin comes from the CLI's code path: signing up under an admin name never makes an admin.
    await hub.handle.services.users.create({ name: adminName, password: passwords.admin, admin: true, authorized: true }, cliActor);
  });

  after(async () => {
    await cleanUp([
      ['close browser', () => browser?.close()],
      ['stop hub and servers', () => hub?.close()],
      ['remove user A', () => (userA ? removeOsUser(userA) : undefined)],
      ['remove user B', () => (userB ? removeOsUser(userB) : undefined)],
    ]);
  });

  it('signs up, authorizes, spawns, runs a cell as the user, and keeps another user out', async (t) => {
    assert.ok(browser && hub && userA && userB, 'setup did not finish');
    assert.ok(userA.supplementaryGroup, 'user A has no supplementary group');
    const chromiumBrowser = browser;
    const base = hub.url;
    const a = userA.name;
    const b = userB.name;
    const contexts: BrowserContext[] = [];
    const newPage = async (): Promise<Page> => {
      const context = await chromiumBrowser.newContext({ viewport: { width: 1280, height: 800 } });
      context.setDefaultTimeout(30_000);
      contexts.push(context);
      return context.newPage();
    };

    const startedAt = Date.now();
    const step = async <T>(name: string, fn: () => Promise<T>): Promise<T> => {
      const began = Date.now();
      const result = await fn();
      t.diagnostic(`${name}: ${Date.now() - began} ms (at ${Date.now() - startedAt} ms)`);
      return result;
    };

    try {
      // --- Signup through the hub's own page: A and B wait (the admin was made from the CLI's code path). ---
      const signup = async (page: Page, name: string, pass: string): Promise<string> => {
        await page.goto(`${base}/hub/signup`);
        await page.fill('#signup_username', name);
        await page.fill('#signup_password', pass);
        await page.fill('#signup_password_confirmation', pass);
        await page.click('#signup_submit');
        return (await page.locator('#signup-notice').textContent({ timeout: 10_000 })) ?? '';
      };
      const login = async (page: Page, name: string, pass: string): Promise<void> => {
        await page.goto(`${base}/hub/login`);
        await page.fill('#username_input', name);
        await page.fill('#password_input', pass);
        await page.click('#login_submit');
        await page.waitForURL((url) => !url.pathname.endsWith('/hub/login'));
        assert.equal(await page.locator('#current-user').textContent(), name, `${name} is not shown as logged in`);
      };

      const adminPage = await newPage();
      await step('signups', async () => {
        assert.match(await signup(adminPage, a, passwords.a), /waiting for an administrator/);
        assert.match(await signup(adminPage, b, passwords.b), /waiting for an administrator/);
      });

      // A waiting account cannot log in yet (proves the authorization below is what lets A in).
      await step('waiting user refused', async () => {
        const page = await newPage();
        await page.goto(`${base}/hub/login`);
        await page.fill('#username_input', a);
        await page.fill('#password_input', passwords.a);
        await page.click('#login_submit');
        await page.locator('#login-error').waitFor();
        await page.context().close();
      });

      await step('admin authorizes A and B', async () => {
        await login(adminPage, adminName, passwords.admin);
        await adminPage.goto(`${base}/hub/authorize`);
        for (const name of [a, b]) {
          const row = adminPage.locator(`tr[data-user="${name}"]`);
          assert.equal((await row.locator('td').nth(1).textContent())?.trim(), 'waiting');
          await adminPage.click(`#authorize-${name}`);
          // The POST answers 303 back to this page, which now offers Unauthorize for the account.
          await adminPage.locator(`#unauthorize-${name}`).waitFor();
          assert.equal((await row.locator('td').nth(1).textContent())?.trim(), 'authorized');
        }
      });

      // --- A starts a server from the home page and lands in the notebook tree. ---
      const pageA = await newPage();
      await step('A logs in and spawns', async () => {
        await login(pageA, a, passwords.a);
        await pageA.goto(`${base}/hub/home`);
        await pageA.click('#start');
        // POST /hub/spawn → spawn-pending (EventSource) → /user/A/ → OAuth → /user/A/tree.
        await pageA.waitForURL(`${base}/user/${a}/tree**`, { timeout: 60_000 });
        await pageA.locator('#notebook_list').waitFor();
      });

      // --- A creates a notebook with the tree's New menu and runs a cell in it. ---
      const notebook = await step('A creates a notebook', async () => {
        await pageA.click('#new-dropdown-button');
        const [popup] = await Promise.all([pageA.context().waitForEvent('page'), pageA.click('#kernel-python3')]);
        await popup.waitForURL(new RegExp(`^${base}/user/${a}/notebooks/Untitled\\d*\\.ipynb`));
        await popup.waitForFunction(() => (globalThis as unknown as NotebookWindow).Jupyter?.notebook?.kernel?.is_connected() === true, undefined, {
          timeout: 30_000,
        });
        await popup.locator('#kernel_indicator_icon.kernel_idle_icon').waitFor();
        return popup;
      });

      const code = 'import os; print(os.getuid(), os.getgroups(), os.getcwd())';
      const output = await step('A runs a cell', async () => {
        await notebook.locator('.cell.code_cell').first().locator('.CodeMirror').click();
        await notebook.keyboard.type(code);
        const typed = await notebook.evaluate(() => (globalThis as unknown as NotebookWindow).Jupyter?.notebook?.get_cell(0)?.get_text());
        assert.equal(typed, code, 'the cell does not hold the code that was typed');
        await notebook.keyboard.press('Shift+Enter');
        const stream = notebook.locator('.cell.code_cell').first().locator('.output_subarea.output_stdout');
        await stream.waitFor();
        return ((await stream.textContent()) ?? '').trim();
      });

      mkdirSync(artifactDir, { recursive: true });
      await notebook.screenshot({ path: `${artifactDir}/notebook-slice.png` });

      const match = /^(\d+) \[([\d, ]*)\] (.+)$/.exec(output);
      assert.ok(match, `unexpected cell output: ${JSON.stringify(output)}`);
      const [, uid, groups, cwd] = match;
      const groupIds = (groups ?? '').split(',').filter((g) => g.trim() !== '').map(Number);
      assert.equal(Number(uid), userA.uid, 'the kernel does not run as A');
      assert.ok(groupIds.includes(userA.supplementaryGroup.gid), `A's supplementary group ${userA.supplementaryGroup.gid} is missing from ${groups}`);
      assert.equal(cwd, userA.home, "the kernel does not start in A's home");

      // A's kernel id, from A's own session, plus positive controls for the probes B runs below:
      // the same API and WebSocket URLs do work for their owner.
      const kernelId = await notebook.evaluate(() => (globalThis as unknown as NotebookWindow).Jupyter?.notebook?.kernel?.id);
      assert.ok(kernelId, 'no kernel id on A\'s notebook');
      const aKernels = await pageA.evaluate(async (prefix) => {
        const response = await fetch(`${prefix}api/kernels`);
        return { status: response.status, ids: ((await response.json()) as { id: string }[]).map((k) => k.id) };
      }, `/user/${a}/`);
      assert.deepEqual(aKernels, { status: 200, ids: [kernelId] });
      const aContents = await pageA.evaluate(async (prefix) => (await fetch(`${prefix}api/contents`)).status, `/user/${a}/`);
      assert.equal(aContents, 200);
      const channelsUrl = `${base.replace(/^http/, 'ws')}/user/${a}/api/kernels/${kernelId}/channels`;
      const aProbe = await probeWebSocket(pageA, channelsUrl);
      assert.equal(aProbe.opened, true, `A's own channels WebSocket did not open: ${JSON.stringify(aProbe)}`);

      // --- B, authorized but a different user, gets nothing of A's server. ---
      const pageB = await newPage();
      await step('B is refused', async () => {
        await login(pageB, b, passwords.b);
        const response = await pageB.goto(`${base}/user/${a}/tree`);
        assert.ok(response, 'no response for /user/A/tree');
        const body = await pageB.content();
        assert.ok(
          [403, 404].includes(response.status()),
          `B got ${response.status()} at ${pageB.url()} for A's tree: ${body.slice(0, 500)}`,
        );
        assert.ok(!pageB.url().startsWith(`${base}/user/${a}/tree`), `B stayed on A's tree: ${pageB.url()}`);
        assert.ok(!body.includes('Untitled'), "B's page shows A's files");
        if (response.status() === 403) assert.match(body, /You do not have permission to access/);
        const contentType = response.headers()['content-type'] ?? '';
        t.diagnostic(`B at A's tree: ${response.status()} ${new URL(pageB.url()).pathname} (${contentType})`);
        await pageB.screenshot({ path: `${artifactDir}/b-refused.png` });
        assert.match(contentType, /^text\/html/, 'a browser gets the hub\'s HTML error page, not raw JSON');

        const contents = await pageB.evaluate(async (prefix) => {
          const r = await fetch(`${prefix}api/contents`);
          return { status: r.status, redirected: r.redirected, body: await r.text() };
        }, `/user/${a}/`);
        assert.equal(contents.status, 403, `B's fetch of A's contents API: ${JSON.stringify(contents).slice(0, 300)}`);
        assert.ok(!contents.body.includes('Untitled'));

        const bProbe = await probeWebSocket(pageB, channelsUrl);
        assert.equal(bProbe.opened, false, `B opened A's kernel WebSocket: ${JSON.stringify(bProbe)}`);
        assert.ok(bProbe.closeCode !== null && bProbe.closeCode !== 1000, `B's WebSocket was not refused: ${JSON.stringify(bProbe)}`);
        t.diagnostic(`B's probes: contents API ${contents.status}, channels WebSocket ${JSON.stringify(bProbe)}`);
      });

      // A's kernel is untouched by B's attempts: the notebook still answers.
      await step('A still works', async () => {
        const aAfter = await pageA.evaluate(async (prefix) => (await fetch(`${prefix}api/kernels`)).status, `/user/${a}/`);
        assert.equal(aAfter, 200);
      });
    } catch (error) {
      // Leave evidence: a screenshot of every open page and the hub's log tail.
      mkdirSync(artifactDir, { recursive: true });
      let n = 0;
      for (const context of contexts) {
        for (const page of context.pages()) {
          n += 1;
          await page.screenshot({ path: `${artifactDir}/failure-${n}.png` }).catch(() => {});
          t.diagnostic(`failure-${n}.png: ${page.url()}`);
        }
      }
      t.diagnostic('hub log tail:');
      for (const line of hubLog.slice(-30)) t.diagnostic(`  ${logLine(line)}`);
      throw error;
    } finally {
      for (const context of contexts) await context.close().catch(() => {});
    }
  });
});
