/**
 * Every screen of the tablet and of the admin area at 1024x768, 768x1024, 1280x800 and 360x740 (issue 17):
 * one meeting walked at each size, from the first-run PIN to the closed meeting's downloads, and the whole
 * admin area signed in at each size. On each screen axe finds nothing, every control is at least 48 CSS px
 * and nothing scrolls sideways; its screenshot is kept in test-results/screens/<width>x<height>/ to look at.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { enGB } from '../../src/shared/i18n/en-GB';
import {
  ALL_AGREE,
  addAccount,
  adminCookie,
  enrol,
  type Harness,
  makeHarness,
  newCode,
  sealLog,
  syncRequest,
} from '../integration/harness';
import { AdminPage } from './pages/admin';
import { AttendeePage } from './pages/attendee';
import { CHILD, chair, mother } from './pages/conference';
import { type AttendeeInput, KioskPage } from './pages/kiosk';
import { UndertakingPage } from './pages/undertaking';
import { assertNoPageErrors, launchBrowser, newTabletPage, type Viewport } from './support/browser';
import { ScreenWalk, SIZES } from './support/sizes';
import { oneEnglishVoice } from './support/voices';

const baseURL = inject('baseURL');
const PASSWORD = 'every screen admin password';

let browser: Browser;
let h: Harness;
let service: ServerType;
let adminBase = '';
let meetingId = '';

const socialWorker: AttendeeInput = {
  name: 'Tom Reid',
  role: 'social-worker',
  agency: "Children's Services",
};
const police: AttendeeInput = { name: 'Anna Webb', role: 'police', agency: 'Constabulary' };
const interpreter: AttendeeInput = { name: 'Maria Silva', role: 'interpreter' };

const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? '');

beforeAll(async () => {
  browser = await launchBrowser();
  // No administrator yet, so the first administrator's set-up page can be seen; one is added after it.
  h = await makeHarness('pglite');
  service = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' });
  const server = service as unknown as Server;
  await new Promise<void>((done) => (server.listening ? done() : server.once('listening', () => done())));
  adminBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await browser?.close();
  service?.close();
  await h?.close();
});

/** In a conference where professionals disagree, the chair decides that recording is permitted. */
async function chairPermits(kiosk: KioskPage) {
  await kiosk.page.getByLabel(enGB.decision.permit).check();
  await kiosk.page.getByLabel(enGB.decision.reason).fill('Sarah needs an exact record.');
  await kiosk.button(enGB.decision.submit).click();
}

