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
  /** The language of their own screens, as the set-up list names it (e.g. "Polish (Polski)"). */
  language?: string;
  /** Issue 18: by phone or by video (in the room when not given). */
  takesPartBy?: 'phone' | 'video';
}

/**
 * What the people at the table did on the tablet: taps (a select is two: open, choose; a field not already
 * focused costs a tap to focus it) and characters typed. A control already showing the wanted value costs
 * nothing, as a person would leave it.
 */
export interface Effort {
  taps: number;
  characters: number;
}

export class KioskPage {
  readonly effort: Effort = { taps: 0, characters: 0 };

  constructor(readonly page: Page) {}

  /** Starts counting afresh; returns the count so far. */
  resetEffort(): Effort {
    const so = { ...this.effort };
    this.effort.taps = 0;
    this.effort.characters = 0;
    return so;
  }

  /** A tap on a control, counted. */
  async tap(locator: Locator) {
    await locator.click();
    this.effort.taps += 1;
  }

  /** Types into a field (replacing what it held), counting the characters and the tap to focus it. */
  async type(locator: Locator, text: string) {
    if ((await locator.inputValue()) === text) return;
    const isFocused = await locator.evaluate((el) => el === document.activeElement);
    if (!isFocused) this.effort.taps += 1;
    await locator.fill(text);
    this.effort.characters += text.length;
  }

  /** Chooses an option of a list by its visible label (two taps), unless it is already chosen. */
  async choose(locator: Locator, label: string) {
    const chosen = await locator.evaluate((el) => {
      const select = el as HTMLSelectElement;
      return select.selectedOptions[0]?.textContent ?? '';
    });
    if (chosen === label) return;
    await locator.selectOption({ label });
    this.effort.taps += 2;
  }

