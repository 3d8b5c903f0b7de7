// Password change and TOTP enrolment in real Chromium; the QR code is saved as a screenshot and
// decoded by a real decoder, and the app's login then needs a code.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { totpCode } from '../../../src/identity/index.js';
import { cliActor } from '../../../src/log/index.js';
import { launchChromium } from '../../helpers/browser.js';
import { startTestHub, type TestHub } from '../../helpers/test-hub.js';
import { decodeQrPng } from '../../integration/auth/qr-decode.js';

const artifactDir = fileURLToPath(new URL('../../../.tmp/e2e/', import.meta.url));
let browser: Browser | undefined;
let hub: TestHub | undefined;

before(async () => {
  mkdirSync(artifactDir, { recursive: true });
  browser = await launchChromium();
  hub = await startTestHub({ 'authenticator.native.allowed_failed_logins_per_address': 0 });
  await hub.handle.services.users.create({ name: 'nora', password: 'First-Secret-11', authorized: true }, cliActor);
});
after(async () => {
  await browser?.close();
  await hub?.close();
});

async function login(page: Page, base: string, password: string, code?: string): Promise<void> {
  await page.goto(`${base}/hub/login`);
  await page.fill('#username_input', 'nora');
  await page.fill('#password_input', password);
  if (code !== undefined) await page.fill('#otp_input', code);
  await page.click('#login_submit');
}

test('change the password, then turn on TOTP with the QR code, then log in with a code', { timeout: 60_000 }, async () => {
  assert.ok(browser && hub);
  const base = hub.url;
  const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  try {
    await login(page, base, 'First-Secret-11');
    await page.waitForURL((url) => !url.pathname.endsWith('/hub/login'));
    await page.click('#nav-account');
    await page.click('#account-password');
    await page.fill('#old_password', 'First-Secret-11');
    await page.fill('#new_password', 'Second-Secret-22');
    await page.fill('#new_password_confirmation', 'Second-Secret-22');
    await page.click('#change_password_submit');
    await page.waitForURL(/\/hub\/login/);
    await login(page, base, 'First-Secret-11');
    await page.locator('#login-error').waitFor();
    await login(page, base, 'Second-Secret-22');
    await page.waitForURL((url) => !url.pathname.endsWith('/hub/login'));

    await page.goto(`${base}/hub/account`);
    await page.click('#account-2fa');
    await page.click('#start_2fa_submit');
    const qr = page.locator('#qr-code');
    await qr.waitFor();
    assert.ok(await qr.evaluate((img) => (img as unknown as { complete: boolean; naturalWidth: number }).complete && (img as unknown as { naturalWidth: number }).naturalWidth > 100), 'the QR image loaded (CSP allows it)');
    await page.screenshot({ path: `${artifactDir}auth-2fa-qr.png`, fullPage: true });
    const secret = (await page.locator('#totp-secret').textContent()) ?? '';
    const decoded = await decodeQrPng(await qr.screenshot());
    assert.match(decoded, new RegExp(`^otpauth://totp/Bulwark:nora\\?secret=${secret}&`), 'the QR code as rendered decodes to the key');
    await page.fill('#totp_code', totpCode(secret, new Date()));
    await page.click('#confirm_2fa_submit');
    assert.equal(await page.locator('#recovery-codes li').count(), 10);
    await page.screenshot({ path: `${artifactDir}auth-2fa-recovery.png` });

    await page.goto(`${base}/hub/logout`);
    await page.click('#logout_submit');
    await login(page, base, 'Second-Secret-22');
    await page.locator('#login-error').waitFor();
    // The next step's code: later than the one used at enrolment, so it is not a replay.
    await login(page, base, 'Second-Secret-22', totpCode(secret, new Date(Date.now() + 30_000)));
    await page.waitForURL((url) => !url.pathname.endsWith('/hub/login'));
    assert.equal(await page.locator('#current-user').textContent(), 'nora');
  } catch (error) {
    await page.screenshot({ path: `${artifactDir}auth-2fa-failure.png`, fullPage: true }).catch(() => undefined);
    throw error;
  } finally {
    await context.close();
  }
});