/** One meeting on a tablet of this size, every screen of it checked. */
async function walkTablet(size: Viewport) {
  const page = await newTabletPage(browser, size);
  await page.addInitScript(oneEnglishVoice);
  const kiosk = new KioskPage(page);
  const undertaking = new UndertakingPage(page);
  const walk = new ScreenWalk(page);
  await page.goto(baseURL);

  await kiosk.heading(enGB.pin.setTitle).waitFor();
  await walk.check('first-run-pin');
  await kiosk.choosePin();
  await walk.check('home-empty');

  await kiosk.openSettings();
  await walk.check('settings');
  for (const [i, section] of (await page.getByRole('heading', { level: 2 }).all()).entries()) {
    await section.scrollIntoViewIfNeeded();
    await walk.check(`settings-section-${i + 1}`, { axe: false });
  }
  await kiosk.button(enGB.common.back).click();
  await kiosk.heading(enGB.home.title).waitFor();

  await kiosk.lock();
  await walk.check('lock');
  await kiosk.forgottenPin();
  await walk.check('pin-reset');
  await kiosk.button(enGB.pin.backToPin).click();
  await kiosk.heading(enGB.pin.lockedTitle).waitFor();
  await kiosk.unlock();
  await kiosk.heading(enGB.home.title).waitFor();

  await kiosk.button(enGB.home.newMeeting).click();
  await kiosk.heading(enGB.setup.title).waitFor();
  await walk.check('setup');
  await kiosk.button(enGB.common.cancel).click();
  await kiosk.setUpMeeting({ kind: 'child-protection-conference', children: [CHILD] });
  await kiosk.button(enGB.attendees.add).click();
  await walk.check('attendees-add');
  for (const person of [chair, mother, socialWorker, police]) await kiosk.addAttendee(person);
  await walk.check('attendees-listed');

  await kiosk.button(enGB.request.title).click();
  await page.getByLabel(enGB.request.requester).waitFor();
  await walk.check('request');
  await kiosk.button(enGB.common.cancel).click();
  await kiosk.recordRequest({ requester: mother.name, purpose: 'To listen again later.' });
  await kiosk.heading(enGB.eligibility.title).waitFor();
  await walk.check('eligibility');
  await kiosk.confirmEligible(mother.name);
  await kiosk.heading(enGB.undertaking.chairTitle).waitFor();
  await walk.check('undertaking-hand-over');
  await kiosk.handOverToSign(mother.name);
  await undertaking.checkTitle().waitFor();
  await walk.check('understanding-check');
  await undertaking.answerWrongly();
  await walk.check('understanding-not-quite');
  await undertaking.passUnderstandingCheck();
  await walk.check('undertaking-signature');
  await undertaking.readFullWording();
  await walk.check('undertaking-full-wording');
  await undertaking.backToPlainWords();
  await undertaking.switchEasyRead();
  await walk.check('undertaking-easy-read');
  await kiosk.button(enGB.answer.easyRead).click();
  await undertaking.text('plain').waitFor();
  await kiosk.sign();
  await kiosk.heading(enGB.pin.handBackTitle).waitFor();
  await walk.check('hand-back');
  await kiosk.unlock();

  await kiosk.heading(enGB.round.title).waitFor();
  await walk.check('round');
  await kiosk.handTo(chair.name);
  await walk.check('attendee-question');
  await kiosk.button(new RegExp(enGB.readAloud.play)).click();
  await kiosk.button(enGB.readAloud.pause).waitFor();
  await walk.check('attendee-read-aloud');
  await kiosk.button(enGB.readAloud.stop).click();
  await kiosk.button(enGB.answer.easyRead).click();
  await walk.check('attendee-easy-read');
  await kiosk.button(enGB.answer.easyRead).click();
  await kiosk.answerYes();
  await kiosk.chairTakesBack();
  // The social worker reads and answers in Urdu: the language list, and a right-to-left screen.
  await kiosk.handTo(socialWorker.name);
  const urdu = await AttendeePage.of(page, 'ur');
  await urdu.languageList().focus();
  await walk.check('attendee-language-list');
  await urdu.chooseLanguage('اردو');
  await urdu.button(urdu.words.answer.yes).waitFor();
  await page.waitForFunction(() => document.fonts.check('16px "Noto Sans Arabic"', 'کیا'));
  await page.evaluate(() => document.fonts.ready);
  await walk.check('attendee-urdu-question');
  await urdu.answerYes();
  await kiosk.chairTakesBack();
  await kiosk.handTo(police.name);
  await kiosk.chooseNo();
  await kiosk.giveReason({ words: 'An investigation is ongoing.' });
  await walk.check('attendee-reason-for-no');
  await kiosk.sendAnswer();
  await kiosk.chairTakesBack();

  await kiosk.heading(enGB.screening.title).waitFor();
  await walk.check('screening');
  await kiosk.finishScreening();
  await kiosk.heading(enGB.decision.title).waitFor();
  await walk.check('chair-decision');
  await chairPermits(kiosk);
  await kiosk.heading(enGB.ready.title).waitFor();
  await walk.check('ready');

  await kiosk.beginDiscussion();
  await walk.check('during-recording-off');
  await kiosk.startRecording();
  await walk.check('during-recording-on');
  await kiosk.openAction(enGB.during.joined);
  await walk.check('change-someone-joined');
  await kiosk.foldAway(enGB.during.joined);
  await kiosk.openAction(enGB.changes.correct);
  await walk.check('change-correct-details');
  await kiosk.foldAway(enGB.changes.correct);
  await kiosk.someoneJoined(interpreter);
  await kiosk.heading(enGB.paused.title).waitFor();
  await walk.check('recording-paused-notice');
  await kiosk.button(enGB.paused.ack).click();
  await page.getByText(enGB.paused.banner).waitFor();
  await walk.check('recording-paused');
  await kiosk.askAndAnswer(interpreter.name, 'yes');
  // With the police officer's "no" still standing, the reasons and the chair's decision are taken again.
  const resume = kiosk.button(enGB.during.resumeRecording);
  const screening = kiosk.heading(enGB.screening.title);
  const decision = kiosk.heading(enGB.decision.title);
  for (;;) {
    await resume.or(screening).or(decision).first().waitFor();
    // Each step is done once: its heading goes before the loop looks again (the decision's heading was
    // still up for a moment after its submit, and a second decision found no choice to tick).
    if (await screening.isVisible()) {
      await kiosk.finishScreening();
      await screening.waitFor({ state: 'hidden' });
    } else if (await decision.isVisible()) {
      await chairPermits(kiosk);
      await decision.waitFor({ state: 'hidden' });
    } else break;
  }
  await walk.check('recording-paused-permitted');
  await kiosk.button(enGB.during.resumeRecording).click();
  await page.getByText(enGB.during.recordingOn).waitFor();

  await kiosk.openAction(enGB.during.withdraw);
  await walk.check('withdraw-permission');
  await kiosk.withdraw('Ms Doe said she would share the recording.');
  await kiosk.heading(enGB.alternatives.title).first().waitFor();
  await walk.check('other-arrangements');
  await kiosk.offerAlternatives([enGB.alternativeLabels['detailed-minutes']], 'Sarah accepted.');
  await kiosk.heading(enGB.during.title).or(kiosk.heading(enGB.ready.title)).first().waitFor();
  if (await kiosk.button(enGB.ready.start).isVisible()) await kiosk.beginDiscussion();
  await walk.check('during-after-withdrawal');

  await kiosk.openClosing();
  await kiosk
    .draftMinute()
    .getByText(/Record check/)
    .waitFor();
  await walk.check('draft-minute');
  await kiosk.confirmMinute();
  await kiosk.heading(enGB.minutes.title).waitFor();
  await walk.check('closed-minute-entry');
  await kiosk.button(enGB.minutes.pdf).scrollIntoViewIfNeeded();
  await walk.check('closed-downloads', { axe: false });
  await kiosk.button(enGB.minutes.backHome).click();
  await kiosk.heading(enGB.home.title).waitFor();
  await walk.check('home-past-meeting');
  await page
    .getByRole('button', { name: new RegExp(fill(enGB.home.view, { title: '' })) })
    .first()
    .click();
  await kiosk.heading(enGB.minutes.title).waitFor();
  await walk.check('past-meeting-record');

  assertNoPageErrors(page);
  await page.context().close();
  console.log(`${walk.size}: ${walk.timing()}`);
  return walk.problems;
}

