/**
 * Who holds the tablet (issue 15, bug 2): an attendee's screen left for the chair's PIN can be returned to
 * as it was left, and a signer's drawn strokes are kept until they sign or clear them. Driven by role and
 * accessible name through the page model; the PIN screen with its Cancel is checked with axe and for 48 px
 * touch targets.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, inject, it } from 'vitest';
import { enGB } from '../../src/ui/i18n/en-GB';
import { KioskPage } from './pages/kiosk';
import { expectNoAxeViolations, expectTouchTargets } from './support/axe';
import { assertNoPageErrors, launchBrowser, newTabletPage } from './support/browser';

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
});
