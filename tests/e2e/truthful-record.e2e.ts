/**
 * The record tells the truth (issue 12), on the tablet: a name corrected, a "no" that a departure does not
 * turn into a "yes", the chair asking again, the requester leaving while recording, permission withdrawn
 * before the discussion, and the chair confirming the minute entry with the PIN. Driven by role and
 * accessible name through the page model; every new screen is checked with axe and for 48 px touch targets.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dateOf } from '../../src/domain/dates';
import { enGB } from '../../src/shared/i18n/en-GB';
import { type AttendeeInput, KioskPage } from './pages/kiosk';
import { expectNoAxeViolations, expectTouchTargets } from './support/axe';
import { assertNoPageErrors, launchBrowser, newTabletPage } from './support/browser';
import { screenshot } from './support/screenshots';

const baseURL = inject('baseURL');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** axe and touch targets on the screen as it is now, and a screenshot when named. */
async function checkScreen(page: Page, label: string, shot?: string) {
  await expectNoAxeViolations(page, label);
  await expectTouchTargets(page);
  if (shot) await screenshot(page, shot);
}

async function startKiosk() {
  const page = await newTabletPage(browser, { width: 1024, height: 768 });
  await page.goto(baseURL);
  const kiosk = new KioskPage(page);
  await kiosk.heading(enGB.pin.setTitle).waitFor();
  return kiosk;
}

const CHILD = 'Jamie Doe';
const mother = { name: 'Sarah Doe', role: 'parent-carer', prFor: [CHILD] } as const;
const chair = { name: 'Priya Shah', role: 'chair', agency: "Children's Services" } as const;
const socialWorker = { name: 'Tom Reid', role: 'social-worker', agency: "Children's Services" } as const;
const police = { name: 'Anna Webb', role: 'police', agency: 'Constabulary' } as const;

/** A meeting about Jamie with these people; the parent (or `requester`) asks to record, signs, and the round begins. */
async function openAndSign(
  kiosk: KioskPage,
  people: readonly AttendeeInput[],
  requester: string = mother.name,
) {
  await kiosk.choosePin();
  await kiosk.setUpMeeting({ title: 'Review for Jamie', children: [CHILD] });
  for (const p of people) await kiosk.addAttendee(p);
  await kiosk.recordRequest({ requester, reasons: ['memory'], purpose: 'To listen again later.' });
  await kiosk.confirmEligible(requester);
  await kiosk.handOverToSign(requester);
  await kiosk.sign();
  await kiosk.chairTakesBack();
  await kiosk.heading(enGB.round.title).waitFor();
}

/** Everyone named agrees, the chair finds no ground for refusal, and the tablet says recording is permitted. */
async function everyoneAgrees(kiosk: KioskPage, names: readonly string[]) {
  for (const name of names) await kiosk.askAndAnswer(name, 'yes');
  await kiosk.finishScreening();
  await kiosk.heading(enGB.ready.title).waitFor();
  expect(await kiosk.outcomeText()).toContain(
    `${enGB.outcome.permitted} ${enGB.outcome.basis['all-agreed']}`,
  );
}

/** The text from `from` on, so a test can say what comes after a line. */
function textAfter(text: string, from: string): string {
  const at = text.indexOf(from);
  expect(at, `the minute entry says "${from}"`).toBeGreaterThanOrEqual(0);
  return text.slice(at + from.length);
}

