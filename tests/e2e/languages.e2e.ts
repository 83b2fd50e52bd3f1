/**
 * Every person in the room in their own language (issue 18): an attendee chooses Urdu on their own screen
 * and answers in it, laid out right to left (a screenshot to look at); the requester, set up as Polish,
 * reads and signs the undertaking in Polish with the English beside it, and the minute says so. The chair's
 * screens stay in English throughout. Axe finds nothing and every target is 48 px on both screens.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { enGB } from '../../src/shared/i18n/en-GB';
import { AttendeePage } from './pages/attendee';
import { KioskPage } from './pages/kiosk';
import { expectNoAxeViolations, expectTouchTargets } from './support/axe';
import { assertNoPageErrors, launchBrowser, newTabletPage } from './support/browser';
import { screenshot } from './support/screenshots';
import { oneEnglishVoice } from './support/voices';

const baseURL = inject('baseURL');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const CHILD = 'Jamie Doe';
const chair = { name: 'Priya Shah', role: 'chair', agency: "Children's Services" } as const;
const socialWorker = { name: 'Tom Reid', role: 'social-worker', agency: "Children's Services" } as const;
const father = { name: 'Imran Khan', role: 'parent-carer', prFor: [CHILD] } as const;

async function openMeeting(mother: {
  name: string;
  role: 'parent-carer';
  prFor: string[];
  language?: string;
}) {
  const page = await newTabletPage(browser, { width: 1024, height: 768 });
  // A tablet with an English voice only: Polish and Urdu have none, and the button says so.
  await page.addInitScript(oneEnglishVoice);
  await page.goto(baseURL);
  const kiosk = new KioskPage(page);
  await kiosk.heading(enGB.pin.setTitle).waitFor();
  await kiosk.choosePin();
  await kiosk.setUpMeeting({ title: 'Review for Jamie', children: [CHILD] });
  for (const p of [chair, mother, socialWorker, father]) await kiosk.addAttendee(p);
  await kiosk.recordRequest({
    requester: mother.name,
    reasons: ['memory'],
    purpose: 'To listen again later.',
  });
  await kiosk.confirmEligible(mother.name);
  return { page, kiosk };
}

describe('languages', { timeout: 240_000 }, () => {
  it('an attendee chooses Urdu on their own screen and answers in it, right to left; the chair’s screens stay in English', async () => {
    const mother = { name: 'Sarah Doe', role: 'parent-carer', prFor: [CHILD] } as const;
    const { page, kiosk } = await openMeeting({ ...mother, prFor: [...mother.prFor] });
    await kiosk.handOverToSign(mother.name);
    await kiosk.sign();
    await kiosk.chairTakesBack();
    await kiosk.heading(enGB.round.title).waitFor();

    await kiosk.handTo(father.name);
    const urdu = await AttendeePage.of(page, 'ur');
    await urdu.chooseLanguage('اردو');
    const region = urdu.region();
    await expect.poll(() => region.getAttribute('dir')).toBe('rtl');
    await urdu.button(urdu.words.answer.yes).waitFor();
    // The question in Urdu, the name kept in its own direction, and the English beside (not yet approved).
    const question = urdu.questionHeading();
    expect(await question.textContent()).toContain('کیا آپ ریکارڈنگ سے متفق ہیں؟');
    expect(await question.locator('bdi').first().textContent()).toBe(father.name);
    expect(await question.locator('[lang="en-GB"]').textContent()).toBe(
      `${father.name}, do you agree to it being recorded?`,
    );
    // Right to left: the answer text starts at the right edge; the Urdu font is loaded.
    const yes = urdu.button(urdu.words.answer.yes);
    const [box, main] = [await yes.boundingBox(), await region.boundingBox()];
    if (!box || !main) throw new Error('no layout');
    expect(await yes.evaluate((el) => getComputedStyle(el).textAlign)).toBe('start');
    expect(await yes.evaluate((el) => getComputedStyle(el).direction)).toBe('rtl');
    await page.waitForFunction(() => document.fonts.check('16px "Noto Sans Arabic"', 'کیا'));
    await page.evaluate(() => document.fonts.ready);
    await screenshot(page, 'languages-urdu-answer');
    await expectNoAxeViolations(page, 'Urdu answer screen');
    await expectTouchTargets(page);
    await urdu.answerYes();
    await kiosk.chairTakesBack();
    // The chair's screen is English, left to right.
    await kiosk.heading(enGB.round.title).waitFor();
    expect(await page.locator('main[lang="ur"]').count()).toBe(0);
    assertNoPageErrors(page);
    await page.context().close();
  });

  it('the requester set up as Polish signs the undertaking in Polish with the English beside it, and the minute says so', async () => {
    const mother = {
      name: 'Sarah Doe',
      role: 'parent-carer',
      prFor: [CHILD],
      language: 'Polish (Polski)',
    } as const;
    const { page, kiosk } = await openMeeting({ ...mother, prFor: [...mother.prFor] });
    await kiosk.tap(kiosk.button(enGB.undertaking.handTo.replace('{{name}}', mother.name)));
    const polish = await AttendeePage.of(page, 'pl');
    await polish.signingTitle().waitFor();
    // The plain words in Polish, each line with the English beside it.
    const text = page.getByRole('region', { name: new RegExp(`^${polish.words.undertaking.textPlain}`) });
    await expect.poll(() => text.textContent()).toContain('Nie udostępnię nagrania publicznie.');
    expect(await text.textContent()).toContain('I will not share the recording in public.');
    // No Polish voice on this tablet: the button says so instead of failing silently.
    await polish.button(polish.words.readAloud.noVoiceShort).waitFor();
    await polish.passUnderstandingCheck();
    expect(await polish.pageScrolls()).toBe(false);
    // The signature box and both buttons in view at 1024x768, without scrolling.
    for (const part of [
      polish.signatureCanvas(),
      polish.button(polish.words.undertaking.sign),
      polish.button(polish.words.undertaking.decline),
    ]) {
      const box = await part.boundingBox();
      expect(box && box.y >= 0 && box.y + box.height <= 768, 'in view').toBe(true);
    }
    await screenshot(page, 'languages-polish-signing');
    await expectNoAxeViolations(page, 'Polish signing screen');
    await expectTouchTargets(page);
    await polish.drawSignature();
    await polish.sign();
    await kiosk.chairTakesBack();
    await kiosk.heading(enGB.round.title).waitFor();
    for (const name of [chair.name, socialWorker.name, father.name]) await kiosk.askAndAnswer(name, 'yes');
    await kiosk.finishScreening();
    await kiosk.heading(enGB.ready.title).waitFor();
    await kiosk.beginDiscussion();
    await kiosk.closeMeeting();
    const minute = await kiosk.minuteText();
    expect(minute).toContain(
      'The undertaking was shown to Sarah Doe in Polish with the English text beside it; both were signed. The Polish translation had not been approved by the council.',
    );
    assertNoPageErrors(page);
    await page.context().close();
  });
});
