/**
 * Page model of the kiosk: what a chair and the attendees do, by role and accessible name, as a person
 * would. Names come from the British English resource file, so a wording change is made in one place.
 */
import type { Locator, Page } from 'playwright-core';
import { enGB } from '../../../src/shared/i18n/en-GB';
import { UndertakingPage } from './undertaking';

const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? '');

export const PIN = '2468';

/** A reason for "no": one-tap choices, the person's own words, or both. */
export interface DeclineReason {
  choices?: ReadonlyArray<keyof typeof enGB.declineReasons>;
  words?: string;
}

export interface AttendeeInput {
  name: string;
  role: keyof typeof enGB.attendees.roles;
  agency?: string;
  /** For a parent or carer: the children they have parental responsibility for. */
  prFor?: readonly string[];
}

export class KioskPage {
  constructor(readonly page: Page) {}

  button(name: string | RegExp): Locator {
    return this.page.getByRole('button', { name, exact: typeof name === 'string' });
  }

  heading(name: string | RegExp): Locator {
    return this.page.getByRole('heading', { name, exact: typeof name === 'string' });
  }

  async choosePin(pin = PIN) {
    await this.page.getByLabel(enGB.pin.newPin).fill(pin);
    await this.page.getByLabel(enGB.pin.confirmPin).fill(pin);
    await this.button(enGB.pin.setButton).click();
    await this.heading(enGB.home.title).waitFor();
  }

  async unlock(pin = PIN) {
    await this.page.getByLabel(enGB.pin.pinLabel).fill(pin);
    await this.button(enGB.pin.unlock).click();
  }

  async setUpMeeting(options: {
    title: string;
    kind?: keyof typeof enGB.setup.kinds;
    profile?: keyof typeof enGB.setup.profiles;
    children: string[];
  }) {
    await this.button(enGB.home.newMeeting).click();
    await this.page
      .getByLabel(enGB.setup.kind)
      .selectOption({ label: enGB.setup.kinds[options.kind ?? 'meeting'] });
    await this.page
      .getByLabel(enGB.setup.profile)
      .selectOption({ label: enGB.setup.profiles[options.profile ?? 'hertfordshire'] });
    await this.page.getByLabel(enGB.setup.meetingTitle).fill(options.title);
    await this.page.getByLabel(`${enGB.setup.place} (${enGB.common.optional})`).fill('Room 2, Civic Centre');
    for (const [i, child] of options.children.entries()) {
      if (i > 0) await this.button(enGB.setup.addChild).click();
      const label = options.children.length > 1 ? `${enGB.setup.childName} ${i + 1}` : enGB.setup.childName;
      await this.page.getByLabel(label, { exact: true }).fill(child);
    }
    await this.button(enGB.setup.create).click();
    await this.heading(enGB.attendees.title).waitFor();
  }

  private async fillAttendee(a: AttendeeInput) {
    await this.page.getByLabel(enGB.attendees.name, { exact: true }).fill(a.name);
    await this.page
      .getByLabel(enGB.attendees.role, { exact: true })
      .selectOption({ label: enGB.attendees.roles[a.role] });
    if (a.agency)
      await this.page.getByLabel(`${enGB.attendees.agency} (${enGB.common.optional})`).fill(a.agency);
    for (const child of a.prFor ?? []) await this.page.getByLabel(fill(enGB.attendees.pr, { child })).check();
  }

  async addAttendee(a: AttendeeInput) {
    await this.button(enGB.attendees.add).click();
    await this.fillAttendee(a);
    await this.button(fill(enGB.attendees.addSubmit, { name: a.name })).click();
    await this.statusPanel().getByText(a.name).waitFor();
  }

  statusPanel(): Locator {
    return this.page.getByRole('complementary', { name: enGB.status.title });
  }

  /** The outcome as the chair's screen states it now, e.g. "Recording is permitted. Everyone present agreed." */
  async outcomeText(): Promise<string> {
    const outcome = this.page.getByRole('status').filter({ has: this.heading(enGB.outcome.title) });
    return ((await outcome.textContent()) ?? '').replace(/\s+/g, ' ');
  }

