/**
 * Whole meetings run on a tablet-sized window, driven by role and accessible name through the page model.
 * Every screen a journey passes through is checked with axe and for 48 px touch targets.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { enGB } from '../../src/shared/i18n/en-GB';
import { KioskPage, PIN } from './pages/kiosk';
import { expectNoAxeViolations, expectTouchTargets } from './support/axe';
import { assertNoPageErrors, launchBrowser, launchPersistentTablet, newTabletPage } from './support/browser';
import { screenshot } from './support/screenshots';

const baseURL = inject('baseURL');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

/** axe and touch targets on the screen as it is now; screenshots in landscape and portrait. */
async function checkScreen(page: Page, label: string, shot?: string) {
  await expectNoAxeViolations(page, label);
  await expectTouchTargets(page);
  if (!shot) return;
  const viewport = page.viewportSize() ?? { width: 1024, height: 768 };
  for (const size of [
    { width: 1024, height: 768 },
    { width: 768, height: 1024 },
  ]) {
    await page.setViewportSize(size);
    await expectTouchTargets(page);
    await screenshot(page, shot);
  }
  await page.setViewportSize(viewport);
}

async function startKiosk(viewport = { width: 1024, height: 768 }) {
  const page = await newTabletPage(browser, viewport);
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
const health = { name: 'Ola Bello', role: 'health', agency: 'NHS' } as const;

async function openWithRequest(
  kiosk: KioskPage,
  options: {
    kind?: 'meeting' | 'child-protection-conference' | 'conversation';
    profile?: 'hertfordshire' | 'staffordshire-stoke';
    people: ReadonlyArray<Parameters<KioskPage['addAttendee']>[0]>;
  },
) {
  await kiosk.choosePin();
  await kiosk.setUpMeeting({
    title: 'Review for Jamie',
    kind: options.kind,
    profile: options.profile,
    children: [CHILD],
  });
  for (const p of options.people) await kiosk.addAttendee(p);
  await kiosk.recordRequest({
    requester: mother.name,
    reasons: ['memory', 'stress'],
    purpose: 'To listen again later.',
  });
}

// Whole meetings on a shared two-core machine: a minute or two each.
describe('the kiosk, as the people in the room use it', { timeout: 180_000 }, () => {
  it('HCS 2.7: everyone agrees, the parent signs, recording begins and the minute entry says so', async () => {
    const kiosk = await startKiosk();
    const { page } = kiosk;
    await checkScreen(page, 'choose PIN', 'choose-pin');
    await kiosk.choosePin();
    await checkScreen(page, 'home', 'home');
    await kiosk.button(enGB.home.newMeeting).click();
    await checkScreen(page, 'set up', 'setup');
    await kiosk.button(enGB.common.cancel).click();
    await kiosk.setUpMeeting({ title: 'Review for Jamie', children: [CHILD] });
    for (const p of [chair, mother, socialWorker]) await kiosk.addAttendee(p);
    await kiosk.button(enGB.request.title).click();
    await checkScreen(page, 'request form', 'request');
    await kiosk.button(enGB.common.cancel).click();
    await kiosk.recordRequest({
      requester: mother.name,
      reasons: ['memory'],
      purpose: 'To listen again later.',
    });

    await kiosk.heading(enGB.eligibility.title).waitFor();
    await checkScreen(page, 'eligibility', 'eligibility');
    await kiosk.confirmEligible(mother.name);
    await checkScreen(page, 'undertaking (chair)');
    await kiosk.handOverToSign(mother.name);
    await checkScreen(page, 'undertaking (requester)', 'undertaking');
    await kiosk.button(enGB.answer.easyRead).click();
    await checkScreen(page, 'undertaking easy read', 'undertaking-easy-read');
    await kiosk.sign();
    await kiosk.chairTakesBack();

    await kiosk.heading(enGB.round.title).waitFor();
    await checkScreen(page, 'round', 'round');
    await kiosk.handTo(chair.name);
    await checkScreen(page, 'attendee answer', 'attendee-answer');
    await kiosk.button(enGB.answer.easyRead).click();
    await checkScreen(page, 'attendee answer easy read', 'attendee-answer-easy-read');
    await kiosk.button(new RegExp(enGB.answer.easyYes)).click();
    await checkScreen(page, 'hand back', 'hand-back');
    await kiosk.unlock();
    await kiosk.askAndAnswer(socialWorker.name, 'yes');
    expect(await kiosk.statusOf(socialWorker.name)).toContain(enGB.status.agreed);

    await kiosk.heading(enGB.screening.title).waitFor();
    await checkScreen(page, 'screening', 'screening');
    await kiosk.finishScreening();
    await kiosk.heading(enGB.ready.title).waitFor();
    expect(await kiosk.outcomeText()).toContain(
      `${enGB.outcome.permitted} ${enGB.outcome.basis['all-agreed']}`,
    );
    await checkScreen(page, 'ready', 'ready');
    await kiosk.beginDiscussion();
    await kiosk.startRecording();
    await checkScreen(page, 'during', 'during');
    await kiosk.openClosing();
    await kiosk.draftMinute().getByText('Recording began.').waitFor();
    await checkScreen(page, 'confirm the minute entry and close', 'confirm-and-close');
    await kiosk.closeMeeting();
    await checkScreen(page, 'minutes', 'minutes');
    const minutes = await kiosk.minuteText();
    expect(minutes).toContain(
      'Sarah Doe (parent or carer) signed the undertaking not to share the recording',
    );
    expect(minutes).toContain('Tom Reid (social worker) agreed.');
    expect(minutes).toContain('Recording was permitted: everyone present agreed.');
    expect(minutes).toContain('Recording began.');
    expect(minutes).toMatch(/Confirmed by Priya Shah, chair, on \w+ \d{1,2} \w+ \d{4} at \d{2}:\d{2}\./);
    for (const name of [enGB.minutes.pdf, enGB.minutes.undertakingPdf, enGB.minutes.easyReadPdf]) {
      const [file] = await Promise.all([page.waitForEvent('download'), kiosk.button(name).click()]);
      const bytes = await readFile((await file.path()) ?? '');
      expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    }
    assertNoPageErrors(page);
    await page.context().close();
  });

  it('HCS 2.8 and 3.2: one person says no with a reason, recording is refused and alternatives are recorded', async () => {
    const kiosk = await startKiosk();
    await openWithRequest(kiosk, { people: [chair, mother, health] });
    await kiosk.confirmEligible(mother.name);
    await kiosk.handOverToSign(mother.name);
    await kiosk.sign();
    await kiosk.chairTakesBack();
    await kiosk.askAndAnswer(chair.name, 'yes');
    await kiosk.askAndAnswer(health.name, { no: 'Clinical details of another patient.' });
    expect(await kiosk.statusOf(health.name)).toContain(enGB.status.declined);
    await kiosk.finishScreening();
    await checkScreen(kiosk.page, 'alternatives', 'alternatives');
    await kiosk.offerAlternatives([enGB.alternativeLabels['detailed-minutes']], 'Sarah accepted.');
    await kiosk.heading(enGB.ready.title).waitFor();
    await kiosk.page.getByText(enGB.outcome['not-permitted']).waitFor();
    await kiosk.beginDiscussion();
    expect(await kiosk.button(enGB.during.startRecording).count()).toBe(0);
    await kiosk.closeMeeting();
    const minutes = await kiosk.minuteText();
    expect(minutes).toContain(
      'Ola Bello (health) did not agree. Reason: “Clinical details of another patient.”',
    );
    expect(minutes).toContain('Other arrangements were offered: a detailed written record of the meeting.');
    expect(minutes).toContain('The meeting began without recording; it was not cancelled.');
    await kiosk.page.context().close();
  });

  it('HCS 2.12: in a conference a professional declines, the chair decides and the disagreement is noted', async () => {
    const kiosk = await startKiosk();
    await openWithRequest(kiosk, {
      kind: 'child-protection-conference',
      people: [chair, mother, socialWorker, police],
    });
    await kiosk.confirmEligible(mother.name);
    await kiosk.handOverToSign(mother.name);
    await kiosk.sign();
    await kiosk.chairTakesBack();
    await kiosk.askAndAnswer(chair.name, 'yes');
    await kiosk.askAndAnswer(socialWorker.name, 'yes');
    await kiosk.askAndAnswer(police.name, { no: 'An investigation is ongoing.' });
    await kiosk.finishScreening();
    await kiosk.heading(enGB.decision.title).waitFor();
    await checkScreen(kiosk.page, 'chair decision', 'decision');
    await kiosk.page.getByLabel(enGB.decision.permit).check();
    await kiosk.page
      .getByLabel(enGB.decision.reason)
      .fill('Sarah needs an exact record; police may ask for a pause.');
    await kiosk.button(enGB.decision.submit).click();
    await kiosk.heading(enGB.ready.title).waitFor();
    await kiosk.beginDiscussion();
    await kiosk.startRecording();
    await kiosk.closeMeeting();
    const minutes = await kiosk.minuteText();
    expect(minutes).toContain(
      'The professionals disagreed, so the chair, Priya Shah, made the overall decision: recording was permitted.',
    );
    expect(minutes).toContain('Disagreements noted: “Anna Webb (police) did not agree.”');
    await kiosk.page.context().close();
  });

  it('HCS 2.11: a newcomer joins mid-recording, recording pauses until they agree, then resumes', async () => {
    const kiosk = await startKiosk({ width: 768, height: 1024 });
    const { page } = kiosk;
    await openWithRequest(kiosk, { people: [chair, mother] });
    await kiosk.confirmEligible(mother.name);
    await kiosk.handOverToSign(mother.name);
    await kiosk.sign();
    await kiosk.chairTakesBack();
    await kiosk.askAndAnswer(chair.name, 'yes');
    await kiosk.finishScreening();
    await kiosk.beginDiscussion();
    await kiosk.startRecording();
    await kiosk.button(enGB.during.joined).click();
    await page.getByLabel(enGB.attendees.name, { exact: true }).fill('Maria Silva');
    await page
      .getByLabel(enGB.attendees.role, { exact: true })
      .selectOption({ label: enGB.attendees.roles.interpreter });
    await kiosk.button(enGB.attendees.joinSubmit).click();
    await kiosk.heading(enGB.paused.title).waitFor();
    await checkScreen(page, 'recording paused', 'recording-paused');
    await kiosk.button(enGB.paused.ack).click();
    await page.getByText(enGB.paused.banner).waitFor();
    await kiosk.askAndAnswer('Maria Silva', 'yes');
    await kiosk.button(enGB.during.resumeRecording).click();
    await page.getByText(enGB.during.recordingOn).waitFor();
    await kiosk.closeMeeting();
    const minutes = await kiosk.minuteText();
    expect(minutes).toContain(
      'Maria Silva (interpreter) joined. The meeting was stopped and recording was paused',
    );
    expect(minutes).toContain('Recording resumed.');
    await page.context().close();
  });

  it('HCS 2.11: a request made after the start stops the meeting for a round', async () => {
    const kiosk = await startKiosk();
    await kiosk.choosePin();
    await kiosk.setUpMeeting({ title: 'Visit review', children: [CHILD] });
    for (const p of [chair, mother, socialWorker]) await kiosk.addAttendee(p);
    await kiosk.button(enGB.request.startWithout).click();
    await kiosk.heading(enGB.during.title).waitFor();
    await kiosk.recordRequest({ requester: mother.name, afterStart: true });
    await kiosk.confirmEligible(mother.name);
    await kiosk.handOverToSign(mother.name);
    await kiosk.sign();
    await kiosk.chairTakesBack();
    await kiosk.askAndAnswer(chair.name, 'yes');
    await kiosk.askAndAnswer(socialWorker.name, 'yes');
    await kiosk.finishScreening();
    await kiosk.heading(enGB.during.title).waitFor();
    await kiosk.startRecording();
    await kiosk.closeMeeting();
    expect(await kiosk.minuteText()).toContain('after the meeting had begun; the meeting was stopped');
    await kiosk.page.context().close();
  });

  it('HCS 2.4: in a conversation the professional declines with a reason and the conversation goes on', async () => {
    const kiosk = await startKiosk();
    await openWithRequest(kiosk, { kind: 'conversation', people: [mother, socialWorker] });
    await kiosk.handTo(socialWorker.name);
    await kiosk.page
      .getByText(enGB.answer.askingConversation.replace('{{requester}}', mother.name))
      .waitFor();
    await kiosk.answerNo('Another family member’s health will be discussed.');
    await kiosk.chairTakesBack();
    await kiosk.heading(enGB.ready.title).waitFor();
    await kiosk.beginDiscussion();
    await kiosk.closeMeeting();
    const minutes = await kiosk.minuteText();
    expect(minutes).toMatch(/^Case note/);
    expect(minutes).toContain('The conversation went ahead without recording.');
    await kiosk.page.context().close();
  });

  it('SSLSCB: under the Staffordshire profile a "no" is recorded but does not forbid recording', async () => {
    const kiosk = await startKiosk();
    await openWithRequest(kiosk, { profile: 'staffordshire-stoke', people: [chair, mother, police] });
    await kiosk.handOverToSign(mother.name);
    await kiosk.sign();
    await kiosk.chairTakesBack();
    await kiosk.askAndAnswer(chair.name, 'yes');
    await kiosk.askAndAnswer(police.name, { no: 'I would rather not be recorded.' });
    await kiosk.heading(enGB.ready.title).waitFor();
    await kiosk.page.getByText(enGB.outcome.basis['notice-model']).waitFor();
    await kiosk.beginDiscussion();
    await kiosk.startRecording();
    await kiosk.closeMeeting();
    expect(await kiosk.minuteText()).toContain(
      'Anna Webb (police) did not agree. Reason: “I would rather not be recorded.”',
    );
    await kiosk.page.context().close();
  });

  it('HCS 1.3: the requester chooses not to sign, and the request cannot go ahead', async () => {
    const kiosk = await startKiosk();
    await openWithRequest(kiosk, { people: [chair, mother] });
    await kiosk.confirmEligible(mother.name);
    await kiosk.handOverToSign(mother.name);
    await kiosk.button(enGB.undertaking.decline).click();
    await checkScreen(kiosk.page, 'decline to sign');
    await kiosk.button(enGB.undertaking.declineConfirm).click();
    await kiosk.chairTakesBack();
    await kiosk.offerAlternatives([enGB.alternativeLabels['minutes-sent-early']]);
    await kiosk.heading(enGB.ready.title).waitFor();
    await kiosk.page.getByText(enGB.outcome.basis['undertaking-declined']).waitFor();
    await kiosk.page.context().close();
  });

  it('an attendee screen cannot reach the chair’s controls without the PIN', async () => {
    const kiosk = await startKiosk();
    const { page } = kiosk;
    await openWithRequest(kiosk, { people: [chair, mother, socialWorker] });
    await kiosk.confirmEligible(mother.name);
    await kiosk.handOverToSign(mother.name);
    await kiosk.sign();
    await kiosk.chairTakesBack();
    await kiosk.handTo(socialWorker.name);
    // On the attendee's screen: no status panel, no chair controls.
    expect(await kiosk.statusPanel().count()).toBe(0);
    expect(await kiosk.button(enGB.closing.button).count()).toBe(0);
    await kiosk.button(enGB.pin.chairTakesBack).click();
    await kiosk.page.getByLabel(enGB.pin.pinLabel).fill('9999');
    await kiosk.button(enGB.pin.unlock).click();
    await page.getByText(enGB.pin.wrong).waitFor();
    expect(await kiosk.statusPanel().count()).toBe(0);
    await kiosk.unlock(PIN);
    await kiosk.statusPanel().waitFor();
    expect(await kiosk.statusOf(socialWorker.name)).toContain(enGB.status.asking);
    await page.context().close();
  });

  it('reloading in the middle of the round resumes at the same attendee', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'kiosk-'));
    try {
      let context = await launchPersistentTablet(dir, { width: 1024, height: 768 });
      let page = context.pages()[0] ?? (await context.newPage());
      await page.goto(baseURL);
      let kiosk = new KioskPage(page);
      await openWithRequest(kiosk, { people: [chair, mother, socialWorker] });
      await kiosk.confirmEligible(mother.name);
      await kiosk.handOverToSign(mother.name);
      await kiosk.sign();
      await kiosk.chairTakesBack();
      await kiosk.askAndAnswer(chair.name, 'yes');
      await kiosk.handTo(socialWorker.name);
      await context.close();

      context = await launchPersistentTablet(dir, { width: 1024, height: 768 });
      page = context.pages()[0] ?? (await context.newPage());
      await page.goto(baseURL);
      kiosk = new KioskPage(page);
      await kiosk.page.getByText(enGB.answer.question.replace('{{name}}', socialWorker.name)).waitFor();
      await kiosk.answerYes();
      await kiosk.chairTakesBack();
      await kiosk.heading(enGB.screening.title).waitFor();
      expect(await kiosk.statusOf(chair.name)).toContain(enGB.status.agreed);
      await context.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
