/**
 * Issue 19, HCS 2.5 and 2.11: who was told of a request made in advance, how and when, is recorded per
 * invited attendee and minuted; a decision made in advance covers only the invited attendees who were told
 * of it; anyone arriving who was not told is asked, as a newcomer is. Invited attendees not yet here are
 * "expected", never "left", and the minute never says an invited person who never came was there or left.
 */
import { describe, expect, it } from 'vitest';
import { allowedKinds, phaseOf } from '../../src/domain/engine';
import type { DomainEvent } from '../../src/domain/events';
import { minuteEntry, renderMinuteText } from '../../src/domain/minutes';
import type { Attendee } from '../../src/domain/model';
import type { ProfileId } from '../../src/domain/profiles';
import {
  isCoveredByAdvanceDecision,
  isExpected,
  leftAttendees,
  wasToldOfRequest,
} from '../../src/domain/rules';
import * as s from '../support/scenario';
import { rejectionOf, stepped } from '../support/steps';

const { people } = s;

const expected = (attendee: Attendee): DomainEvent => ({
  type: 'attendee.added',
  payload: { attendee, isAbsent: true },
});
const told = (attendeeIds: string[], via: 'email' | 'telephone' = 'email'): DomainEvent => ({
  type: 'request.attendees-notified',
  payload: { via, attendeeIds },
});

/**
 * Prepared in the office the week before: everyone invited and expected, the father's request received in
 * advance, and (SSLSCB, notice model) decided there; `notices` says who was told of it.
 */
const prepared = (notices: DomainEvent[], profile: ProfileId = 'staffordshire-stoke'): DomainEvent[] => [
  s.timed('2026-11-16T09:00:00+00:00', s.opened('meeting', profile)),
  expected(people.chair),
  expected(people.father),
  expected(people.socialWorker),
  expected(people.police),
  s.requested('father', 'in-advance', '2026-11-16T08:30:00+00:00'),
  ...notices,
];

const decidedInAdvance = (notices: DomainEvent[]) => {
  const snapshot = stepped(prepared(notices));
  expect(phaseOf(snapshot)).toBe('ready');
  expect(snapshot.context.outcome).toMatchObject({ status: 'permitted' });
  return snapshot;
};

async function minuteOf(events: DomainEvent[]): Promise<string> {
  return renderMinuteText(minuteEntry(await s.sealAll(events)));
}

describe('HCS 2.5: who was told of a request made in advance, how and when', () => {
  it('each attendee told is recorded by name, with how and when, and the minute names them', async () => {
    const snapshot = stepped(
      prepared([
        s.timed('2026-11-16T10:00:00+00:00', told(['chair', 'sw'])),
        s.timed('2026-11-17T15:00:00+00:00', told(['police'], 'telephone')),
      ]),
    );
    expect(['chair', 'sw', 'police'].every((id) => wasToldOfRequest(snapshot.context, id))).toBe(true);
    expect(wasToldOfRequest(snapshot.context, 'father')).toBe(false);
    const text = await minuteOf(
      prepared([
        s.timed('2026-11-16T10:00:00+00:00', told(['chair', 'sw'])),
        s.timed('2026-11-17T15:00:00+00:00', told(['police'], 'telephone')),
      ]),
    );
    expect(text).toMatch(
      /Monday 16 November 2026 10:00 {2}Advance consent to the recording was sought from Priya Shah \(chair\) and Tom Reid \(social worker\) by email\./,
    );
    expect(text).toMatch(
      /Tuesday 17 November 2026 15:00 {2}Advance consent to the recording was sought from DC Anna Webb \(police\) by telephone\./,
    );
  });

  it('HCS 2.5 (attendees are told): under the Hertfordshire policy the minute says who was told', async () => {
    const text = await minuteOf(prepared([told(['sw'])], 'hertfordshire'));
    expect(text).toContain(
      'Tom Reid (social worker) was told by email that a request to record had been made.',
    );
  });

  it('who was told must be on the list, named once, and not the person asking', () => {
    const before = stepped(prepared([]));
    expect(rejectionOf(before, told(['nobody']))?.code).toBe('unknown-attendee');
    expect(rejectionOf(before, told(['sw', 'sw']))?.code).toBe('duplicate-attendee');
    expect(rejectionOf(before, told(['father']))?.code).toBe('requester-is-not-asked');
  });

  it('a new request starts with nobody told of it', () => {
    const first = stepped([
      ...prepared([told(['chair', 'sw', 'police'])], 'hertfordshire'),
      s.ineligible('Found not to hold parental responsibility after all.'),
      s.alternativesOffered(),
    ]);
    expect(wasToldOfRequest(first.context, 'sw')).toBe(true);
    const again = stepped([s.requested('father', 'in-advance', '2026-11-18T08:30:00+00:00')], first);
    expect(wasToldOfRequest(again.context, 'sw')).toBe(false);
  });
});

