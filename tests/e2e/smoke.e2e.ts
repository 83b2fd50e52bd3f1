/**
 * The production build opens on a tablet and its first screen is usable: a heading, no axe violations,
 * touch targets of at least 48 px, in landscape and portrait.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
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
