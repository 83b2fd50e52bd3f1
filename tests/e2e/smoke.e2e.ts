/**
 * The production build opens on a tablet and its first screen is usable: a heading, no axe violations,
 * touch targets of at least 48 px, in landscape and portrait. A part of the app loaded on demand that cannot
 * be fetched says so, with "Try again".
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { enGB } from '../../src/shared/i18n/en-GB';
import { KioskPage } from './pages/kiosk';
import { expectNoAxeViolations, expectTouchTargets } from './support/axe';
import {
  assertNoPageErrors,
  LANDSCAPE,
  launchBrowser,
  newTabletPage,
  PORTRAIT,
  type Viewport,
} from './support/browser';
import { screenshot } from './support/screenshots';

const baseURL = inject('baseURL');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

describe('smoke: the built app opens on a tablet', () => {
  it.each<[string, Viewport]>([
    ['landscape', LANDSCAPE],
    ['portrait', PORTRAIT],
  ])('first run asks the chair to choose a PIN (%s)', async (_orientation, viewport) => {
    const page = await newTabletPage(browser, viewport);
    try {
      const response = await page.goto(baseURL);
      expect(response?.status()).toBe(200);

      const heading = page.getByRole('heading', { name: 'Choose a chair PIN', exact: true });
      await heading.waitFor();
      expect(await heading.isVisible()).toBe(true);

      await expectNoAxeViolations(page, 'first run: choose a chair PIN');
      await expectTouchTargets(page);
      await screenshot(page, 'smoke-choose-pin');
      assertNoPageErrors(page);
    } finally {
      await page.context().close();
    }
  });
});

describe('a part of the app that cannot be fetched (issue 7: loaded on demand)', () => {
  it('the first load is the shell alone; a meeting chunk that fails shows an error with "Try again", which then opens it', async () => {
    // No service worker: every chunk comes from the network, as on a first visit before it has installed.
    const page = await newTabletPage(browser, LANDSCAPE, { serviceWorkers: 'block' });
    try {
      const requested: string[] = [];
      page.on('request', (r) => requested.push(new URL(r.url()).pathname));
      let isBlocked = true;
      await page.route(/\/assets\/Meeting-[^/]+\.js$/, (route) =>
        isBlocked ? route.abort() : route.continue(),
      );
      await page.goto(baseURL);
      const kiosk = new KioskPage(page);
      await kiosk.heading(enGB.pin.setTitle).waitFor();
      // The PIN screen needs none of the meeting's code (the home screen fetches it once idle, and fails here).
      expect(requested.filter((p) => /\/assets\/(Meeting|kioskStore|SettingsSections|pdf)-/.test(p))).toEqual(
        [],
      );
      await kiosk.choosePin();

      await kiosk.button(enGB.home.newMeeting).click();
      await kiosk.heading(enGB.app.loadFailedTitle).waitFor();
      expect(await page.getByRole('alert').textContent()).toContain(enGB.app.loadFailedBody);
      await expectNoAxeViolations(page, 'a part of the app could not be fetched');
      await expectTouchTargets(page);
      await screenshot(page, 'chunk-failed');

      isBlocked = false;
      await kiosk.button(enGB.app.retry).click();
      await kiosk.heading(enGB.setup.title).waitFor();
      // Settings loads its own chunk.
      await kiosk.button(enGB.common.cancel).click();
      await kiosk.button(enGB.settings.open).click();
      await kiosk.heading(enGB.pwa.deviceTitle).waitFor();
      await kiosk.heading(enGB.sync.title).waitFor();
      await expectNoAxeViolations(page, 'settings, loaded on demand');
    } finally {
      await page.context().close();
    }
  });
});