describe('HCS 2.5 / 2.11: a decision made in advance covers only the invited attendees who were told', () => {
  it('an invited attendee who was told arrives and is not asked again', async () => {
    const decided = decidedInAdvance([told(['chair', 'sw'])]);
    expect(isCoveredByAdvanceDecision(decided.context, 'sw')).toBe(true);
    const arrived = stepped([s.returned('chair'), s.returned('sw')], decided);
    expect(phaseOf(arrived)).toBe('ready');
    expect(arrived.context.outcome).toMatchObject({ status: 'permitted' });
    const text = await minuteOf([...prepared([told(['chair', 'sw'])]), s.returned('sw')]);
    expect(text).toMatch(
      /Tom Reid \(social worker\) arrived\. They had been told of the request in advance, so the decision made in advance covers them\./,
    );
  });

  it('HCS 2.11: an invited attendee who was not told is asked on arrival, as a newcomer is', async () => {
    const decided = decidedInAdvance([told(['chair', 'sw'])]);
    expect(isCoveredByAdvanceDecision(decided.context, 'police')).toBe(false);
    const arrived = stepped([s.returned('chair'), s.returned('police')], decided);
    expect(phaseOf(arrived)).toBe('review.round');
    expect(allowedKinds(arrived).has('consent.asked')).toBe(true);
    const text = await minuteOf([
      ...prepared([told(['chair', 'sw'])]),
      s.returned('chair'),
      s.returned('police'),
    ]);
    // The minute never says the decision made in advance covers someone who was never told of it.
    expect(text).not.toMatch(/DC Anna Webb[^\n]*covers them/);
    expect(text).toMatch(
      /DC Anna Webb \(police\) arrived before the discussion began\. They had not been told of the request in advance, so permission was sought again so that they could be asked\./,
    );
  });

  it('HCS 2.11: the review for someone not told asks them alone, not those the advance decision covers', () => {
    const decided = decidedInAdvance([told(['chair', 'sw'])]);
    const arrived = stepped(
      [s.returned('chair'), s.returned('sw'), s.returned('police'), ...s.agrees('police')],
      decided,
    );
    expect(phaseOf(arrived)).toBe('ready');
    expect(arrived.context.outcome).toMatchObject({ status: 'permitted' });
    // Asking everyone again (HCS 2.11) asks those it covered too.
    const again = stepped([s.reviewRequested('The chair wants to hear everyone today.')], arrived);
    expect(phaseOf(again)).toBe('review.round');
    expect(rejectionOf(again, s.asked('sw'))).toBeNull();
  });

  it('HCS 2.11: someone told who arrives once the discussion has begun is asked, as a newcomer is', () => {
    const decided = decidedInAdvance([told(['chair', 'sw', 'police'])]);
    const started = stepped([s.returned('chair'), s.started], decided);
    expect(isCoveredByAdvanceDecision(started.context, 'sw')).toBe(false);
    const arrived = stepped([s.returned('sw')], started);
    expect(phaseOf(arrived)).toMatch(/^review/);
  });

  it('a record that names nobody as told (older logs) covers nobody: everyone arriving is asked', () => {
    const decided = decidedInAdvance([{ type: 'request.attendees-notified', payload: { via: 'email' } }]);
    expect(isCoveredByAdvanceDecision(decided.context, 'sw')).toBe(false);
    expect(phaseOf(stepped([s.returned('sw')], decided))).toBe('review.round');
  });
});

describe('invited attendees not yet here are expected, never "left" (issue 19)', () => {
  it('an invited attendee is expected until they arrive, and is not among those who left', () => {
    const decided = decidedInAdvance([told(['chair'])]);
    const police = decided.context.attendees.find((a) => a.id === 'police');
    expect(police && isExpected(police)).toBe(true);
    expect(leftAttendees(decided.context)).toEqual([]);
    // Nobody can record that they left, and the refusal does not say they did.
    expect(rejectionOf(stepped([s.returned('chair')], decided), s.left('police'))?.message).toBe(
      'That attendee has not arrived yet.',
    );
    const arrivedAndLeft = stepped([s.returned('chair'), s.returned('sw'), s.left('sw')], decided);
    expect(leftAttendees(arrivedAndLeft.context).map((a) => a.id)).toEqual(['sw']);
    expect(arrivedAndLeft.context.attendees.find((a) => a.id === 'sw')?.isExpected).toBeUndefined();
  });

  it('the minute never says an invited person who never came was present or left', async () => {
    const text = await minuteOf([
      ...prepared([told(['chair', 'sw'])]),
      s.timed('2026-11-23T09:55:00+00:00', s.returned('chair')),
      s.returned('father'),
      s.returned('sw'),
      s.signed('father', 'staffordshire-stoke'),
      s.started,
      ...s.confirmedAndClosed,
    ]);
    const police = text.split('\n').filter((line) => line.includes('DC Anna Webb'));
    expect(police).toEqual(['- DC Anna Webb, police, Hertfordshire Constabulary (expected, did not attend)']);
  });
});
