/**
 * Issue 16, the PIN, in Chromium with the real records service: wrong PINs make the chair wait, shown in
 * plain words, and the wait survives a reload; a forgotten PIN is reset with a code an administrator
 * issues on the admin page, checked by the tablet with its network cut off; the same code again is refused.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { type ServerType, serve } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enGB } from '../../src/shared/i18n/en-GB';
import { FREE_ATTEMPTS } from '../../src/storage/pinAttempts';
import { type Harness, makeHarness } from '../integration/harness';
import { AdminPage } from './pages/admin';
import { KioskPage, PIN } from './pages/kiosk';
import { expectNoAxeViolations, expectTouchTargets } from './support/axe';
import { assertNoPageErrors, LANDSCAPE, launchBrowser, newTabletPage } from './support/browser';

const ADMIN_PASSWORD = 'pin e2e admin password';
const ROOT = resolve(import.meta.dirname, '..', '..');
const NEW_PIN = '5073';

let browser: Browser;
let h: Harness;
let service: ServerType;
let base = '';

beforeAll(async () => {
  browser = await launchBrowser();
  h = await makeHarness('pglite', { adminPassword: ADMIN_PASSWORD, staticDir: join(ROOT, 'dist') });
  service = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' });
  const port = await new Promise<number>((done) =>
    (service as unknown as Server).once('listening', () =>
      done(((service as unknown as Server).address() as AddressInfo).port),
    ),
  );
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await browser?.close();
  service?.close();
  await h?.close();
});

async function settle(page: Page, label: string) {
  await expectNoAxeViolations(page, label);
  await expectTouchTargets(page);
}

describe("the chair's PIN on a tablet", () => {
  let tablet: Page;
  let kiosk: KioskPage;
  let admin: AdminPage;
  let resetCode = '';

  it('wrong PINs make the chair wait, in plain words, with Unlock disabled; the wait survives a reload', async () => {
    tablet = await newTabletPage(browser, LANDSCAPE);
    await tablet.clock.install();
    kiosk = new KioskPage(tablet);
    await tablet.goto(base);
    await kiosk.heading(enGB.pin.setTitle).waitFor();
    await kiosk.choosePin();

    // Enrolled with the records service (its code from the admin area), so the PIN can be reset later.
    const adminPage = await newTabletPage(browser, LANDSCAPE);
    admin = new AdminPage(adminPage, base);
    await admin.open();
    await admin.signIn('admin', ADMIN_PASSWORD);
    await admin.goTo('Devices and codes');
    const enrolmentCode = await admin.createEnrolmentCode();
    await kiosk.openSettings();
    await kiosk.enrol(enrolmentCode, 'Tablet in the family room');
    await kiosk.button(enGB.common.back).click();
    await kiosk.lock();

    for (let i = 0; i < FREE_ATTEMPTS; i++) {
      await kiosk.tryPin('1357');
      await tablet.getByText(enGB.pin.wrong).waitFor();
      expect(await kiosk.pinWaitText()).toBe('');
    }
    await kiosk.tryPin('1357');
    await expect
      .poll(() => kiosk.pinWaitText())
      .toBe('Too many wrong tries. Please wait 30 seconds, then try again.');
    expect(await kiosk.button(enGB.pin.unlock).isDisabled()).toBe(true);
    await settle(tablet, 'PIN screen, waiting');

    await kiosk.reload();
    await kiosk.heading(enGB.pin.lockedTitle).waitFor();
    await expect.poll(() => kiosk.pinWaitText()).toMatch(/^Too many wrong tries\. Please wait \d+ seconds/);
    expect(await kiosk.button(enGB.pin.unlock).isDisabled()).toBe(true);

    await tablet.clock.fastForward('00:31');
    await expect.poll(() => kiosk.button(enGB.pin.unlock).isDisabled()).toBe(false);
    expect(await kiosk.pinWaitText()).toBe('');
    // The next wrong PIN doubles the wait.
    await kiosk.tryPin('1357');
    await expect
      .poll(() => kiosk.pinWaitText())
      .toBe('Too many wrong tries. Please wait 1 minute, then try again.');
    await tablet.clock.fastForward('01:01');
    await expect.poll(() => kiosk.button(enGB.pin.unlock).isDisabled()).toBe(false);
  }, 240_000);

  it("an administrator issues a reset code on the admin page, and it resets the PIN with the tablet's network cut off", async () => {
    await admin.open('/admin/devices');
    await admin.openPinReset('Tablet in the family room');
    await settle(admin.page, 'admin PIN reset page');
    resetCode = await admin.issuePinResetCode();
    expect(resetCode).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    await settle(admin.page, 'admin PIN reset code shown');
    assertNoPageErrors(admin.page);

    await tablet.context().setOffline(true);
    await kiosk.forgottenPin();
    await settle(tablet, 'PIN reset: code');
    // Read aloud and typed as heard: lower case, a space for the hyphen.
    await kiosk.enterResetCode(resetCode.toLowerCase().replace('-', ' '));
    await kiosk.heading(enGB.pin.newPinTitle).waitFor();
    await settle(tablet, 'PIN reset: new PIN');
    await kiosk.chooseNewPin(NEW_PIN);

    await kiosk.lock();
    await kiosk.tryPin(PIN);
    await tablet.getByText(enGB.pin.wrong).waitFor();
    await kiosk.tryPin(NEW_PIN);
    await kiosk.heading(enGB.home.title).waitFor();
  }, 180_000);

  it('the same code does not work twice', async () => {
    await kiosk.lock();
    await kiosk.forgottenPin();
    await kiosk.enterResetCode(resetCode);
    await tablet.getByText(enGB.pin.codeWrong).waitFor();
    expect(await kiosk.heading(enGB.pin.newPinTitle).count()).toBe(0);
    await kiosk.button(enGB.pin.backToPin).click();
    await kiosk.tryPin(NEW_PIN);
    await kiosk.heading(enGB.home.title).waitFor();
    assertNoPageErrors(tablet);
    await tablet.context().close();
    await admin.page.context().close();
  }, 120_000);
});
