/**
 * Who holds the tablet (issue 15): an attendee's screen left for the chair's PIN can be returned to as it
 * was left, and a signer's drawn strokes are kept until they sign or clear them (bug 2); a reload gives the
 * tablet back to whoever held it, the signer starting their signature again (bug 3); the browser's Back moves
 * within the chair's screens and never leaves an open meeting or reaches the chair's screens from someone
 * else's (bug 4). Driven by role and accessible name through the page model; the PIN screen with its Cancel
 * is checked with axe and for 48 px touch targets.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { enGB } from '../../src/shared/i18n/en-GB';
import { KioskPage } from './pages/kiosk';
import { expectNoAxeViolations, expectTouchTargets } from './support/axe';
import { assertNoPageErrors, launchBrowser, launchPersistentTablet, newTabletPage } from './support/browser';

const baseURL = inject('baseURL');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const CHILD = 'Jamie Doe';

describe('who holds the tablet', () => {
  it('Cancel on the chair’s PIN returns the signer to the undertaking with the strokes they drew', async () => {
    const page = await newTabletPage(browser, { width: 1024, height: 768 });
    await page.goto(baseURL);
    const kiosk = new KioskPage(page);
    await kiosk.heading(enGB.pin.setTitle).waitFor();
    await kiosk.choosePin();
    await kiosk.setUpMeeting({ title: 'Review for Jamie', children: [CHILD] });
    await kiosk.addAttendee({ name: 'Priya Shah', role: 'chair' });
    await kiosk.addAttendee({ name: 'Sarah Doe', role: 'parent-carer', prFor: [CHILD] });
    await kiosk.recordRequest({ requester: 'Sarah Doe', reasons: ['memory'] });
    await kiosk.confirmEligible('Sarah Doe');
    await kiosk.handOverToSign('Sarah Doe');
    await kiosk.drawSignature();

    // The chair's button on the signer's screen, then Cancel on the PIN screen: no way is lost.
    await kiosk.button(enGB.pin.chairTakesBack).click();
    await kiosk.heading(enGB.pin.lockedTitle).waitFor();
    await expectNoAxeViolations(page, 'PIN screen with Cancel');
    await expectTouchTargets(page);
    await kiosk.button(enGB.pin.cancelBack).click();
    await kiosk.heading(enGB.undertaking.title).waitFor();

    // The strokes are still there: signing now, without drawing again, is accepted.
    await kiosk.button(new RegExp(enGB.undertaking.sign)).click();
    // The signature was accepted: the tablet goes back to the chair and the round begins.
    await kiosk.chairTakesBack();
    await kiosk.heading(enGB.round.title).waitFor();
    assertNoPageErrors(page);
    await page.close();
  });

  it('a reload while signing returns the signer to the undertaking, with no half signature accepted', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiosk-custody-'));
    const context = await launchPersistentTablet(dir, { width: 1024, height: 768 });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      await page.goto(baseURL);
      const kiosk = new KioskPage(page);
      await kiosk.heading(enGB.pin.setTitle).waitFor();
      await kiosk.choosePin();
      await toUndertaking(kiosk);
      await kiosk.drawSignature();

      await kiosk.reload();
      // The signer's own screen, not the chair's PIN.
      await kiosk.heading(enGB.undertaking.title).waitFor();
      expect(await kiosk.heading(enGB.pin.lockedTitle).count()).toBe(0);
      // The strokes drawn before the reload are not a signature: the box is empty again, and signing now is
      // refused until they draw again.
      await kiosk.button(new RegExp(enGB.undertaking.sign)).click();
      await page.getByText(enGB.undertaking.blank).waitFor();
      await kiosk.heading(enGB.undertaking.title).waitFor();
      await kiosk.sign();
      await kiosk.chairTakesBack();
      await kiosk.heading(enGB.round.title).waitFor();

      // A reload during the round returns the attendee to their question; the chair's screens need the PIN.
      await kiosk.handTo('Priya Shah');
      await kiosk.reload();
      await page.getByText(fill(enGB.answer.question, { name: 'Priya Shah' })).waitFor();
      await kiosk.answerYes();
      await kiosk.chairTakesBack();
      await kiosk.reload();
      await kiosk.heading(enGB.pin.lockedTitle).waitFor();
      await kiosk.unlock();
      await kiosk.heading(enGB.status.title).waitFor();
      assertNoPageErrors(page);
    } finally {
      await context.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('Back moves within the chair’s screens and never leaves an open meeting or reaches them from an attendee’s', async () => {
    const page = await newTabletPage(browser, { width: 1024, height: 768 });
    await page.goto(baseURL);
    const kiosk = new KioskPage(page);
    await kiosk.heading(enGB.pin.setTitle).waitFor();
    await kiosk.choosePin();

    // Between the chair's screens: Settings, then Back, is home again.
    await kiosk.openSettings();
    await kiosk.back();
    await kiosk.heading(enGB.home.title).waitFor();
    await kiosk.back();
    await stillInApp(page, kiosk, enGB.home.title);

    // In an open meeting, Back stays in it.
    await kiosk.setUpMeeting({ title: 'Review for Jamie', children: [CHILD] });
    await kiosk.back();
    await stillInApp(page, kiosk, enGB.attendees.title);

    // On the signer's screen, Back does not reach the chair's screens; on the PIN over it, Back is Cancel.
    await toUndertaking(kiosk, { isSetUp: true });
    await kiosk.back();
    await stillInApp(page, kiosk, enGB.undertaking.title);
    await kiosk.button(enGB.pin.chairTakesBack).click();
    await kiosk.heading(enGB.pin.lockedTitle).waitFor();
    await kiosk.back();
    await stillInApp(page, kiosk, enGB.undertaking.title);
    await kiosk.sign();
    await kiosk.chairTakesBack();

    // On an attendee's screen too.
    await kiosk.handTo('Priya Shah');
    await kiosk.back();
    await kiosk.back();
    // A quick double tap of Back goes past no more than one would.
    await kiosk.backTwiceQuickly();
    await page.getByText(fill(enGB.answer.question, { name: 'Priya Shah' })).waitFor();
    expect(page.url()).toBe(new URL('/', baseURL).href);
    expect(await kiosk.heading(enGB.round.title).count()).toBe(0);
    assertNoPageErrors(page);
    await page.context().close();
  });
});

const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? '');

/** From home (or a meeting just set up): the request recorded, eligibility confirmed, the tablet handed to sign. */
async function toUndertaking(kiosk: KioskPage, { isSetUp = false } = {}) {
  if (!isSetUp) await kiosk.setUpMeeting({ title: 'Review for Jamie', children: [CHILD] });
  await kiosk.addAttendee({ name: 'Priya Shah', role: 'chair' });
  await kiosk.addAttendee({ name: 'Sarah Doe', role: 'parent-carer', prFor: [CHILD] });
  await kiosk.recordRequest({ requester: 'Sarah Doe', reasons: ['memory'] });
  await kiosk.confirmEligible('Sarah Doe');
  await kiosk.handOverToSign('Sarah Doe');
}

/** The app is still showing `heading` after Back: the page did not leave for the previous site or about:blank. */
async function stillInApp(page: Page, kiosk: KioskPage, heading: string) {
  await kiosk.heading(heading).waitFor();
  expect(page.url()).toBe(new URL('/', baseURL).href);
}