// Whole meetings on a shared two-core machine: a minute or two each.
describe('the record tells the truth, on the tablet', { timeout: 180_000 }, () => {
  it('a misspelt name is corrected during the round, and the minute entry shows the correction as a correction', async () => {
    const kiosk = await startKiosk();
    const { page } = kiosk;
    const misspelt = { ...mother, name: 'Sara Doe' };
    await openAndSign(kiosk, [chair, misspelt, socialWorker], misspelt.name);

    await kiosk.button(enGB.changes.correct).click();
    await checkScreen(page, 'correct an attendee’s details', 'correct-attendee');
    await kiosk.correctName('Sara Doe', 'Sarah Doe');
    await kiosk.statusPanel().getByRole('listitem').filter({ hasText: 'Sarah Doe (' }).waitFor();
    expect(await kiosk.statusPanel().getByRole('listitem').filter({ hasText: 'Sara Doe (' }).count()).toBe(0);

    await everyoneAgrees(kiosk, [chair.name, socialWorker.name]);
    await kiosk.beginDiscussion();
    await kiosk.closeMeeting();
    const minutes = await kiosk.minuteText();
    expect(minutes).toContain(
      'Correction for Sarah Doe (parent or carer): the name was recorded as “Sara Doe” and is “Sarah Doe”.',
    );
    expect(minutes).toContain('- Sarah Doe, parent or carer (parental responsibility for Jamie Doe)');
    expect(minutes).not.toContain('- Sara Doe');
    assertNoPageErrors(page);
    await page.context().close();
  });

  it('HCS 2.8 and 2.11: a "no" needs its reason; the person who said no leaves, which permits nothing, until the chair asks again and everyone now present agrees', async () => {
    const kiosk = await startKiosk();
    const { page } = kiosk;
    await openAndSign(kiosk, [chair, mother, socialWorker]);
    await kiosk.askAndAnswer(chair.name, 'yes');

    // Under the Hertfordshire policy a "no" without a reason is refused, and nothing typed is lost.
    await kiosk.handTo(socialWorker.name);
    await kiosk.chooseNo();
    await checkScreen(page, 'a "no" and its reasons', 'answer-no-reasons');
    await kiosk.sendAnswer();
    // Said on the attendee's own screen in the attendee's words (issue 18), not the chair's.
    await page.getByRole('alert').getByText(enGB.problem['reason-required']).waitFor();
    await kiosk.giveReason({
      choices: ['third-party-information'],
      words: 'Another family’s case will come up.',
    });
    await kiosk.sendAnswer();
    await kiosk.chairTakesBack();
    expect(await kiosk.statusOf(socialWorker.name)).toContain(enGB.status.declined);

    await kiosk.finishScreening();
    await kiosk.heading(enGB.alternatives.title).first().waitFor();
    // The person who said no leaves while other arrangements are being offered.
    await kiosk.button(enGB.during.left).click();
    await checkScreen(page, 'someone has left (at the alternatives step)', 'someone-left');
    await kiosk.someoneLeft(socialWorker.name);
    expect(await kiosk.statusOf(socialWorker.name)).toContain(`${enGB.status.left}, ${enGB.status.declined}`);
    await kiosk.offerAlternatives([enGB.alternativeLabels['detailed-minutes']]);
    await kiosk.heading(enGB.ready.title).waitFor();
    // Leaving did not turn the "no" into a "yes".
    const stillRefused = await kiosk.outcomeText();
    expect(stillRefused).toContain(enGB.outcome['not-permitted']);
    expect(stillRefused).toContain(enGB.outcome.declinedBy.replace('{{names}}', socialWorker.name));
    expect(await kiosk.button(enGB.during.startRecording).count()).toBe(0);

    await kiosk.button(enGB.ready.askAgain).click();
    await checkScreen(page, 'ask everyone again', 'ask-again');
    await kiosk.askEveryoneAgain('Tom Reid has left the meeting.');
    await kiosk.heading(enGB.round.title).waitFor();
    expect(await kiosk.button(enGB.round.handTo.replace('{{name}}', socialWorker.name)).count()).toBe(0);
    await everyoneAgrees(kiosk, [chair.name]);
    await kiosk.beginDiscussion();
    await kiosk.startRecording();
    await kiosk.closeMeeting();

    const minutes = await kiosk.minuteText();
    expect(minutes).toContain(
      'Tom Reid (social worker) did not agree. Reason: Information about other people will be shared; “Another family’s case will come up.”',
    );
    // Leaving is recorded as what it was; the outcome it left behind still names the "no".
    const leaving = 'Tom Reid (social worker), who had not agreed, left.';
    expect(textAfter(minutes, leaving)).toContain(
      'Recording was not permitted: Tom Reid (social worker) did not agree.',
    );
    const askedAgain = 'The chair asked again of those now present: “Tom Reid has left the meeting.”';
    expect(textAfter(minutes, leaving)).toContain(askedAgain);
    // Nothing says that everyone agreed until the chair had asked again.
    expect(minutes.slice(0, minutes.indexOf(askedAgain))).not.toMatch(/everyone (present |asked )?agreed/i);
    expect(textAfter(minutes, askedAgain)).toContain('Recording was permitted: everyone present agreed.');
    expect(minutes).toMatch(/- Tom Reid, social worker, Children's Services \(left at \d{2}:\d{2}\)/);
    assertNoPageErrors(page);
    await page.context().close();
  });

  it('issue 12: two people who need advice first both leave and the chair asks again: the tablet never says recording is permitted', async () => {
    const kiosk = await startKiosk();
    const { page } = kiosk;
    await openAndSign(kiosk, [mother, socialWorker, police]);
    await kiosk.askAndAnswer(socialWorker.name, { more: 'I must check with my manager.' });
    await kiosk.askAndAnswer(police.name, { more: 'I need my sergeant’s advice.' });
    await kiosk.finishScreening();
    await kiosk.offerAlternatives([enGB.alternativeLabels['minutes-sent-early']]);
    await kiosk.heading(enGB.ready.title).waitFor();
    expect(await kiosk.outcomeText()).toContain(enGB.outcome['awaiting-authorisation']);
    await kiosk.beginDiscussion();

    await kiosk.someoneLeft(socialWorker.name);
    await kiosk.someoneLeft(police.name);
    expect(await kiosk.outcomeText()).toContain(enGB.outcome['awaiting-authorisation']);
    await kiosk.askEveryoneAgain('Both have left the meeting.');
    // Nobody is left to ask: the round asks nobody, and a round with no answers permits nothing.
    await kiosk.finishScreening();
    await kiosk.offerAlternatives([enGB.alternativeLabels['minutes-sent-early']]);
    await kiosk.heading(enGB.during.title).waitFor();
    const outcome = await kiosk.outcomeText();
    expect(outcome).toContain(`${enGB.outcome['not-permitted']} ${enGB.outcome.basis['nobody-asked']}`);
    expect(await page.getByText(enGB.outcome.permitted, { exact: true }).count()).toBe(0);
    expect(await kiosk.button(enGB.during.startRecording).count()).toBe(0);
    expect(await kiosk.button(enGB.during.resumeRecording).count()).toBe(0);

    // Nobody on the list is the chair, so nobody can confirm the minute entry: the tablet says so, and
    // offers no closing until the chair is recorded as having joined.
    await page.getByText(enGB.closing.noChair).waitFor();
    expect(await kiosk.button(enGB.closing.button).count()).toBe(0);
    await kiosk.someoneJoined(chair);
    await kiosk.closeMeeting();
    const minutes = await kiosk.minuteText();
    expect(minutes).not.toMatch(/Recording was permitted/);
    expect(minutes).toContain('Confirmed by Priya Shah, chair, on ');
    expect(minutes).toContain(
      'Tom Reid (social worker), who had asked for advice or information first, left.',
    );
    assertNoPageErrors(page);
    await page.context().close();
  });

  it('HCS 2.11: the person recording leaves while recording is on; recording stops and may resume only once they are back', async () => {
    const kiosk = await startKiosk();
    const { page } = kiosk;
    await openAndSign(kiosk, [chair, mother, socialWorker]);
    await everyoneAgrees(kiosk, [chair.name, socialWorker.name]);
    await kiosk.beginDiscussion();
    await kiosk.startRecording();

    await kiosk.someoneLeft(mother.name);
    await page.getByText(enGB.during.requesterAway).waitFor();
    expect(await page.getByText(enGB.during.recordingOn).count()).toBe(0);
    expect(await kiosk.button(enGB.during.resumeRecording).count()).toBe(0);
    expect(await kiosk.button(enGB.during.startRecording).count()).toBe(0);
    await kiosk.button(enGB.changes.returned).click();
    await checkScreen(page, 'the person recording has left; someone has come back', 'requester-away');

    await kiosk.someoneReturned(mother.name);
    await kiosk.button(enGB.during.resumeRecording).click();
    await page.getByText(enGB.during.recordingOn).waitFor();
    await kiosk.closeMeeting();
    const minutes = await kiosk.minuteText();
    const left =
      'Sarah Doe (parent or carer), who was recording, left. Recording stopped, as the recording device left with them';
    expect(minutes).toContain(left);
    expect(textAfter(textAfter(minutes, left), 'Sarah Doe (parent or carer) returned.')).toContain(
      'Recording resumed.',
    );
    expect(minutes).toMatch(/Recording took place from \d{2}:\d{2} to \d{2}:\d{2} and from \d{2}:\d{2}/);
    assertNoPageErrors(page);
    await page.context().close();
  });

  it('HCS 2.11 and 3.2: the chair withdraws permission before the discussion; other arrangements follow and the meeting begins without recording', async () => {
    const kiosk = await startKiosk();
    const { page } = kiosk;
    await openAndSign(kiosk, [chair, mother, socialWorker]);
    await everyoneAgrees(kiosk, [chair.name, socialWorker.name]);

    await kiosk.button(enGB.during.withdraw).click();
    await checkScreen(page, 'withdraw permission', 'withdraw');
    await kiosk.withdraw('Ms Doe said she would share the recording with a journalist.');
    await kiosk.heading(enGB.alternatives.title).first().waitFor();
    await checkScreen(page, 'alternatives after a withdrawal');
    await kiosk.offerAlternatives([enGB.alternativeLabels['detailed-minutes']]);
    await kiosk.heading(enGB.ready.title).waitFor();
    expect(await kiosk.outcomeText()).toContain(
      `${enGB.outcome['not-permitted']} ${enGB.outcome.basis.withdrawn}`,
    );
    expect(await kiosk.button(enGB.during.withdraw).count()).toBe(0);
    await kiosk.beginDiscussion();
    expect(await kiosk.button(enGB.during.startRecording).count()).toBe(0);
    await kiosk.closeMeeting();

    const minutes = await kiosk.minuteText();
    const withdrawn =
      'The chair withdrew permission to record: “Ms Doe said she would share the recording with a journalist.”';
    expect(minutes).toContain(withdrawn);
    const rest = textAfter(minutes, withdrawn);
    expect(rest).toContain('Other arrangements were offered: a detailed written record of the meeting.');
    expect(textAfter(rest, 'Other arrangements were offered')).toContain(
      'The meeting began without recording; it was not cancelled.',
    );
    expect(minutes).toContain('Outcome: Recording was not permitted: the chair withdrew permission.');
    expect(minutes).not.toContain('Recording began.');
    assertNoPageErrors(page);
    await page.context().close();
  });

  it('HCS 2.10: the chair reads the draft minute entry and confirms it with the PIN; a wrong PIN is refused and closes nothing', async () => {
    const kiosk = await startKiosk();
    const { page } = kiosk;
    await openAndSign(kiosk, [chair, mother, socialWorker]);
    await everyoneAgrees(kiosk, [chair.name, socialWorker.name]);
    await kiosk.beginDiscussion();

    await kiosk.openClosing();
    const draft = kiosk.draftMinute();
    await draft.getByText(/Not yet confirmed by the chair\./).waitFor();
    expect(await draft.textContent()).toContain('Recording was permitted: everyone present agreed.');
    await checkScreen(page, 'confirm the minute entry with the PIN', 'confirm-minute');

    await kiosk.confirmMinute('9999');
    await page.getByRole('alert').getByText(enGB.closing.wrongPin).waitFor();
    expect(await kiosk.heading(enGB.minutes.title).count()).toBe(0);
    await draft.getByText(/Not yet confirmed by the chair\./).waitFor();

    await kiosk.confirmMinute();
    await kiosk.heading(enGB.minutes.title).waitFor();
    const minutes = await kiosk.minuteText();
    const today = dateOf(new Date().toISOString());
    expect(minutes).toMatch(
      new RegExp(`\\nConfirmed by Priya Shah, chair, on ${today} at \\d{2}:\\d{2}\\.\\nRecord check: `),
    );
    expect(minutes).not.toContain('Not yet confirmed');
    // Closed: nothing more can be recorded.
    expect(await kiosk.button(enGB.closing.button).count()).toBe(0);
    expect(await kiosk.button(enGB.changes.correct).count()).toBe(0);
    assertNoPageErrors(page);
    await page.context().close();
  });
});
