/**
 * The undertaking a parent can follow (issue 14): the plain words first, the council's exact wording one tap
 * away, Easy read with a picture beside each point; and, on a tablet either way round, the signature box and
 * the Sign button in view without scrolling the page (the text scrolls in its own area). Every state is
 * checked with axe and for 48 px touch targets.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { HERTFORDSHIRE } from '../../src/domain/profiles';
import { enGB } from '../../src/shared/i18n/en-GB';
import { KioskPage } from './pages/kiosk';
import { type Box, UndertakingPage } from './pages/undertaking';
import { expectNoAxeViolations, expectTouchTargets } from './support/axe';
import { assertNoPageErrors, LANDSCAPE, launchBrowser, newTabletPage, PORTRAIT } from './support/browser';
import { screenshot } from './support/screenshots';

const baseURL = inject('baseURL');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const CHILD = 'Jamie Doe';
const mother = { name: 'Sarah Doe', role: 'parent-carer', prFor: [CHILD] } as const;
const chair = { name: 'Priya Shah', role: 'chair', agency: "Children's Services" } as const;

const { versions } = HERTFORDSHIRE.undertaking;
/** The council's approved text begins "I am asking to record this meeting." */
const FULL_FIRST_SENTENCE = (versions.full.split('\n')[0] ?? '').split(/(?<=\.)\s/)[0] ?? '';
const PLAIN_FIRST_LINE = versions.plain.split('\n')[0] ?? '';
/** The Easy read lines for the points a) to e) of HCS 3.3, with the picture each is drawn beside. */
const POINT_PICTURES = ['childrens-services', 'give-copy', 'no-internet', 'court', 'legal-advice'];
const EASY_POINTS = versions.easyRead.filter((line) => POINT_PICTURES.includes(line.picture));

async function expectChecks(page: Page, label: string) {
  await expectNoAxeViolations(page, label);
  await expectTouchTargets(page);
}

function expectInside(box: Box | null, viewport: { width: number; height: number }, what: string) {
  expect(box, `${what} is shown`).not.toBeNull();
  if (!box) return;
  expect(box.x, `${what}: left edge`).toBeGreaterThanOrEqual(0);
  expect(box.y, `${what}: top edge`).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width, `${what}: right edge`).toBeLessThanOrEqual(viewport.width);
  expect(box.y + box.height, `${what}: bottom edge`).toBeLessThanOrEqual(viewport.height);
}

/** The signature box and the Sign and decline buttons are wholly on screen, and the page has not scrolled. */
async function expectSigningInView(screen: UndertakingPage, label: string) {
  const viewport = screen.page.viewportSize();
  if (!viewport) throw new Error('no viewport');
  const where = `${label} at ${viewport.width}x${viewport.height}`;
  const scroll = await screen.pageScroll();
  expect(scroll.y, `${where}: the page is not scrolled`).toBe(0);
  expect(scroll.overflow, `${where}: the page has nothing below the screen`).toBeLessThanOrEqual(0);
  expectInside(await screen.signatureCanvas().boundingBox(), viewport, `${where}: the signature box`);
  expectInside(await screen.signButton().boundingBox(), viewport, `${where}: the Sign button`);
  expectInside(await screen.declineButton().boundingBox(), viewport, `${where}: the decline button`);
}

describe('the undertaking a parent can follow', { timeout: 180_000 }, () => {
  it('HCS 3.3: plain words first, the exact wording one tap away, Easy read with a picture for each point a-e, and the signature in view at 1024x768 and 768x1024', async () => {
    expect(FULL_FIRST_SENTENCE).toBe('I am asking to record this meeting.');
    expect(EASY_POINTS).toHaveLength(5);

    const page = await newTabletPage(browser, LANDSCAPE);
    await page.goto(baseURL);
    const kiosk = new KioskPage(page);
    await kiosk.heading(enGB.pin.setTitle).waitFor();
    await kiosk.choosePin();
    await kiosk.setUpMeeting({ title: 'Review for Jamie', children: [CHILD] });
    for (const p of [chair, mother]) await kiosk.addAttendee(p);
    await kiosk.recordRequest({
      requester: mother.name,
      reasons: ['memory'],
      purpose: 'To listen again later.',
    });
    await kiosk.confirmEligible(mother.name);
    await kiosk.handOverToSign(mother.name);
    const screen = new UndertakingPage(page);
    // The check of understanding comes first (tested in understanding.e2e.ts); then the signature.
    await screen.passUnderstandingCheck();

    for (const viewport of [LANDSCAPE, PORTRAIT]) {
      await page.setViewportSize(viewport);

      // The plain words come first, not the council's wording.
      const plain = (await screen.text('plain').textContent()) ?? '';
      expect(plain).toContain(PLAIN_FIRST_LINE);
      expect(plain).not.toContain(FULL_FIRST_SENTENCE);
      await expectSigningInView(screen, 'plain words');
      await expectChecks(page, `undertaking, plain words (${viewport.width}x${viewport.height})`);
      await screenshot(page, 'undertaking-plain');

      // One tap shows the exact text the council approved, every line of it; one more goes back.
      await screen.readFullWording();
      const full = (await screen.text('full').textContent()) ?? '';
      expect(full).toContain(FULL_FIRST_SENTENCE);
      for (const line of versions.full.split('\n').filter(Boolean)) expect(full).toContain(line);
      await expectSigningInView(screen, 'full wording');
      await expectChecks(page, `undertaking, full wording (${viewport.width}x${viewport.height})`);
      await screenshot(page, 'undertaking-full');
      await screen.backToPlainWords();

      // Easy read: each of the points a-e beside its own picture, the picture on the left.
      await screen.switchEasyRead();
      for (const point of EASY_POINTS) {
        const { id, picture, words } = await screen.pictureBeside(point.text);
        expect(id, `the picture beside "${point.text}"`).toBe(point.picture);
        expect(picture?.width ?? 0, 'the picture is large').toBeGreaterThanOrEqual(64);
        expect(picture?.height ?? 0, 'the picture is large').toBeGreaterThanOrEqual(64);
        expect(
          (picture?.x ?? 0) + (picture?.width ?? 0),
          'the picture is left of its words',
        ).toBeLessThanOrEqual(words?.x ?? 0);
      }
      await expectSigningInView(screen, 'Easy read');
      await expectChecks(page, `undertaking, Easy read (${viewport.width}x${viewport.height})`);
      await screenshot(page, 'undertaking-easy-read-pictures');
      await page.getByRole('button', { name: enGB.answer.easyRead }).click();
      await screen.text('plain').waitFor();
    }

    // Signing still works from here: the round begins.
    await kiosk.sign();
    await kiosk.chairTakesBack();
    await kiosk.heading(enGB.round.title).waitFor();
    assertNoPageErrors(page);
    await page.context().close();
  });
});