  /** Ticks a box (one tap), unless it is already ticked. */
  async tick(locator: Locator) {
    if (await locator.isChecked()) return;
    await locator.check();
    this.effort.taps += 1;
  }

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
    await this.type(this.page.getByLabel(enGB.pin.pinLabel), pin);
    await this.tap(this.button(enGB.pin.unlock));
  }

  /** Sets up a meeting; without a title, the one the screen proposes (the kind and the children's names). */
  async setUpMeeting(options: {
    title?: string;
    kind?: keyof typeof enGB.setup.kinds;
    profile?: keyof typeof enGB.setup.profiles;
    children: string[];
    place?: string;
  }) {
    await this.tap(this.button(enGB.home.newMeeting));
    await this.choose(this.page.getByLabel(enGB.setup.kind), enGB.setup.kinds[options.kind ?? 'meeting']);
    await this.choose(
      this.page.getByLabel(enGB.setup.profile),
      enGB.setup.profiles[options.profile ?? 'hertfordshire'],
    );
    if (options.title)
      await this.type(
        this.page.getByLabel(`${enGB.setup.meetingTitle} (${enGB.common.optional})`),
        options.title,
      );
    await this.type(
      this.page.getByLabel(`${enGB.setup.place} (${enGB.common.optional})`),
      options.place ?? 'Room 2, Civic Centre',
    );
    for (const [i, child] of options.children.entries()) {
      if (i > 0) await this.tap(this.button(enGB.setup.addChild));
      const label = options.children.length > 1 ? `${enGB.setup.childName} ${i + 1}` : enGB.setup.childName;
      await this.type(this.page.getByLabel(label, { exact: true }), child);
    }
    await this.tap(this.button(enGB.setup.create));
    await this.heading(enGB.attendees.title).waitFor();
  }

  private async fillAttendee(a: AttendeeInput) {
    await this.type(this.page.getByLabel(enGB.attendees.name, { exact: true }), a.name);
    const role = enGB.attendees.roles[a.role];
    // The tablet offers the roles and agencies used on it before: one tap instead of a list and typing.
    const remembered = this.page.getByRole('group', { name: enGB.attendees.remembered }).getByRole('button', {
      name: a.agency ? fill(enGB.attendees.rememberedChoice, { role, agency: a.agency }) : role,
      exact: true,
    });
    if ((await remembered.count()) > 0) {
      if ((await remembered.getAttribute('aria-pressed')) !== 'true') await this.tap(remembered);
    } else {
      await this.choose(this.page.getByLabel(enGB.attendees.role, { exact: true }), role);
      await this.type(
        this.page.getByLabel(`${enGB.attendees.agency} (${enGB.common.optional})`),
        a.agency ?? '',
      );
    }
    for (const child of a.prFor ?? [])
      await this.tick(this.page.getByLabel(fill(enGB.attendees.pr, { child })));
    if (a.language)
      await this.choose(this.page.getByLabel(enGB.attendees.language, { exact: true }), a.language);
    await this.choose(
      this.page.getByLabel(enGB.relay.takesPartBy, { exact: true }),
      enGB.relay.ways[a.takesPartBy ?? 'in-room'],
    );
  }

  /** Before the meeting: adds someone to the list (the form stays open for the next person). */
  async addAttendee(a: AttendeeInput) {
    if ((await this.page.getByLabel(enGB.attendees.name, { exact: true }).count()) === 0)
      await this.tap(this.button(enGB.attendees.add));
    await this.fillAttendee(a);
    await this.tap(this.button(fill(enGB.attendees.addSubmit, { name: a.name })));
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
    await this.tap(this.button(options.afterStart ? enGB.during.requestNow : enGB.request.title));
    const select = this.page.getByLabel(enGB.request.requester);
    const label = await select.locator('option', { hasText: options.requester }).first().textContent();
    if (label === null) throw new Error(`${options.requester} is not offered as the requester`);
    await this.choose(select, label);
    for (const r of options.reasons ?? ['memory'])
      await this.tick(this.page.getByLabel(enGB.request.reasonLabels[r]));
    if (options.purpose)
      await this.type(
        this.page.getByLabel(`${enGB.request.purpose} (${enGB.common.optional})`),
        options.purpose,
      );
    await this.tap(this.button(options.afterStart ? enGB.request.afterStartSubmit : enGB.request.submit));
  }

  async confirmEligible(name: string) {
    await this.tap(this.button(fill(enGB.eligibility.confirm, { name })));
  }

  async handOverToSign(name: string) {
    await this.tap(this.button(fill(enGB.undertaking.handTo, { name })));
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
    await this.tap(this.button(new RegExp(enGB.undertaking.sign)));
  }

  /** The chair confirms the requester may ask; the requester signs the undertaking; the chair takes the tablet back. */
  async requesterSigns(name: string) {
    await this.confirmEligible(name);
    await this.handOverToSign(name);
    await this.sign();
    await this.chairTakesBack();
  }

  async handTo(name: string) {
    await this.tap(this.button(fill(enGB.round.handTo, { name })));
    await this.heading(/would like to record this (meeting|conversation)\./).waitFor();
  }

  async answerYes() {
    await this.tap(this.button(new RegExp(enGB.answer.yes)));
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

  /** One reason to refuse on the screening page, by its words. */
  ground(groundText: string): Locator {
    return this.page.getByRole('article', { name: groundText, exact: true });
  }

  async finishScreening(notes: Record<string, ['confirm' | 'dismiss', string]> = {}) {
    await this.heading(enGB.screening.title).waitFor();
    for (const [groundText, [verdict, note]] of Object.entries(notes)) {
      const ground = this.ground(groundText);
      const field = ground.getByLabel(enGB.screening.note, { exact: true });
      // The chair's own reasons are folded to one button until the chair answers one of them by itself.
      if ((await field.count()) === 0)
        await this.tap(ground.getByRole('button', { name: enGB.screening.answerOne, exact: true }));
      await this.type(field, note);
      await this.tap(
        ground.getByRole('button', {
          name: verdict === 'confirm' ? enGB.screening.confirm : enGB.screening.dismiss,
        }),
      );
    }
    // With grounds 4 to 6 unanswered the one button records that none of them applies; once each has been
    // answered it only finishes.
    await this.tap(this.button(enGB.screening.noneOfOthers).or(this.button(enGB.screening.done)));
  }

  async offerAlternatives(labels: string[], note = '') {
    await this.heading(enGB.alternatives.title).first().waitFor();
    for (const label of labels) await this.page.getByLabel(label).check();
    if (note) await this.page.getByLabel(enGB.alternatives.note).fill(note);
    await this.button(enGB.alternatives.submit).click();
  }

  async beginDiscussion() {
    await this.tap(this.button(enGB.ready.start));
    await this.heading(enGB.during.title).waitFor();
  }

  async startRecording() {
    await this.tap(this.button(enGB.during.startRecording));
    await this.page.getByText(enGB.during.recordingOn).waitFor();
  }

  /** The chair's header line saying whether recording is on, in words, e.g. "Recording is on." */
  recordingState(): Locator {
    return this.page.getByRole('status', { name: enGB.recording.label, exact: true });
  }

  /** The step heading that has the keyboard focus now (the one a screen reader announces), or null. */
  async focusedHeading(): Promise<string | null> {
    return this.page.evaluate(() => {
      const el = document.activeElement;
      return el && /^H[1-6]$/.test(el.tagName) ? (el.textContent ?? '') : null;
    });
  }

  /** Whether the whole of this element is on screen now, without scrolling. */
  async isInViewport(locator: Locator): Promise<boolean> {
    const box = await locator.boundingBox();
    const size = this.page.viewportSize();
    if (!box || !size) return false;
    return box.y >= 0 && box.x >= 0 && box.y + box.height <= size.height && box.x + box.width <= size.width;
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

  /** Opens one of the chair's actions to look at it, without doing it. */
  async openAction(label: string): Promise<Locator> {
    return this.open(label);
  }

  /** Folds an opened chair's action away again (its Cancel), nothing done. */
  async foldAway(label: string) {
    const panel = this.panel(label);
    await panel.getByRole('button', { name: enGB.common.cancel, exact: true }).click();
    await panel.waitFor({ state: 'detached' });
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

  // ---------------------------------------------------------------- meetings prepared on the records service

  /** Home's list of the meetings the records team prepared for today. */
  meetingsToday(): Locator {
    return this.page.getByRole('region', { name: enGB.prepared.title });
  }

  /** The button that opens a prepared meeting, by its title. */
  openPreparedButton(title: string): Locator {
    return this.meetingsToday().getByRole('button', {
      name: fill(enGB.prepared.open, { title }),
      exact: true,
    });
  }

  /** Opens a prepared meeting from home: its invited attendees come with it, nobody is typed. */
  async openPrepared(title: string) {
    await this.tap(this.openPreparedButton(title));
  }

  /** Marks someone on the meeting's list present as they arrive. */
  async markPresent(name: string, role: keyof typeof enGB.attendees.roles) {
    await this.tap(this.button(fill(enGB.changes.markPresent, { name, role: enGB.attendees.roles[role] })));
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
  async enrol(code: string, name = 'Room 2 tablet') {
    await this.page.getByLabel(enGB.sync.name, { exact: true }).fill(name);
    await this.page.getByLabel(enGB.sync.code, { exact: true }).fill(code);
    await this.button(enGB.sync.enrol).click();
    await this.page.getByText(enGB.sync.enrolledOk).waitFor();
  }

  /** Locks the tablet from the home screen. */
  async lock() {
    await this.button(enGB.pin.lockNow).click();
    await this.heading(enGB.pin.lockedTitle).waitFor();
  }

  /** Types a PIN and presses Unlock (which must be enabled). */
  async tryPin(pin: string) {
    await this.page.getByLabel(enGB.pin.pinLabel).fill(pin);
    await this.button(enGB.pin.unlock).click();
  }

  /** The wait the PIN screen announces (its live region), or '' when there is none. */
  async pinWaitText(): Promise<string> {
    const wait = this.page.getByRole('status').filter({ hasText: /Please wait/ });
    return (await wait.count()) === 0 ? '' : ((await wait.textContent()) ?? '').trim();
  }

  /** "Forgotten your PIN?" on the PIN screen, to the screen that takes the administrator's code. */
  async forgottenPin() {
    await this.button(enGB.pin.forgotten).click();
    await this.heading(enGB.pin.resetTitle).waitFor();
  }

  /** Types the administrator's reset code, as the chair heard it, and has it checked. */
  async enterResetCode(code: string) {
    await this.page.getByLabel(enGB.pin.codeLabel).fill(code);
    await this.button(enGB.pin.checkCode).click();
  }

  /** After a right reset code: chooses the new PIN, and the chair's home screen opens. */
  async chooseNewPin(pin: string) {
    await this.heading(enGB.pin.newPinTitle).waitFor();
    await this.page.getByLabel(enGB.pin.newPin).fill(pin);
    await this.page.getByLabel(enGB.pin.confirmPin).fill(pin);
    await this.button(enGB.pin.saveNewPin).click();
    await this.heading(enGB.home.title).waitFor();
  }
}