  /** The status panel's line for one attendee, e.g. "agreed". */
  async statusOf(name: string): Promise<string> {
    const item = this.statusPanel().getByRole('listitem').filter({ hasText: name });
    return ((await item.textContent()) ?? '').replace(/\s+/g, ' ');
  }

  async recordRequest(options: {
    requester: string;
    reasons?: Array<keyof typeof enGB.request.reasonLabels>;
    purpose?: string;
    afterStart?: boolean;
  }) {
    await this.button(options.afterStart ? enGB.during.requestNow : enGB.request.title).click();
    const select = this.page.getByLabel(enGB.request.requester);
    const value = await select
      .locator('option', { hasText: options.requester })
      .first()
      .getAttribute('value');
    if (value === null) throw new Error(`${options.requester} is not offered as the requester`);
    await select.selectOption(value);
    for (const r of options.reasons ?? ['memory'])
      await this.page.getByLabel(enGB.request.reasonLabels[r]).check();
    if (options.purpose)
      await this.page.getByLabel(`${enGB.request.purpose} (${enGB.common.optional})`).fill(options.purpose);
    await this.button(options.afterStart ? enGB.request.afterStartSubmit : enGB.request.submit).click();
  }

  async confirmEligible(name: string) {
    await this.button(fill(enGB.eligibility.confirm, { name })).click();
  }

  async handOverToSign(name: string) {
    await this.button(fill(enGB.undertaking.handTo, { name })).click();
    await this.heading(enGB.undertaking.title).waitFor();
  }

  /** Draws a signature with a finger-like pointer across the pad, after the check of understanding. */
  async drawSignature() {
    await new UndertakingPage(this.page).passUnderstandingCheck();
    const pad = this.page.getByRole('group', { name: enGB.undertaking.signatureLabel }).locator('canvas');
    await pad.scrollIntoViewIfNeeded();
    const box = await pad.boundingBox();
    if (!box) throw new Error('signature pad not visible');
    const y = box.y + box.height / 2;
    await this.page.mouse.move(box.x + box.width * 0.1, y);
    await this.page.mouse.down();
    for (let i = 1; i <= 30; i++) {
      await this.page.mouse.move(
        box.x + box.width * (0.1 + 0.025 * i),
        y + Math.sin(i / 2) * box.height * 0.3,
      );
    }
    await this.page.mouse.up();
  }

  async sign() {
    await this.drawSignature();
    await this.button(new RegExp(enGB.undertaking.sign)).click();
  }

  async handTo(name: string) {
    await this.button(fill(enGB.round.handTo, { name })).click();
    await this.heading(/would like to record this (meeting|conversation)\./).waitFor();
  }

  async answerYes() {
    await this.button(new RegExp(enGB.answer.yes)).click();
  }

  /** "No": opens the reasons (one-tap choices and the person's own words). */
  async chooseNo() {
    await this.button(new RegExp(enGB.answer.no)).click();
    await this.page.getByLabel(enGB.answer.reasonNoOwnWords).waitFor();
  }

  /** Ticks the one-tap reasons and writes the own words given. */
  async giveReason(reason: DeclineReason) {
    for (const choice of reason.choices ?? [])
      await this.page.getByLabel(enGB.declineReasons[choice], { exact: true }).check();
    if (reason.words !== undefined)
      await this.page.getByLabel(enGB.answer.reasonNoOwnWords).fill(reason.words);
  }

  async sendAnswer() {
    await this.button(enGB.answer.send).click();
  }

  /** "No", with the reason: a string is the person's own words; or one-tap choices and/or own words. */
  async answerNo(reason: string | DeclineReason = '') {
    await this.chooseNo();
    await this.giveReason(typeof reason === 'string' ? { words: reason } : reason);
    await this.sendAnswer();
  }

  async answerNeedMore(detail: string) {
    await this.button(new RegExp(enGB.answer.more)).click();
    await this.page.getByLabel(enGB.answer.detailMore).fill(detail);
    await this.button(enGB.answer.send).click();
  }

