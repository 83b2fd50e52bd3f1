/**
 * Second adversarial review of the record, after advance requests without the requester, the chair's
 * confirmation before closing, required purposes, receivedAt checks, answers kept in their round,
 * corrections and discarding, and direction overrides. Sequences the meeting accepts are checked
 * against the guidance (HCS, SSLSCB), the product's decisions (DOMAIN.md) and the minute style. Each
 * test is named after what it protects and asserts the true behaviour; where the domain may fix a
 * problem either by refusing an event or by recording it truthfully, the test accepts either.
 */
import { describe, expect, it } from 'vitest';
import { allowedKinds, type MeetingSnapshot, phaseOf } from '../../src/domain/engine';
import type { DomainEvent } from '../../src/domain/events';
import { minuteEntry, renderMinuteText } from '../../src/domain/minutes';
import type { Attendee } from '../../src/domain/model';
import { replay } from '../../src/domain/replay';
import * as s from '../support/scenario';
import { rejectionOf, stepped } from '../support/steps';

const { people } = s;

// ---------------------------------------------------------------- helpers

type Attempt =
  | { ok: false; index: number; message: string }
  | { ok: true; snapshot: MeetingSnapshot; text: string; entry: ReturnType<typeof minuteEntry> };

async function attempt(events: readonly DomainEvent[]): Promise<Attempt> {
  const log = await s.sealAll(events);
  const result = await replay(log);
  if (!result.ok) return { ok: false, index: result.error.index, message: result.error.message };
  const entry = minuteEntry(log);
  return { ok: true, snapshot: result.snapshot, text: renderMinuteText(entry), entry };
}

async function recorded(events: readonly DomainEvent[]) {
  const result = await attempt(events);
  if (!result.ok) throw new Error(`replay refused event ${result.index}: ${result.message}`);
  expect(result.entry.isComplete).toBe(true);
  return result;
}

const expected = (attendee: Attendee): DomainEvent => ({
  type: 'attendee.added',
  payload: { attendee, isAbsent: true },
});

/** Lines of the minute that mention this text. */
const linesWith = (text: string, needle: string): string[] =>
  text.split('\n').filter((l) => l.includes(needle));

/** The father asks in advance (received Friday 20 November), and is not here when it is decided. */
const advanceDecided = (extra: readonly DomainEvent[] = []): DomainEvent[] => [
  s.timed('2026-11-20T11:00:00+00:00', s.opened()),
  s.added(people.chair),
  expected(people.father),
  s.added(people.socialWorker),
  ...extra,
  s.requested('father', 'in-advance', '2026-11-20T10:30:00+00:00'),
  s.eligible(),
  ...s.agrees('chair'),
  ...s.agrees('sw'),
  ...s.screened(),
];

// ---------------------------------------------------------------- findings

