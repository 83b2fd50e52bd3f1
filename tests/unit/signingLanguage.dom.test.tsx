// @vitest-environment jsdom
/**
 * The signer's screen shows, and signs, the undertaking in the signer's own language (issue 18): the rules
 * accept a signature only with the translation of the language the signer chose, so the screen takes that
 * translation from the meeting (who is signing, in which language), never from whichever words it has
 * loaded. Before, a Polish signer whose Polish screens had not loaded yet (a slow tablet, a missing chunk)
 * was shown the English alone, and the signature was refused with `not-their-language`.
 */
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { step } from '../../src/domain/engine';
import type { DomainEvent } from '../../src/domain/events';
import { PROFILES, undertakingTranslationOf } from '../../src/domain/profiles';
import type { Rejection } from '../../src/domain/rules';
import { UndertakingScreen } from '../../src/meeting/AttendeeScreens';
import { MeetingSession } from '../../src/meeting/session';
import { i18n } from '../../src/shared/i18n';
import { isAttendeeLanguageLoaded, loadAttendeeLanguage } from '../../src/shared/i18n/attendee';
import { enGBAttendee } from '../../src/shared/i18n/attendee/en-GB';
import { plAttendee } from '../../src/shared/i18n/attendee/pl';
import { enGB } from '../../src/shared/i18n/en-GB';
import type { AppendResult, MeetingStore } from '../../src/storage/meetingStore';
import * as s from '../support/scenario';
import { opening, stepped } from '../support/steps';

const { people } = s;

/** Sarah chose Polish at set-up; she asked, is eligible and has answered the check: she is about to sign. */
const aboutToSign = () =>
  stepped([
    ...opening([people.chair, { ...people.mother, language: 'pl' }, people.socialWorker]),
    s.requested('mother'),
    s.eligible(),
    ...s.understood('mother'),
  ]);

/** A store that keeps what it is asked to write and steps the meeting as the tablet's store does. */
function recordingStore(from: ReturnType<typeof aboutToSign>) {
  const written: Array<{ event: DomainEvent; result: AppendResult }> = [];
  let snapshot = from;
  const store = {
    append: async (_meetingId: string, event: DomainEvent): Promise<AppendResult> => {
      const stepped = step(snapshot, event);
      const result: AppendResult = stepped.ok
        ? { ok: true, snapshot: stepped.snapshot, envelope: {} as never }
        : { ok: false, rejection: stepped.rejection };
      if (stepped.ok) snapshot = stepped.snapshot;
      written.push({ event, result });
      return result;
    },
  } as unknown as MeetingStore;
  return { store, written };
}

/**
 * As on a tablet whose Polish screens have not loaded (a slow tablet, a chunk missing): the Polish words are
 * not there, and asking for them again brings nothing (the first load is remembered).
 */
async function withoutPolishWords() {
  await loadAttendeeLanguage('pl');
  i18n.removeResourceBundle('pl', 'translation');
  expect(isAttendeeLanguageLoaded('pl')).toBe(false);
}

/** The Polish words there, as on a tablet that has loaded them. */
function withPolishWords() {
  i18n.addResourceBundle('pl', 'translation', plAttendee, true, true);
}