/** The admin area at this size, signed in as an administrator, every page checked. */
async function walkAdmin(size: Viewport) {
  const page = await newTabletPage(browser, size);
  const admin = new AdminPage(page, adminBase);
  const walk = new ScreenWalk(page, 61);

  await admin.open();
  await admin.heading('Sign in').waitFor();
  await walk.check('admin-sign-in');
  await admin.signIn('admin', PASSWORD);
  await admin.heading('Meetings').waitFor();
  await walk.check('admin-meetings');
  await page.getByRole('region', { name: 'Meetings synced from the tablets' }).scrollIntoViewIfNeeded();
  await walk.check('admin-meetings-table', { axe: false });
  await admin.filterMeetings({ Kind: 'meeting', Outcome: 'permitted' });
  await walk.check('admin-meetings-filtered');
  await admin.filterMeetings({ 'Search titles and chairs': 'nobody of this name' });
  await walk.check('admin-meetings-none-found');

  await admin.open(`/admin/meetings/${meetingId}`);
  await admin.heading(/^Review meeting/).waitFor();
  await walk.check('admin-meeting');
  await page
    .getByRole('heading', { name: /undertaking/i })
    .first()
    .scrollIntoViewIfNeeded();
  await walk.check('admin-meeting-undertaking', { axe: false });
  await page.getByRole('region', { name: "The meeting's log" }).scrollIntoViewIfNeeded();
  await walk.check('admin-meeting-log', { axe: false });

  await admin.goTo('Devices and codes');
  await walk.check('admin-devices');
  await admin.createEnrolmentCode();
  await walk.check('admin-enrolment-code');
  await admin.goTo('Devices and codes');
  await admin.openPinReset('Room 2 tablet');
  await walk.check('admin-pin-reset');
  await admin.issuePinResetCode();
  await walk.check('admin-pin-reset-issued');

  await admin.goTo('Verify a record');
  await walk.check('admin-verify-empty');
  const entry = await page.request.get(`${adminBase}/admin/meetings/${meetingId}/minute.json`);
  const { recordCheck } = (await entry.json()) as { recordCheck: { headHash: string } };
  await admin.verify(meetingId, recordCheck.headHash);
  await page.getByText('The record matches').first().waitFor();
  await walk.check('admin-verify-matches');
  await admin.verify(meetingId, '0'.repeat(64));
  await walk.check('admin-verify-differs');

  await admin.goTo('Figures');
  await walk.check('admin-dashboard');
  await admin.goTo('Subject access');
  await walk.check('admin-subject-access');
  await admin.goTo('Accounts');
  await walk.check('admin-accounts');
  await admin.goTo('Audit trail');
  await walk.check('admin-audit');
  await page.getByRole('region', { name: 'The audit trail' }).scrollIntoViewIfNeeded();
  await walk.check('admin-audit-table', { axe: false });
  await admin.goTo('Sealing keys');
  await walk.check('admin-sealing-keys');
  await admin.goTo('Your password');
  await walk.check('admin-password');

  assertNoPageErrors(page);
  await page.context().close();
  console.log(`${walk.size}: ${walk.timing()}`);
  return walk.problems;
}