describe('Advance requests decided without the requester (HCS 2.5, 1.3)', () => {
  it('HCS 1.3 / DOMAIN decisions (withdrawal "whenever permission stands"): once the requester declines to sign on the day, no permission stands to be withdrawn', async () => {
    const declinedOnTheDay = stepped([
      ...advanceDecided(),
      s.timed('2026-11-23T09:55:00+00:00', s.returned('father')),
      s.declinedToSign('father'),
    ]);
    // The request has ended (HCS 1.3: no signature, no recording): nothing to withdraw, and the meeting
    // does not show a permission that stands while other arrangements are being offered.
    expect(allowedKinds(declinedOnTheDay).has('recording.withdrawn')).toBe(false);
    expect(rejectionOf(declinedOnTheDay, s.withdrawn('Changed my mind.'))?.code).toBe('cannot-withdraw');
    expect(declinedOnTheDay.context.outcome?.status).not.toBe('permitted');

    // And the minute never says the chair withdrew a permission after the request had ended.
    const result = await attempt([
      ...advanceDecided(),
      s.timed('2026-11-23T09:55:00+00:00', s.returned('father')),
      s.declinedToSign('father'),
      s.withdrawn('The parent would not sign.'),
      s.alternativesOffered(),
    ]);
    if (result.ok) expect(result.text).not.toMatch(/The chair withdrew permission to record/);
  });

  it('HCS 2.11 / MINUTE-STYLE: someone expected who arrives after an advance decision, before the discussion, is not said to have stopped a meeting that had not begun', async () => {
    const { text } = await recorded([
      s.timed('2026-11-20T11:00:00+00:00', s.opened()),
      s.added(people.chair),
      expected(people.father),
      s.added(people.socialWorker),
      expected(people.police),
      s.requested('father', 'in-advance', '2026-11-20T10:30:00+00:00'),
      s.eligible(),
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...s.screened(),
      s.timed('2026-11-23T09:50:00+00:00', s.returned('police')),
      ...s.agrees('police'),
      s.returned('father'),
      s.signed('father'),
      s.started,
    ]);
    const arrival = linesWith(text, 'DC Anna Webb (police) arrived');
    expect(arrival).toHaveLength(1);
    // The discussion began at 09:57: at 09:50 nothing had been stopped.
    expect(arrival[0]).not.toMatch(/meeting was stopped/);
  });

  it('MINUTE-STYLE (the date wherever it is not the meeting’s): an attendee’s move on the day of the advance decision is dated in the attendee list', async () => {
    const { text } = await recorded([
      s.timed('2026-11-20T11:00:00+00:00', s.opened()),
      s.added(people.chair),
      expected(people.father),
      s.added(people.socialWorker),
      s.added(people.police),
      s.requested('father', 'in-advance', '2026-11-20T10:30:00+00:00'),
      s.eligible(),
      s.left('police'),
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...s.screened(),
      s.timed('2026-11-23T09:50:00+00:00', s.returned('police')),
      ...s.agrees('police'),
    ]);
    const entry = text.split('\n').find((l) => l.startsWith('- DC Anna Webb')) ?? '';
    // She left on Friday 20 November at 11:03, not at 11:03 on the day of the meeting (Monday 23).
    expect(entry).toContain('left at');
    expect(entry).toMatch(/20 November/);
  });

  it('HCS 2.5 / 1.3: a requester decided in advance who arrives after the discussion began can sign the undertaking without everyone being asked again', () => {
    const late = stepped([
      ...advanceDecided(),
      s.timed('2026-11-23T10:00:00+00:00', s.started),
      s.returned('father'),
    ]);
    // The decision stands (HCS 2.5); only the signature is missing (HCS 1.3). Asking everyone again
    // (review.requested) would record a new round the guidance does not call for.
    expect(late.context.outcome?.status).toBe('permitted');
    expect(allowedKinds(late).has('undertaking.signed')).toBe(true);
    const signedLate = stepped([s.signed('father'), s.recordingStarted], late);
    expect(signedLate.context.recording).toBe('on');
  });

  it('HCS 2.10 / MINUTE-STYLE (name people as the attendee list does): someone expected who never arrived is not listed as having attended', async () => {
    const { text } = await recorded([
      ...advanceDecided([expected(people.police)]),
      s.timed('2026-11-23T09:55:00+00:00', s.returned('father')),
      s.signed('father'),
      s.started,
      s.recordingStarted,
      ...s.confirmedAndClosed,
    ]);
    const attendees = text.slice(
      text.indexOf('Attendees:'),
      text.indexOf('Request to record and its outcome:'),
    );
    const police = attendees.split('\n').find((l) => l.startsWith('- DC Anna Webb'));
    // DC Anna Webb was expected but never came: the list a court reads must not show her as an attendee
    // like any other (either she is not listed, or the list says she did not attend).
    if (police !== undefined)
      expect(police).toMatch(/did not attend|not present|absent|never arrived|expected/i);
  });

  it('HCS 2.5: a request received five days before the meeting is not recorded as a request made on the day', async () => {
    const result = await attempt([
      s.opened(),
      s.added(people.chair),
      s.added(people.mother),
      s.added(people.socialWorker),
      {
        type: 'request.made',
        payload: {
          request: {
            requesterId: 'mother',
            reasons: ['memory'],
            purpose: 'To listen again.',
            timing: 'on-the-day',
            receivedVia: 'email',
            receivedAt: '2026-11-18T09:00:00+00:00',
          },
        },
      },
    ]);
    // Either refused, or the minute says when it was received (so the HCS 2.5 notice can be judged).
    if (result.ok) expect(result.text).toMatch(/18 November/);
  });
});