  /** After an answer: the hand-back screen; the chair unlocks. */
  async chairTakesBack(pin = PIN) {
    await this.heading(enGB.pin.handBackTitle).waitFor();
    await this.unlock(pin);
  }

  async askAndAnswer(name: string, answer: 'yes' | { no: string | DeclineReason } | { more: string }) {
    await this.handTo(name);
    if (answer === 'yes') await this.answerYes();
    else if ('no' in answer) await this.answerNo(answer.no);
    else await this.answerNeedMore(answer.more);
    await this.chairTakesBack();
  }

  async finishScreening(notes: Record<string, ['confirm' | 'dismiss', string]> = {}) {
    await this.heading(enGB.screening.title).waitFor();
    for (const [groundText, [verdict, note]] of Object.entries(notes)) {
      await this.page.getByLabel(`${enGB.screening.note}: ${groundText}`).fill(note);
      await this.page
        .getByRole('article', { name: groundText })
        .getByRole('button', {
          name: verdict === 'confirm' ? enGB.screening.confirm : enGB.screening.dismiss,
        })
        .click();
    }
    // With grounds 4 to 6 unanswered the one button records that none of them applies; once each has been
    // answered it only finishes.
    await this.button(enGB.screening.noneOfOthers).or(this.button(enGB.screening.done)).click();
  }

  async offerAlternatives(labels: string[], note = '') {
    await this.heading(enGB.alternatives.title).first().waitFor();
    for (const label of labels) await this.page.getByLabel(label).check();
    if (note) await this.page.getByLabel(enGB.alternatives.note).fill(note);
    await this.button(enGB.alternatives.submit).click();
  }

  async beginDiscussion() {
    await this.button(enGB.ready.start).click();
    await this.heading(enGB.during.title).waitFor();
  }

  async startRecording() {
    await this.button(enGB.during.startRecording).click();
    await this.page.getByText(enGB.during.recordingOn).waitFor();
  }

  /** The chair's part of the screen for changes: joins, leaves, returns, corrections, withdrawal, closing. */
  changesPanel(): Locator {
    return this.page.getByRole('region', { name: enGB.sidebar.chairControls });
  }

  /** An opened chair action (a disclosure), by its label. */
  private panel(label: string): Locator {
    return this.page.getByRole('region', { name: label, exact: true });
  }

  /** Opens the chair's action, or finds it already open. */
  private async open(label: string): Promise<Locator> {
    const panel = this.panel(label);
    if ((await panel.count()) === 0) await this.button(label).click();
    await panel.waitFor();
    return panel;
  }

  /** Chooses an attendee in a list of names, by the visible name. */
  private async choosePerson(panel: Locator, label: string, name: string) {
    await panel.getByLabel(label, { exact: true }).selectOption({ label: name });
  }

  /** Someone joins once the meeting is under way (or a review has begun). */
  async someoneJoined(a: AttendeeInput) {
    const panel = await this.open(enGB.during.joined);
    await panel.getByLabel(enGB.attendees.name, { exact: true }).fill(a.name);
    await panel
      .getByLabel(enGB.attendees.role, { exact: true })
      .selectOption({ label: enGB.attendees.roles[a.role] });
    if (a.agency) await panel.getByLabel(`${enGB.attendees.agency} (${enGB.common.optional})`).fill(a.agency);
    await panel.getByRole('button', { name: enGB.attendees.joinSubmit, exact: true }).click();
    await panel.waitFor({ state: 'detached' });
  }

  async someoneLeft(name: string) {
    const panel = await this.open(enGB.during.left);
    await this.choosePerson(panel, enGB.attendees.leftWho, name);
    await panel.getByRole('button', { name: enGB.attendees.leftSubmit, exact: true }).click();
    await panel.waitFor({ state: 'detached' });
  }

  async someoneReturned(name: string) {
    const panel = await this.open(enGB.changes.returned);
    await this.choosePerson(panel, enGB.changes.returnedWho, name);
    await panel.getByRole('button', { name: enGB.changes.returnedSubmit, exact: true }).click();
    await panel.waitFor({ state: 'detached' });
  }

