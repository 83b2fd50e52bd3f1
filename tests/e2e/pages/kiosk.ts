/**
 * Page model of the kiosk: what a chair and the attendees do, by role and accessible name, as a person
 * would. Names come from the British English resource file, so a wording change is made in one place.
 */
import type { Locator, Page } from 'playwright-core';
import { enGB } from '../../../src/ui/i18n/en-GB';

const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? '');

export const PIN = '2468';

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

  /** Draws a signature with a finger-like pointer across the pad. */
  async drawSignature() {
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

  async answerNo(reason = '') {
    await this.button(new RegExp(enGB.answer.no)).click();
    if (reason) await this.page.getByLabel(/Why not\?/).fill(reason);
    await this.button(enGB.answer.send).click();
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

  async askAndAnswer(name: string, answer: 'yes' | { no: string } | { more: string }) {
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
    await this.button(enGB.screening.done).click();
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

  async closeMeeting() {
    await this.button(enGB.closing.button).click();
    await this.button(enGB.closing.confirm).click();
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