describe('One fact per line: no invisible line breaks (MINUTE-STYLE; decisions: text read as typed)', () => {
  const FORGED = '10:45  Recording was permitted: everyone present agreed. [HCS 2.7]';

  it('MINUTE-STYLE one fact per line: a name with a Unicode line separator cannot start a line of the minute', async () => {
    const result = await attempt([
      s.opened(),
      s.added(people.chair),
      s.added(people.mother),
      s.added({ ...people.socialWorker, name: `Tom Reid\u2028${FORGED}` }),
      ...s.confirmedAndClosed,
    ]);
    // U+2028 is a mandatory line break (UAX #14) wherever the minute is shown or pasted.
    if (result.ok) expect(result.text).not.toMatch(/[\u2028\u2029]/);
  });

  it('MINUTE-STYLE one fact per line: a decline reason with a paragraph separator cannot start a line of the minute', async () => {
    const result = await attempt([
      s.opened(),
      s.added(people.chair),
      s.added(people.mother),
      s.added(people.socialWorker),
      s.requested('mother'),
      s.eligible(),
      s.signed('mother'),
      s.asked('sw'),
      {
        type: 'consent.declined',
        payload: { attendeeId: 'sw', reason: `Operational.\u2029${FORGED}` },
      },
    ]);
    if (result.ok) expect(result.text).not.toMatch(/[\u2028\u2029]/);
  });
});

describe('An answer stays in the round it was given in (DOMAIN decisions; HCS 2.11)', () => {
  it('decisions: a newcomer who did not agree in the review their arrival started keeps that answer when they step out and back in', async () => {
    const events: DomainEvent[] = [
      s.opened(),
      s.added(people.chair),
      s.added(people.mother),
      s.added(people.socialWorker),
      s.requested('mother'),
      s.eligible(),
      s.signed('mother'),
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...s.screened(),
      s.started,
      s.recordingStarted,
      s.joined(people.police),
      ...s.declines('police', 'Live investigation.'),
      s.left('police'),
      s.returned('police'),
    ];
    const snapshot = stepped(events);
    // Her "no" was given in this review's round; stepping out and back in does not erase it. A change of
    // mind is heard by the chair asking everyone again (review.requested), and the minute says so.
    expect(snapshot.context.answers.police).toBe('declined');
    expect(rejectionOf(snapshot, s.asked('police'))).not.toBeNull();
  });
});

// ---------------------------------------------------------------- guards (expected to pass)

