/**
 * Issue 18, interpreters and people not in the room, on a tablet-sized window through the page models: a
 * parent answers through the interpreter in the room; a police officer taking part by phone is asked by the
 * chair, who records the answer as relayed; she then comes into the room. The closed meeting's minute entry
 * says how each answer was given. Every screen passed through is checked with axe and for 48 px targets.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { enGB } from '../../src/shared/i18n/en-GB';
import { AttendeePage } from './pages/attendee';
import { type AttendeeInput, KioskPage } from './pages/kiosk';
import { RelayPage } from './pages/relay';
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
const chair = { name: 'Priya Shah', role: 'chair', agency: "Children's Services" } as const;
const mother = { name: 'Sarah Doe', role: 'parent-carer', prFor: [CHILD] } as const;
const father = { name: 'Mark Doe', role: 'parent-carer', prFor: [CHILD] } as const;
const interpreter = { name: 'Maria Silva', role: 'interpreter' } as const;
const police = { name: 'Anna Webb', role: 'police', agency: 'Constabulary', takesPartBy: 'phone' } as const;

async function checkScreen(kiosk: KioskPage, label: string) {
  await expectNoAxeViolations(kiosk.page, label);
  await expectTouchTargets(kiosk.page);
}

/** A meeting set up on a new tablet with these people (Sarah Doe asks, is eligible and signs); the round is next. */
async function meetingAtTheRound(people: readonly AttendeeInput[], checkSetUp = false) {
  const page = await newTabletPage(browser, { width: 1024, height: 768 });
  await page.goto(baseURL);
  const kiosk = new KioskPage(page);
  await kiosk.heading(enGB.pin.setTitle).waitFor();
  await kiosk.choosePin();
  await kiosk.setUpMeeting({ title: 'Review for Jamie', children: [CHILD] });
  if (checkSetUp) {
    await kiosk.button(enGB.attendees.add).click();
    await checkScreen(kiosk, 'set up an attendee, with how they take part');
  }
  for (const p of people) await kiosk.addAttendee(p);
  await expect.poll(() => kiosk.statusOf(police.name)).toContain(enGB.relay.wayShort.phone);
  await kiosk.recordRequest({ requester: mother.name, reasons: ['memory'], purpose: 'To listen again.' });
  await kiosk.confirmEligible(mother.name);
  await kiosk.handOverToSign(mother.name);
  await kiosk.sign();
  await kiosk.chairTakesBack();
  await kiosk.heading(enGB.round.title).waitFor();
  return { page, kiosk, relay: new RelayPage(kiosk) };
}

describe('issue 18: interpreters and people not in the room', { timeout: 180_000 }, () => {
  it('an answer through the interpreter and an answer by phone relayed by the chair are minuted as given', async () => {
    const { page, kiosk, relay } = await meetingAtTheRound(
      [chair, mother, father, interpreter, police],
      true,
    );
    await expect.poll(() => relay.askButton(police.name, 'phone').isVisible()).toBe(true);
    await checkScreen(kiosk, 'round with someone by phone');
    await kiosk.askAndAnswer(chair.name, 'yes');

    // Mark Doe answers on the tablet, through the interpreter in the room.
    await kiosk.handTo(father.name);
    await relay.throughInterpreter(interpreter.name, 'Polish');
    await checkScreen(kiosk, 'answer through an interpreter');
    await kiosk.answerYes();
    await kiosk.chairTakesBack();
    await kiosk.askAndAnswer(interpreter.name, 'yes');

    // Anna Webb is on the phone: the chair keeps the tablet and records her answer.
    await relay.askRemote(police.name, 'phone');
    await checkScreen(kiosk, 'the chair relays an answer by phone');
    await kiosk.answerYes();
    await kiosk.chairTakesBack();
    expect(await kiosk.statusOf(police.name)).toContain(enGB.status.agreed);

    await kiosk.finishScreening();
    await kiosk.heading(enGB.ready.title).waitFor();
    await kiosk.beginDiscussion();
    await kiosk.startRecording();
    await relay.changeHowTheyTakePart(police.name, 'in-room');
    await expect.poll(() => kiosk.statusOf(police.name)).not.toContain(enGB.relay.wayShort.phone);
    await kiosk.closeMeeting();

    const minutes = await kiosk.minuteText();
    expect(minutes).toContain(
      'Mark Doe (parent or carer) agreed, through the interpreter Maria Silva (Polish).',
    );
    expect(minutes).toContain('Anna Webb (police) agreed, by phone, relayed by the chair.');
    expect(minutes).toContain('Anna Webb (police) came into the room; until then they took part by phone.');
    expect(minutes).toContain('Maria Silva (interpreter) agreed.');
    expect(minutes).toContain('Recording was permitted: everyone present agreed.');
    await checkScreen(kiosk, 'minutes');
    assertNoPageErrors(page);
    await page.context().close();
  });

  it('a Polish attendee answers through the interpreter on their own screen, in Polish; a Polish attendee by phone is asked on the chair’s screen, in English', async () => {
    const polishFather = { ...father, language: 'Polish (Polski)' };
    const polishByPhone = { ...police, language: 'Polish (Polski)' };
    const { page, kiosk, relay } = await meetingAtTheRound([
      chair,
      mother,
      polishFather,
      interpreter,
      polishByPhone,
    ]);
    await kiosk.askAndAnswer(chair.name, 'yes');

    // Mark Doe's own screen is in Polish: the interpreter choice too, the English beside (not yet approved),
    // and the language offered first is his own.
    await kiosk.tap(kiosk.button(enGB.round.handTo.replace('{{name}}', father.name)));
    const polish = await AttendeePage.of(page, 'pl');
    await polish.region().waitFor();
    await polish.throughInterpreter(interpreter.name);
    await expect.poll(() => polish.languageInterpreted().inputValue()).toBe('pl');
    await checkScreen(kiosk, 'answer through an interpreter, in Polish');
    await polish.answerYes();
    await kiosk.chairTakesBack();
    await kiosk.askAndAnswer(interpreter.name, 'yes');

    // Anna Webb reads Polish but is on the phone: the chair holds the tablet, so it stays in English, with
    // no language list (she is not at the tablet to choose one).
    await relay.askRemote(police.name, 'phone');
    expect(await page.locator('main[lang="pl"]').count()).toBe(0);
    expect(await polish.languageList().count()).toBe(0);
    await kiosk.answerYes();
    await kiosk.chairTakesBack();

    await kiosk.finishScreening();
    await kiosk.heading(enGB.ready.title).waitFor();
    await kiosk.beginDiscussion();
    await kiosk.closeMeeting();
    const minutes = await kiosk.minuteText();
    expect(minutes).toContain(
      'Mark Doe (parent or carer) agreed, through the interpreter Maria Silva (Polish).',
    );
    expect(minutes).toContain('Anna Webb (police) agreed, by phone, relayed by the chair.');
    assertNoPageErrors(page);
    await page.context().close();
  });
});