  async correctName(oldName: string, newName: string) {
    const panel = await this.open(enGB.changes.correct);
    await this.choosePerson(panel, enGB.changes.correctWho, oldName);
    await panel.getByLabel(enGB.attendees.name, { exact: true }).fill(newName);
    await panel.getByRole('button', { name: enGB.changes.correctSubmit, exact: true }).click();
    await panel.waitFor({ state: 'detached' });
  }

  /** A chair's action that needs a reason: opens it, writes the reason, sends it. */
  private async withReason(label: string, reasonLabel: string, submitLabel: string, reason: string) {
    const panel = await this.open(label);
    await panel.getByLabel(reasonLabel, { exact: true }).fill(reason);
    await panel.getByRole('button', { name: submitLabel, exact: true }).click();
    await panel.waitFor({ state: 'detached' });
  }

  async withdraw(reason: string) {
    await this.withReason(
      enGB.during.withdraw,
      enGB.during.withdrawReason,
      enGB.during.withdrawSubmit,
      reason,
    );
  }

  async askEveryoneAgain(reason: string) {
    await this.withReason(enGB.ready.askAgain, enGB.ready.askAgainReason, enGB.ready.askAgainSubmit, reason);
  }

  /** Opens "Close the meeting": the draft minute entry and the PIN. */
  async openClosing(): Promise<Locator> {
    return this.open(enGB.closing.button);
  }

  /** The draft minute entry the chair reads before confirming it. */
  draftMinute(): Locator {
    return this.page.getByRole('article', { name: enGB.closing.draftTitle });
  }

  /** Enters the PIN and presses "Confirm the minute entry and close the meeting". */
  async confirmMinute(pin = PIN) {
    const panel = await this.openClosing();
    await panel.getByLabel(enGB.closing.pin, { exact: true }).fill(pin);
    await panel.getByRole('button', { name: enGB.closing.confirm, exact: true }).click();
  }

  /** The chair reads the draft minute entry, confirms it with the PIN, and the meeting closes. */
  async closeMeeting(pin = PIN) {
    await this.openClosing();
    await this.draftMinute()
      .getByText(/Record check/)
      .waitFor();
    await this.confirmMinute(pin);
    await this.heading(enGB.minutes.title).waitFor();
  }

  async minuteText(): Promise<string> {
    const minutes = this.page.getByRole('article', { name: enGB.minutes.title });
    await minutes.getByText(/Record check/).waitFor();
    return (await minutes.textContent()) ?? '';
  }

  // ---------------------------------------------------------------- sync status

  /** The meeting header's line about whether this meeting has reached the council's records. */
  syncBadge(): Locator {
    return this.page.getByTestId('sync-badge');
  }

  /** Settings' list of meetings the records service did not accept. */
  heldMeetings(): Locator {
    return this.page.getByRole('region', { name: enGB.sync.held.title });
  }

  /** The chair's "Try again" for one meeting the records service did not accept. */
  tryAgainToSend(title: string): Locator {
    return this.button(fill(enGB.sync.held.tryAgainFor, { title }));
  }

  /** The browser's Back (or the tablet's back gesture). */
  async back() {
    await this.page.goBack({ waitUntil: 'commit' });
  }

  /** Two Backs in one go (a quick double tap of the back gesture), before the page can answer the first. */
  async backTwiceQuickly() {
    await this.page.evaluate(() => window.history.go(-2));
  }

  /** Reloads the app (the tablet's browser restarted or the page refreshed), keeping its IndexedDB. */
  async reload() {
    await this.page.reload();
  }

  async openSettings() {
    await this.button(enGB.settings.open).click();
    await this.heading(enGB.sync.title).waitFor();
  }

  /** Enrols the tablet in Settings with an administrator's one-time code (the address is the app's own). */
  async enrol(code: string) {
    await this.page.getByLabel(enGB.sync.code, { exact: true }).fill(code);
    await this.button(enGB.sync.enrol).click();
    await this.page.getByText(enGB.sync.enrolledOk).waitFor();
  }
}