describe('Guards: advance requests (HCS 2.5, 1.3)', () => {
  it('HCS 2.6: someone expected but not yet here is not asked and cannot answer', () => {
    const snapshot = stepped([
      s.opened(),
      s.added(people.chair),
      expected(people.father),
      s.added(people.socialWorker),
      expected(people.police),
      s.requested('father', 'in-advance', '2026-11-20T10:30:00+00:00'),
      s.eligible(),
    ]);
    expect(rejectionOf(snapshot, s.asked('police'))?.code).toBe('attendee-not-present');
    expect(snapshot.context.answers.police).toBeUndefined();
  });

  it('HCS 2.11: someone expected who arrives after the advance decision is asked before anything is recorded', () => {
    const snapshot = stepped([...advanceDecided([expected(people.police)]), s.returned('police')]);
    expect(phaseOf(snapshot)).toBe('review.round');
    expect(snapshot.context.outcome).toBeNull();
  });

  it('HCS 1.3 "both": a second requester who never signed keeps recording off, even when the first has signed', () => {
    const snapshot = stepped([
      s.opened(),
      s.added(people.chair),
      expected(people.father),
      expected(people.youngPerson),
      s.added(people.socialWorker),
      {
        type: 'request.made',
        payload: {
          request: {
            requesterId: 'father',
            additionalRequesterIds: ['yp'],
            reasons: ['memory'],
            purpose: 'To listen again.',
            timing: 'in-advance',
            receivedVia: 'email',
            receivedAt: '2026-11-20T10:30:00+00:00',
          },
        },
      },
      { type: 'eligibility.confirmed', payload: { basis: 'parent-with-pr', requesterId: 'father' } },
      { type: 'eligibility.confirmed', payload: { basis: 'subject-child', requesterId: 'yp' } },
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...s.screened(),
      s.returned('father'),
      s.signed('father'),
      s.started,
    ]);
    expect(rejectionOf(snapshot, s.recordingStarted)?.code).toBe('undertaking-not-signed');
  });

  it('HCS 1.3: a requester still away cannot sign, and nothing is recorded without them', () => {
    const decided = stepped(advanceDecided());
    expect(rejectionOf(decided, s.signed('father'))?.code).toBe('requester-not-present');
    const snapshot = stepped([s.started], decided);
    expect(rejectionOf(snapshot, s.recordingStarted)?.code).toMatch(
      /undertaking-not-signed|requester-not-present/,
    );
  });

  it('HCS 2.5: the decision cannot be confirmed to the parent before there is one', () => {
    const snapshot = stepped([
      s.opened(),
      s.added(people.chair),
      expected(people.father),
      s.added(people.socialWorker),
      s.requested('father', 'in-advance', '2026-11-20T10:30:00+00:00'),
      s.eligible(),
    ]);
    const confirmation: DomainEvent = {
      type: 'request.outcome-confirmed',
      payload: { via: 'email', note: 'Permitted.' },
    };
    expect(rejectionOf(snapshot, confirmation)).not.toBeNull();
  });
});

describe('Guards: the chair confirms, corrections, answers in their round (DOMAIN decisions)', () => {
  const base: DomainEvent[] = [
    s.opened(),
    s.added(people.chair),
    s.added(people.mother),
    s.added(people.socialWorker),
    s.requested('mother'),
    s.eligible(),
    s.signed('mother'),
  ];

  it('decisions: a confirmation does not survive a correction of a name', async () => {
    const { entry, text } = await recorded([
      ...base,
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...s.screened(),
      s.started,
      s.confirmed(),
      s.corrected('sw', { name: 'Tom Reed' }),
    ]);
    expect(entry.confirmation).toBeNull();
    expect(text).toContain('Not yet confirmed by the chair.');
  });

  it('HCS 2.10 / 3.2: the meeting cannot be closed in the middle of a round', () => {
    const snapshot = stepped([...base, ...s.agrees('chair')]);
    expect(rejectionOf(snapshot, s.confirmed())).not.toBeNull();
    expect(rejectionOf(snapshot, s.closed)).not.toBeNull();
  });

  it('decisions: an answer cannot be overwritten in its round by asking the same person again', () => {
    const snapshot = stepped([...base, ...s.declines('sw', 'Operational.')]);
    expect(rejectionOf(snapshot, s.asked('sw'))?.code).toBe('already-answered');
  });

  it('decisions: a request needs its purpose, and cannot be received after it was recorded', async () => {
    const noPurpose = stepped([s.opened(), s.added(people.chair), s.added(people.mother)]);
    expect(
      rejectionOf(noPurpose, {
        type: 'request.made',
        payload: {
          request: {
            requesterId: 'mother',
            reasons: [],
            purpose: '  ',
            timing: 'on-the-day',
            receivedVia: 'in-person',
            receivedAt: '2026-11-23T09:55:00+00:00',
          },
        },
      })?.code,
    ).toBe('purpose-required');
    const late = await attempt([
      s.opened(),
      s.added(people.chair),
      s.added(people.mother),
      s.requested('mother', 'on-the-day', '2026-11-23T11:00:00+00:00'),
    ]);
    expect(late.ok).toBe(false);
  });
});
