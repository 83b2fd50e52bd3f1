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
import { UndertakingScreen } from '../../src/meeting/AttendeeScreens';
import { MeetingSession } from '../../src/meeting/session';
import '../../src/shared/i18n';
import { isAttendeeLanguageLoaded } from '../../src/shared/i18n/attendee';
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

beforeEach(() => {
  // jsdom has no canvas: the pad draws nothing, and the signature comes in as the draft.
  vi.spyOn(HTMLCanvasElement.prototype, 'getContext').mockReturnValue(null);
});
afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('the undertaking is signed in the signer’s own language', () => {
  it('a Polish signer whose Polish screens have not loaded yet is shown the Polish translation, and signs it', async () => {
    const polish = undertakingTranslationOf(PROFILES.hertfordshire, 'pl');
    if (!polish) throw new Error('the Hertfordshire undertaking has a Polish translation');
    // The condition of the old fault: the Polish words of the screens are not there yet.
    expect(isAttendeeLanguageLoaded('pl')).toBe(false);

    const { store, written } = recordingStore(aboutToSign());
    const session = new MeetingSession(store, 'm', aboutToSign());
    render(<UndertakingScreen session={session} onChair={() => {}} draft={s.SIGNATURE} />);

    // The words to sign are the Polish translation, marked as Polish for a screen reader and for speech.
    const firstLine = polish.plain.split('\n').find((line) => line.trim()) ?? '';
    const shown = screen.getAllByText((_, el) => el?.tagName === 'P' && el.textContent === firstLine);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown[0]?.closest('[lang]')?.getAttribute('lang')).toBe('pl');

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