beforeEach(() => {
  // jsdom has no canvas: the pad draws nothing, and the signature comes in as the draft.
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('the undertaking is signed in the signer’s own language', () => {
  it('the questions of the check are asked in the signer’s language even before the Polish screens have loaded (the minute says they were)', async () => {
    const polish = undertakingTranslationOf(PROFILES.hertfordshire, 'pl');
    const first = polish?.questions[0];
    if (!first) throw new Error('the Polish undertaking has questions');
    await withoutPolishWords();
    const beforeCheck = stepped([
      ...opening([people.chair, { ...people.mother, language: 'pl' }, people.socialWorker]),
      s.requested('mother'),
      s.eligible(),
    ]);
    const { store } = recordingStore(beforeCheck);
    render(<UndertakingScreen session={new MeetingSession(store, 'm', beforeCheck)} onChair={() => {}} />);
    expect(screen.getByText(first.question, { exact: false }).textContent).toContain(first.question);
  });

  it('a Polish signer whose Polish screens have not loaded yet is shown the Polish translation, and signs it', async () => {
    const polish = undertakingTranslationOf(PROFILES.hertfordshire, 'pl');
    if (!polish) throw new Error('the Hertfordshire undertaking has a Polish translation');
    // The condition of the old fault: the Polish words of the screens are not there yet.
    await withoutPolishWords();

    const { store, written } = recordingStore(aboutToSign());
    const session = new MeetingSession(store, 'm', aboutToSign());
    render(<UndertakingScreen session={session} onChair={() => {}} draft={s.SIGNATURE} />);

    // The words to sign are the Polish translation, marked as Polish for a screen reader and for speech.
    const firstLine = polish.plain.split('\n').find((line) => line.trim()) ?? '';
    const shown = screen.getAllByText((_, el) => el?.tagName === 'P' && el.textContent === firstLine);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown[0]?.closest('[lang]')?.getAttribute('lang')).toBe('pl');

    // The language list says Polish is chosen (it said English, the words loaded, and Polish could not be
    // chosen again to show it).
    const list = screen.getByRole('combobox', { name: enGBAttendee.attendeeScreen.language });
    expect((list as HTMLSelectElement).value).toBe('pl');

    // Signed at once, while the Polish screens may still be loading.
    fireEvent.click(screen.getByRole('button', { name: new RegExp(enGB.undertaking.sign) }));
    await vi.waitFor(() => expect(written).toHaveLength(1));
    const [first] = written;
    expect(first?.event).toMatchObject({
      type: 'undertaking.signed',
      payload: { signerId: 'mother', translation: { language: 'pl', textSha256: polish.sha256 } },
    });
    expect(first?.result).toMatchObject({ ok: true });
  });

  it('a signer whose language has no translation of this undertaking signs the English, marked as English', async () => {
    // Staffordshire's undertaking has no translations: a Polish signer is shown, and signs, the English.
    const events = [
      ...opening(
        [people.chair, { ...people.mother, language: 'pl' }, people.socialWorker],
        'meeting',
        'staffordshire-stoke',
      ),
      // Under the notice model there is no eligibility step.
      s.requested('mother'),
      ...s.understood('mother', 'staffordshire-stoke'),
    ];
    const before = stepped(events);
    const { store, written } = recordingStore(before);
    const session = new MeetingSession(store, 'm', before);
    render(<UndertakingScreen session={session} onChair={() => {}} draft={s.SIGNATURE} />);

    const english = PROFILES['staffordshire-stoke'].undertaking.versions.plain;
    const firstLine = english.split('\n').find((line) => line.trim()) ?? '';
    const shown = screen.getAllByText((_, el) => el?.tagName === 'P' && el.textContent === firstLine);
    expect(shown[0]?.closest('[lang]')?.getAttribute('lang')).toBe('en-GB');

    fireEvent.click(screen.getByRole('button', { name: new RegExp(enGB.undertaking.sign) }));
    await vi.waitFor(() => expect(written).toHaveLength(1));
    expect(written[0]?.event).toMatchObject({ type: 'undertaking.signed' });
    expect(written[0]?.event.payload).not.toHaveProperty('translation');
    expect(written[0]?.result).toMatchObject({ ok: true });
  });
});

describe('a refusal on the signer’s screen is said in the signer’s language', () => {
  /** A store that refuses every write with this refusal. */
  const refusing = (code: string, message: string) =>
    ({
      append: async (): Promise<AppendResult> => ({
        ok: false,
        rejection: { code, message } as Rejection,
      }),
    }) as unknown as MeetingStore;

  it('one the chair must deal with: in Polish, hand the tablet back, with the chair’s reason beside it in English', async () => {
    withPolishWords();
    const session = new MeetingSession(refusing('not-allowed-now', 'x'), 'm', aboutToSign());
    render(<UndertakingScreen session={session} onChair={() => {}} draft={s.SIGNATURE} />);
    fireEvent.click(screen.getByRole('button', { name: new RegExp(plAttendee.undertaking.sign) }));
    const alert = await screen.findByText(plAttendee.problem.other, { exact: false });
    expect(alert.getAttribute('role')).toBe('alert');
    const english = alert.querySelector('[lang="en-GB"]');
    expect(english?.textContent).toContain(enGB.reject['not-allowed-now']);
  });

  it('one the signer can put right: said in Polish alone, with the English beside while the translation is not approved', async () => {
    withPolishWords();
    const session = new MeetingSession(refusing('understanding-not-checked', 'x'), 'm', aboutToSign());
    render(<UndertakingScreen session={session} onChair={() => {}} draft={s.SIGNATURE} />);
    fireEvent.click(screen.getByRole('button', { name: new RegExp(plAttendee.undertaking.sign) }));
    const alert = await screen.findByText(plAttendee.problem['understanding-not-checked'], { exact: false });
    expect(alert.querySelector('[lang="en-GB"]')?.textContent).toBe(
      enGBAttendee.problem['understanding-not-checked'],
    );
  });
});