/**
 * While fixing, one size or one part can be walked alone: EVERY_SCREEN=360x740 or EVERY_SCREEN=admin or
 * EVERY_SCREEN=tablet:768x1024 (comma-separated). Unset, every size and both parts are walked.
 */
const ONLY = (process.env.EVERY_SCREEN ?? '').split(',').filter(Boolean);
const picks = (name: 'tablet' | 'admin' | null, size: Viewport) =>
  ONLY.length === 0 ||
  ONLY.some((o) => {
    const [first, second] = o.split(':');
    const [partOf, sizeOf] = first === 'tablet' || first === 'admin' ? [first, second] : [undefined, first];
    return (!sizeOf || sizeOf === `${size.width}x${size.height}`) && (!partOf || !name || partOf === name);
  });
const wanted = (size: Viewport) => picks(null, size);
const part = (name: 'tablet' | 'admin', size: Viewport) => picks(name, size);

/** Fails listing every problem found on the walk (a walk goes on past a problem, to find them all). */
function expectNone(problems: readonly string[]) {
  if (problems.length > 0) throw new Error(`${problems.length} problem(s):\n\n${problems.join('\n\n')}`);
}

describe('every screen at every supported size', { timeout: 300_000 }, () => {
  /** The first administrator's set-up page, seen only while the service has no administrator. */
  const setupProblems = new Map<string, string[]>();

  beforeAll(async () => {
    const page = await newTabletPage(browser, SIZES[0]);
    const admin = new AdminPage(page, adminBase);
    await admin.open('/admin/setup');
    await admin.heading('Set up the first administrator').waitFor();
    for (const size of SIZES) {
      await page.setViewportSize(size);
      const walk = new ScreenWalk(page, 60);
      await walk.check('admin-first-administrator');
      setupProblems.set(walk.size, walk.problems);
    }
    await page.context().close();
    // Then an administrator, and one tablet's closed meeting for the meeting page, verify and the figures.
    await addAccount(h.database, { username: 'admin', password: PASSWORD, role: 'administrator' });
    const device = await enrol(h, await newCode(h, await adminCookie(h, PASSWORD)), 'Room 2 tablet');
    const log = await sealLog(device.deviceId, ALL_AGREE);
    meetingId = log[0]?.meetingId as string;
    expect((await syncRequest(h, device, log)).status).toBe(200);
  });

  for (const size of SIZES.filter(wanted)) {
    it.runIf(part('tablet', size))(`the tablet's screens at ${size.width}x${size.height}`, async () => {
      expectNone(await walkTablet(size));
    });
    it.runIf(part('admin', size))(`the admin area at ${size.width}x${size.height}`, async () => {
      const problems = await walkAdmin(size);
      expectNone([...(setupProblems.get(`${size.width}x${size.height}`) ?? []), ...problems]);
    });
  }
});
