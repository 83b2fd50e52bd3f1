/**
 * Stepping a meeting in tests and reading its minute: shared by the rule tests, the truthful-record tests
 * and the red-team tests, so each says only what it checks.
 */
import { initialSnapshot, type MeetingSnapshot, phaseOf, step } from '../../src/domain/engine';
import type { DomainEvent } from '../../src/domain/events';
import type { Attendee } from '../../src/domain/model';
import type { ProfileId } from '../../src/domain/profiles';
import type { Rejection } from '../../src/domain/rules';
import * as s from './scenario';

const { people } = s;

/** Steps each event in turn, failing with the reason if one is refused. */
export function stepped(
  events: readonly DomainEvent[],
  from: MeetingSnapshot = initialSnapshot(),
): MeetingSnapshot {
  let snapshot = from;
  for (const [i, event] of events.entries()) {
    const result = step(snapshot, event);
    if (!result.ok) {
      throw new Error(
        `event ${i} (${event.type}) refused at ${phaseOf(snapshot)}: ${result.rejection.code} ${result.rejection.message}`,
      );
    }
    snapshot = result.snapshot;
  }
  return snapshot;
}

/** The rejection of an event the meeting must refuse, or null when it (wrongly) accepts it. */
export function rejectionOf(snapshot: MeetingSnapshot, event: DomainEvent): Rejection | null {
  const result = step(snapshot, event);
  return result.ok ? null : result.rejection;
}

/** The lines of "Request to record and its outcome:", without their times, dates and references. */
export function itemLines(text: string): string[] {
  const lines = text.split('\n');
  const from = lines.indexOf('Request to record and its outcome:') + 1;
  const to = lines.findIndex((line, i) => i >= from && line === '');
  return lines
    .slice(from, to)
    .map((line) => line.replace(/^(?:\S+ \d+ \S+ \d{4} )?\d\d:\d\d {2}/, '').replace(/ \[[^\]]+\]$/, ''));
}

/** The closing "Outcome: ..." line of a minute entry's text. */
export const outcomeLineOf = (text: string): string =>
  text.split('\n').find((l) => l.startsWith('Outcome: ')) ?? '';

/** A meeting opened and its attendees added, before any request. */
export const opening = (
  attendees: readonly Attendee[],
  kind: Parameters<typeof s.opened>[0] = 'meeting',
  profileId: ProfileId = 'hertfordshire',
  children?: Parameters<typeof s.opened>[2],
): DomainEvent[] => [s.opened(kind, profileId, children), ...attendees.map(s.added)];

export const TEAM = [people.chair, people.mother, people.socialWorker, people.police] as const;

/** The mother asks on the day, is eligible as a parent with PR, and signs the HCS undertaking. */
export const motherAsksAndSigns: DomainEvent[] = [
  s.requested('mother'),
  s.eligible('parent-with-pr'),
  s.signed('mother'),
];

/** HCS 1.4: the chair finishes screening, answering in one tap that none of the grounds 4-6 applies. */
export const screeningDone: DomainEvent = {
  type: 'screening.completed',
  payload: { otherGroundsNotApplicable: true },
};

/** A HCS meeting where everyone agreed: the recording is permitted, the discussion not yet begun. */
export const allAgreed: DomainEvent[] = [
  ...opening(TEAM),
  ...motherAsksAndSigns,
  ...s.agrees('chair'),
  ...s.agrees('sw'),
  ...s.agrees('police'),
  screeningDone,
];

/** ...and the discussion has begun and is being recorded. */
export const recording: DomainEvent[] = [...allAgreed, s.started, s.recordingStarted];

/** Issue 18: the chair, Sarah Doe asking, Mark Doe (another parent), the interpreter in the room, DC Anna Webb by phone. */
export const relaySetUp: DomainEvent[] = [
  s.opened('meeting'),
  s.added(people.chair),
  s.added(people.mother),
  s.added(people.father),
  s.added(people.interpreter),
  s.addedBy(people.police, 'phone'),
];
/** ...the request made, Sarah eligible and signed: the round is next. */
export const relayToRound: DomainEvent[] = [
  ...relaySetUp,
  s.requested('mother'),
  s.eligible(),
  s.signed('mother'),
];
