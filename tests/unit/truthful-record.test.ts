/**
 * Issue 12, "the record tells the truth": one group of tests per item of "What is wrong today, and what is
 * right" (items 1-7, 9, 12 and 13), each named after the item and the paragraph of the guidance or the
 * decision it applies. Each drives the domain as the app does - a sealed log replayed through the meeting
 * machine, or snapshots stepped one event at a time - and asserts both what the machine concluded and what
 * the minute entry a chair would sign says about it.
 */
import { describe, expect, it } from 'vitest';
import { allowedKinds, checkContent, type MeetingSnapshot, phaseOf, step } from '../../src/domain/engine';
import type { DomainEvent, EventOf } from '../../src/domain/events';
import { minuteEntry, renderMinuteText } from '../../src/domain/minutes';
import type { Attendee } from '../../src/domain/model';
import {
  DECLINE_REASON_IDS,
  type DeclineReasonId,
  HERTFORDSHIRE,
  STAFFORDSHIRE_STOKE,
} from '../../src/domain/profiles';
import { replay } from '../../src/domain/replay';
import { groundStandings, type Rejection } from '../../src/domain/rules';
import * as s from '../support/scenario';
import {
  allAgreed,
  itemLines,
  motherAsksAndSigns,
  opening,
  outcomeLineOf,
  recording,
  screeningDone,
  stepped,
  TEAM,
} from '../support/steps';

const { people } = s;

// ---------------------------------------------------------------- helpers

/** Replays the sealed log (as the app does on opening a meeting) and renders its minute entry. */
async function recorded(events: readonly DomainEvent[]) {
  const log = await s.sealAll(events);
  const result = await replay(log);
  if (!result.ok) {
    throw new Error(
      `replay stopped at event ${result.error.index}: ${result.error.code} ${result.error.message}`,
    );
  }
  const entry = minuteEntry(log);
  expect(entry.isComplete).toBe(true);
  const text = renderMinuteText(entry);
  return { snapshot: result.snapshot, entry, text, lines: itemLines(text), outcomeLine: outcomeLineOf(text) };
}

/** The code and field of an event the meeting must refuse (fails the test if it is accepted). */
function refused(snapshot: MeetingSnapshot, event: DomainEvent): Pick<Rejection, 'code' | 'field'> {
  const result = step(snapshot, event);
  if (result.ok) throw new Error(`"${event.type}" was accepted at ${phaseOf(snapshot)}`);
  const { code, field } = result.rejection;
  return field === undefined ? { code } : { code, field };
}

const declined = (attendeeId: string, reason: string, reasonChoices?: DeclineReasonId[]): DomainEvent =>
  ({
    type: 'consent.declined',
    payload: { attendeeId, reason, ...(reasonChoices ? { reasonChoices } : {}) },
  }) as DomainEvent;
const returned = (attendeeId: string): DomainEvent => ({
  type: 'attendee.returned',
  payload: { attendeeId },
});

const EVERYONE_AGREED = /everyone (present|asked) agreed/;

// ---------------------------------------------------------------- 1. people leaving

describe('1. People leaving never rewrite the outcome (HCS 2.11; DOMAIN decisions)', () => {
  it('HCS 2.11 / decisions: a decliner who leaves does not turn the outcome into a yes', async () => {
    const { snapshot, lines, outcomeLine, text } = await recorded([
      ...opening(TEAM),
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
      ...s.declines('sw', 'Operational information about another family.'),
      s.left('sw'),
      ...s.agrees('police'),
      screeningDone,
      s.alternativesOffered(),
    ]);
    expect(snapshot.context.answers).toEqual({ chair: 'agreed', sw: 'declined', police: 'agreed' });
    expect(snapshot.context.outcome).toMatchObject({
      status: 'not-permitted',
      basis: 'not-all-agreed',
      declinedIds: ['sw'],
    });
    expect(lines).toContain('Tom Reid (social worker), who had not agreed, left.');
    expect(lines).toContain('Recording was not permitted: Tom Reid (social worker) did not agree.');
    expect(outcomeLine).toMatch(
      /^Outcome: Recording was not permitted: Tom Reid \(social worker\) did not agree\./,
    );
    expect(text).not.toMatch(EVERYONE_AGREED);
  });

  it('HCS 2.11: after a decliner left, the chair asks again and the minute says so, then what the new round found', async () => {
    const { snapshot, lines } = await recorded([
      ...opening(TEAM),
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
      ...s.declines('sw', 'Operational information.'),
      ...s.agrees('police'),
      screeningDone,
      s.alternativesOffered(),
      s.left('sw'),
      s.reviewRequested('Tom Reid has left the meeting.'),
      ...s.agrees('chair'),
      ...s.agrees('police'),
      screeningDone,
    ]);
    expect(snapshot.context.round).toBe(2);
    expect(snapshot.context.answers).toEqual({ chair: 'agreed', police: 'agreed' });
    expect(snapshot.context.outcome).toMatchObject({ status: 'permitted', basis: 'all-agreed' });
    const leftAt = lines.indexOf('Tom Reid (social worker), who had not agreed, left.');
    const askedAt = lines.indexOf(
      'The chair asked again of those now present: “Tom Reid has left the meeting.”',
    );
    const permittedAt = lines.indexOf('Recording was permitted: everyone present agreed.');
    expect(leftAt).toBeGreaterThan(
      lines.indexOf('Recording was not permitted: Tom Reid (social worker) did not agree.'),
    );
    expect(askedAt).toBeGreaterThan(leftAt);
    expect(permittedAt).toBeGreaterThan(askedAt);
  });

  it('HCS 2.6 / decisions: when the chair and the social worker both leave before answering, nothing is permitted', async () => {
    const { snapshot, lines, outcomeLine, text } = await recorded([
      ...opening([people.chair, people.mother, people.socialWorker]),
      ...motherAsksAndSigns,
      s.left('chair'),
      s.left('sw'),
      screeningDone,
      s.alternativesOffered(),
    ]);
    expect(snapshot.context.answers).toEqual({});
    expect(snapshot.context.outcome).toMatchObject({ status: 'not-permitted', basis: 'nobody-asked' });
    expect(lines).toContain('Recording was not permitted: nobody present was asked.');
    expect(outcomeLine).toMatch(/^Outcome: Recording was not permitted: nobody present was asked\./);
    expect(text).not.toMatch(EVERYONE_AGREED);
    expect(refused(stepped([s.started], snapshot), s.recordingStarted).code).toBe('not-permitted');
  });

  it('HCS 2.8 / 2.11: two who needed advice leave, the chair asks again with nobody left to ask: not permitted', async () => {
    const { snapshot, text } = await recorded([
      ...opening([people.mother, people.socialWorker, people.police]),
      ...motherAsksAndSigns,
      ...s.needsAuthorisation('sw', 'I need to check with my manager.'),
      ...s.needsAuthorisation('police', 'I need legal advice.'),
      screeningDone,
      s.alternativesOffered(),
      s.started,
      s.left('sw'),
      s.left('police'),
      s.reviewRequested('Both have left.'),
      screeningDone,
      s.alternativesOffered(),
    ]);
    expect(snapshot.context.outcome?.status).not.toBe('permitted');
    expect(snapshot.context.outcome?.basis).toBe('nobody-asked');
    expect(itemLines(text)).toContain(
      'DC Anna Webb (police), who had asked for advice or information first, left.',
    );
    expect(phaseOf(snapshot)).toBe('discussing.notRecording');
    expect(text).not.toMatch(EVERYONE_AGREED);
    expect(outcomeLineOf(text)).toMatch(/^Outcome: Recording was not permitted/);
  });

  it('HCS 2.11: the chair can record someone arriving or leaving at every step of a review', () => {
    const withFather = [...TEAM, people.father];
    // Before discussion: eligibility, undertaking, round, screening, decision, alternatives.
    const beforeDiscussion: Array<[string, DomainEvent[]]> = [
      ['review.eligibility', [...opening(withFather, 'child-protection-conference'), s.requested('mother')]],
      [
        'review.undertaking',
        [...opening(withFather, 'child-protection-conference'), s.requested('mother'), s.eligible()],
      ],
      ['review.round', [...opening(withFather, 'child-protection-conference'), ...motherAsksAndSigns]],
      [
        'review.screening',
        [
          ...opening(withFather, 'child-protection-conference'),
          ...motherAsksAndSigns,
          ...s.agrees('chair'),
          ...s.agrees('sw'),
          ...s.declines('police', 'Risk.'),
          ...s.agrees('father'),
        ],
      ],
      [
        'review.decision',
        [
          ...opening(withFather, 'child-protection-conference'),
          ...motherAsksAndSigns,
          ...s.agrees('chair'),
          ...s.agrees('sw'),
          ...s.declines('police', 'Risk.'),
          ...s.agrees('father'),
          screeningDone,
        ],
      ],
      [
        'review.alternatives',
        [
          ...opening(withFather, 'child-protection-conference'),
          ...motherAsksAndSigns,
          ...s.agrees('chair'),
          ...s.agrees('sw'),
          ...s.declines('father', 'No.'),
          ...s.agrees('police'),
          ...s.screened(['pr-holder-objected', 'dismissed', 'His objection stands as his answer.']),
        ],
      ],
    ];
    for (const [phase, events] of beforeDiscussion) {
      const at = stepped(events);
      expect(phaseOf(at)).toBe(phase);
      const kinds = allowedKinds(at);
      expect.soft(kinds.has('attendee.left'), phase).toBe(true);
      expect.soft(kinds.has('attendee.added'), phase).toBe(true);
      // Before the discussion people are added; "joined" is for arrivals after the start.
      expect.soft(kinds.has('attendee.joined'), phase).toBe(false);
      expect(step(at, s.left('interp')).ok, phase).toBe(false);
      expect(step(at, s.added(people.health)).ok, phase).toBe(true);
      expect(step(at, s.left('chair')).ok, phase).toBe(true);
    }

    // After the start: a request after the start goes through the same steps; people join rather than are added.
    const afterStart = stepped([...opening(TEAM), s.started, s.requested('mother', 'after-start')]);
    expect(phaseOf(afterStart)).toBe('review.eligibility');
    const kinds = allowedKinds(afterStart);
    expect.soft(kinds.has('attendee.joined')).toBe(true);
    expect.soft(kinds.has('attendee.added')).toBe(false);
    expect(step(afterStart, s.joined(people.health)).ok).toBe(true);
    expect(step(afterStart, s.added(people.health)).ok).toBe(false);
  });
});

// ---------------------------------------------------------------- 2. the requester leaving

describe('2. The person recording leaving stops the recording (DOMAIN decisions; HCS 2.11)', () => {
  it('decisions / HCS 2.11: the requester leaving pauses recording; resuming is refused until they return', async () => {
    const gone = stepped([...recording, s.left('mother')]);
    expect(phaseOf(gone)).toBe('discussing.paused');
    expect(gone.context.recording).toBe('paused');
    expect(gone.context.pauseCause).toBe('requester-left');
    expect(refused(gone, s.recordingResumed).code).toBe('requester-not-present');
    expect(allowedKinds(gone).has('recording.resumed')).toBe(false);
    // Permission still stands: it is the device that left, not the agreement.
    expect(gone.context.outcome?.status).toBe('permitted');

    const { snapshot, lines, entry, outcomeLine } = await recorded([
      ...recording,
      s.left('mother'),
      returned('mother'),
      s.recordingResumed,
      ...s.confirmedAndClosed,
    ]);
    const leftLine = lines.find((l) => l.startsWith('Sarah Doe (parent or carer), who was recording, left.'));
    expect(leftLine).toMatch(
      /Recording stopped, as the recording .*left with them; the chair will decide whether it resumes/,
    );
    expect(lines).toContain('Sarah Doe (parent or carer) returned.');
    expect(lines).toContain('Recording resumed.');
    expect(entry.recordingPeriods).toHaveLength(2);
    expect(entry.recordingPeriods[0]?.to).not.toBeNull();
    expect(phaseOf(snapshot)).toBe('closed');
    // Two periods, with the gap while the person recording was out.
    expect(outcomeLine).toMatch(
      /Recording took place from \d\d:\d\d to \d\d:\d\d and from \d\d:\d\d to \d\d:\d\d\./,
    );

    // Their return alone does not restart it: the chair decides.
    const back = stepped([returned('mother')], gone);
    expect(phaseOf(back)).toBe('discussing.paused');
    expect(back.context.recording).toBe('paused');
    expect(allowedKinds(back).has('recording.resumed')).toBe(true);
  });

  it('decisions: recording cannot begin while the person asking to record is out of the room', () => {
    const away = stepped([...allAgreed, s.started, s.left('mother')]);
    expect(phaseOf(away)).toBe('discussing.notRecording');
    expect(refused(away, s.recordingStarted).code).toBe('requester-not-present');
    expect(allowedKinds(away).has('recording.started')).toBe(false);
    expect(step(stepped([returned('mother')], away), s.recordingStarted).ok).toBe(true);
  });

  it('decisions / HCS 2.11: the requester leaving during a review; the minute does not say recording may resume', async () => {
    const { snapshot, lines } = await recorded([
      ...recording,
      s.joined(people.health),
      s.left('mother'),
      ...s.agrees('health'),
    ]);
    expect(snapshot.context.outcome?.status).toBe('permitted');
    expect(refused(snapshot, s.recordingResumed).code).toBe('requester-not-present');
    // The entry must not promise what the machine refuses: the recording is away with Sarah Doe.
    expect(lines).not.toContain('The meeting resumed; recording may resume.');
  });
});

// ---------------------------------------------------------------- 3. a decline needs its reason

describe('3. A decline needs its reason under HCS, not under SSLSCB (HCS 2.8)', () => {
  it('HCS 2.8: a decline without a reason is refused under HCS; a one-tap reason is enough and is minuted', async () => {
    expect(HERTFORDSHIRE.declineReason.isRequired).toBe(true);
    expect(STAFFORDSHIRE_STOKE.declineReason.isRequired).toBe(false);
    for (const profile of [HERTFORDSHIRE, STAFFORDSHIRE_STOKE]) {
      const ids = profile.declineReason.choices.map((c) => c.id);
      expect(ids).toEqual(
        expect.arrayContaining([
          'investigation-details',
          'third-party-information',
          'personal-safety',
          'needs-legal-advice',
        ]),
      );
      for (const id of ids) expect(DECLINE_REASON_IDS).toContain(id);
    }

    const handed = stepped([...opening(TEAM), ...motherAsksAndSigns, s.asked('police')]);
    expect(checkContent(handed, declined('police', ''))).toMatchObject({
      code: 'reason-required',
      field: 'reason',
    });
    expect(refused(handed, declined('police', '  '))).toEqual({ code: 'reason-required', field: 'reason' });
    expect(checkContent(handed, declined('police', '', ['investigation-details']))).toBeNull();
    expect(checkContent(handed, declined('police', 'It is not safe.', ['other']))).toBeNull();

    const { snapshot, lines } = await recorded([
      ...opening(TEAM),
      ...motherAsksAndSigns,
      s.asked('police'),
      declined('police', 'The suspect is a family member.', ['investigation-details']),
    ]);
    expect(snapshot.context.answers.police).toBe('declined');
    expect(lines).toContain(
      'DC Anna Webb (police) did not agree. Reason: Details of an investigation will be shared; “The suspect is a family member.”',
    );
  });

  it('HCS 2.8: "another reason" tapped with no words of their own is not a reason', () => {
    const handed = stepped([...opening(TEAM), ...motherAsksAndSigns, s.asked('police')]);
    // Accepted, the minute would read "did not agree, and gave no reason" under a policy that requires one.
    expect(checkContent(handed, declined('police', '', ['other']))).toMatchObject({
      code: 'reason-required',
      field: 'reason',
    });
  });

  it('SSLSCB Top tips: a view is recorded without a reason; the minute says none was given', async () => {
    const { snapshot, lines } = await recorded([
      ...opening(TEAM, 'meeting', 'staffordshire-stoke'),
      s.requested('mother'),
      s.signed('mother', 'staffordshire-stoke'),
      s.asked('police'),
      declined('police', ''),
    ]);
    expect(snapshot.context.answers.police).toBe('declined');
    expect(lines).toContain('DC Anna Webb (police) did not agree, and gave no reason.');
  });
});

// ---------------------------------------------------------------- 4. outcome precedence

describe('4. A refusal outranks a wait for advice (HCS 2.8; DOMAIN decisions)', () => {
  it('HCS 2.8 / decisions: a no plus a need for advice is not permitted, and names both', async () => {
    const { snapshot, lines, outcomeLine, text } = await recorded([
      ...opening([...TEAM, people.interpreter]),
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
      ...s.needsAuthorisation('interp', 'I must ask my agency first.'),
      ...s.declines('police', 'An investigation is under way.'),
      ...s.agrees('sw'),
      screeningDone,
      s.alternativesOffered(),
    ]);
    expect(snapshot.context.outcome).toEqual({
      status: 'not-permitted',
      basis: 'not-all-agreed',
      ref: 'HCS 2.8',
      declinedIds: ['police'],
      awaitingIds: ['interp'],
    });
    const sentence =
      'Recording was not permitted: DC Anna Webb (police) did not agree; Maria Silva (interpreter) also needs advice or information first';
    expect(lines).toContain(`${sentence}.`);
    expect(outcomeLine.startsWith(`Outcome: ${sentence}.`)).toBe(true);
    expect(text).not.toMatch(/not permitted for now/);
  });
});

// ---------------------------------------------------------------- 5. screening

describe('5. Screening (HCS 1.4) cannot be skipped and leaves a trace', () => {
  const SECOND_CHILD = { id: 'child-2', name: 'Alex Doe' };

  it('HCS 1.4: screening cannot finish with a raised ground, or the chair’s grounds, unanswered', async () => {
    const motherOfOne: Attendee = {
      ...people.mother,
      parentalResponsibility: { 'child-1': true, 'child-2': false },
    };
    const set = opening([people.chair, motherOfOne, people.socialWorker], 'meeting', 'hertfordshire', [
      s.CHILD,
      SECOND_CHILD,
    ]);
    // Ground 1 is known from the request itself, before anyone is asked.
    const asked = stepped([...set, s.requested('mother')]);
    expect(groundStandings(asked.context).find((g) => g.ground === 'no-parental-responsibility')).toEqual({
      ground: 'no-parental-responsibility',
      standing: 'raised',
      why: 'requester-lacks-pr',
    });

    const screening = stepped([...set, ...motherAsksAndSigns, ...s.agrees('chair'), ...s.agrees('sw')]);
    expect(phaseOf(screening)).toBe('review.screening');
    expect(refused(screening, screeningDone).code).toBe('grounds-unaddressed');
    const dismissed = stepped(
      [
        {
          type: 'ground.dismissed',
          payload: { ground: 'no-parental-responsibility', note: 'Nothing about Alex.' },
        },
      ],
      screening,
    );
    expect(refused(dismissed, { type: 'screening.completed', payload: {} })).toEqual({
      code: 'other-grounds-unanswered',
      field: 'otherGroundsNotApplicable',
    });
    expect(
      refused(dismissed, { type: 'screening.completed', payload: { otherGroundsNotApplicable: false } }).code,
    ).toBe('other-grounds-unanswered');

    const { snapshot, lines } = await recorded([
      ...set,
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...s.screened(['no-parental-responsibility', 'dismissed', 'Nothing about Alex is on the agenda.']),
    ]);
    expect(snapshot.context.outcome?.status).toBe('permitted');
    expect(lines).toContain(
      'The chair found that this ground for refusal did not apply: the parent does not have parental responsibility for every child. Note: “Nothing about Alex is on the agenda.”',
    );
    const screeningLine = lines.find((l) => l.startsWith('The chair considered the grounds for refusal.'));
    expect(screeningLine).toContain(
      'Ruled out by the facts: nobody with parental responsibility objected; no child the meeting is about objected.',
    );
    expect(screeningLine).toContain('The chair found that none of the other grounds applied.');
    expect(screeningLine).toContain('Result: no ground for refusal applied.');
  });

  it('HCS 1.4: grounds the facts rule out are shown as not applying, with why', async () => {
    const round = stepped([...opening(TEAM), ...motherAsksAndSigns]);
    expect(groundStandings(round.context)).toEqual([
      {
        ground: 'no-parental-responsibility',
        standing: 'ruled-out',
        why: 'requester-has-pr-for-every-child',
      },
      { ground: 'pr-holder-objected', standing: 'ruled-out', why: 'no-pr-holder-objected' },
      { ground: 'child-objected', standing: 'ruled-out', why: 'no-subject-child-objected' },
      { ground: 'history-of-misuse', standing: 'chair-to-answer' },
      { ground: 'threat-to-publish', standing: 'chair-to-answer' },
      { ground: 'alternatives-meet-need', standing: 'chair-to-answer' },
    ]);
    const { lines } = await recorded(allAgreed);
    expect(lines).toContain(
      'The chair considered the grounds for refusal. Ruled out by the facts: the parent asking has parental responsibility for every subject child; nobody with parental responsibility objected; no child the meeting is about objected. The chair found that none of the other grounds applied. Result: no ground for refusal applied.',
    );
  });

  it("HCS 1.4: a subject child's objection raises ground 3; another young person's does not", async () => {
    const cousin: Attendee = { id: 'cousin', name: 'Robin Lane', role: 'young-person' };
    const ground3 = (ctx: MeetingSnapshot['context']) =>
      groundStandings(ctx).find((g) => g.ground === 'child-objected');

    const bySubject = stepped([
      ...opening([...TEAM, people.youngPerson]),
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...s.agrees('police'),
      ...s.declines('yp', 'I do not want my words kept.'),
    ]);
    expect(ground3(bySubject.context)).toEqual({
      ground: 'child-objected',
      standing: 'raised',
      why: 'subject-child-declined',
    });
    expect(refused(bySubject, screeningDone).code).toBe('grounds-unaddressed');

    const byCousin = stepped([
      ...opening([...TEAM, cousin]),
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...s.agrees('police'),
      ...s.declines('cousin', 'I would rather not.'),
    ]);
    expect(ground3(byCousin.context)).toMatchObject({ standing: 'ruled-out' });
    // Their "no" still stands as an answer: not permitted, but not on ground 3.
    const done = stepped([screeningDone, s.alternativesOffered()], byCousin);
    expect(done.context.outcome).toMatchObject({ basis: 'not-all-agreed', declinedIds: ['cousin'] });
  });

  it("HCS 1.4 / 2.11: a child's objection confirmed as a ground does not outlast it when the chair asks again", async () => {
    const events: DomainEvent[] = [
      ...opening([...TEAM, people.youngPerson]),
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...s.agrees('police'),
      ...s.declines('yp', 'I do not want my words kept.'),
      ...s.screened(['child-objected', 'confirmed', 'Jamie objects.']),
      s.alternativesOffered(),
      s.started,
      s.reviewRequested('Jamie has changed his mind.'),
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...s.agrees('police'),
      ...s.agrees('yp'),
      ...s.screened(),
    ];
    const { snapshot, lines } = await recorded(events);
    expect(snapshot.context.answers.yp).toBe('agreed');
    expect(groundStandings(snapshot.context).find((g) => g.ground === 'child-objected')).toMatchObject({
      standing: 'ruled-out',
    });
    // The second screening may not say the objection is ruled out by the facts and also that it applied.
    const second =
      lines.filter((l) => l.startsWith('The chair considered the grounds for refusal.')).at(-1) ?? '';
    expect(second).toContain('no child the meeting is about objected');
    expect(second).not.toContain('this ground applied: the child or young person objected');
    expect(snapshot.context.outcome).toMatchObject({ status: 'permitted', basis: 'all-agreed' });
  });

  it("HCS 1.4: an absent parental-responsibility holder's objection, recorded by the chair, raises ground 2", async () => {
    const objection: DomainEvent = {
      type: 'pr-holder.objected',
      payload: { name: 'Mark Doe', note: 'Telephoned this morning to object to any recording.' },
    };
    const events = [
      ...opening(TEAM),
      ...motherAsksAndSigns,
      objection,
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...s.agrees('police'),
    ];
    const screening = stepped(events);
    expect(groundStandings(screening.context).find((g) => g.ground === 'pr-holder-objected')).toEqual({
      ground: 'pr-holder-objected',
      standing: 'raised',
      why: 'absent-pr-holder-objected',
    });
    expect(refused(screening, screeningDone).code).toBe('grounds-unaddressed');

    const { snapshot, lines } = await recorded([
      ...events,
      ...s.screened(['pr-holder-objected', 'confirmed', 'Mark Doe holds PR and objects.']),
      s.alternativesOffered(),
    ]);
    expect(snapshot.context.outcome).toMatchObject({ status: 'not-permitted', basis: 'ground-confirmed' });
    expect(lines).toContain(
      'The chair recorded an objection from Mark Doe, who has parental responsibility and is not at the meeting: “Telephoned this morning to object to any recording.”',
    );
    const screeningLine = lines.find((l) => l.startsWith('The chair considered the grounds for refusal.'));
    expect(screeningLine).toContain(
      'Result: this ground applied: another person with parental responsibility objected.',
    );
    expect(lines).toContain('Recording was not permitted on the grounds the chair confirmed.');
  });
});

// ---------------------------------------------------------------- 6. the chair's decision

describe("6. The chair's decision (HCS 2.12)", () => {
  it('HCS 2.12: the chair decides only with the disagreements noted, and the minute names the chair', async () => {
    const deciding = [
      ...opening([...TEAM, people.father], 'child-protection-conference'),
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...s.declines('police', 'Risk to the investigation.'),
      ...s.agrees('father'),
      screeningDone,
    ];
    const at = stepped(deciding);
    expect(phaseOf(at)).toBe('review.decision');
    expect(refused(at, s.chairDecided('permitted', 'The record helps the family.', ''))).toEqual({
      code: 'disagreements-required',
      field: 'disagreements',
    });
    expect(checkContent(at, s.chairDecided('permitted', 'The record helps the family.', '   '))?.field).toBe(
      'disagreements',
    );

    const { snapshot, lines, outcomeLine } = await recorded([
      ...deciding,
      s.chairDecided(
        'permitted',
        'The record helps the family follow the plan.',
        'DC Webb objected; the others agreed.',
      ),
    ]);
    expect(snapshot.context.outcome).toMatchObject({
      status: 'permitted',
      basis: 'chair-decided',
      declinedIds: ['police'],
    });
    const decision =
      'The professionals disagreed, so the chair, Priya Shah, made the overall decision: recording was permitted. Reason: “The record helps the family follow the plan.” Disagreements noted: “DC Webb objected; the others agreed.”';
    expect(lines).toContain(decision);
    // Said once where it was reached: the decision is not followed by the same outcome again.
    expect(lines.filter((l) => /overall decision/.test(l))).toHaveLength(1);
    expect(lines.at(lines.indexOf(decision) + 1) ?? '').not.toMatch(/^Recording was permitted/);
    expect(outcomeLine).toMatch(/^Outcome: Recording was permitted, by the chair’s overall decision/);
  });
});

// ---------------------------------------------------------------- 7. withdrawal

describe('7. Withdrawal at any time after permission, then other arrangements (HCS 2.11, 3.2)', () => {
  const reason = 'The discussion has become distressing for Jamie.';

  it('HCS 2.11 / 3.2: the chair withdraws before discussion, and other arrangements are offered', async () => {
    const withdrawing = stepped([...allAgreed, s.withdrawn(reason)]);
    expect(phaseOf(withdrawing)).toBe('review.alternatives');
    expect(refused(withdrawing, s.started).code).toBe('not-allowed-now');

    const { snapshot, lines, outcomeLine } = await recorded([
      ...allAgreed,
      s.withdrawn(reason),
      s.alternativesOffered(),
    ]);
    expect(phaseOf(snapshot)).toBe('ready');
    expect(snapshot.context.outcome).toMatchObject({ status: 'not-permitted', basis: 'withdrawn' });
    const withdrawnAt = lines.indexOf(`The chair withdrew permission to record: “${reason}”`);
    expect(withdrawnAt).toBeGreaterThan(lines.indexOf('Recording was permitted: everyone present agreed.'));
    expect(
      lines.indexOf('Other arrangements were offered: a detailed written record of the meeting.'),
    ).toBeGreaterThan(withdrawnAt);
    expect(outcomeLine).toMatch(
      /^Outcome: Recording was not permitted: the chair withdrew permission\. No recording took place\./,
    );
  });

  it('HCS 2.11 / 3.2: the chair withdraws during the discussion: recording stops, and alternatives follow', async () => {
    const { snapshot, lines, entry } = await recorded([
      ...recording,
      s.withdrawn(reason),
      s.alternativesOffered(),
    ]);
    expect(phaseOf(snapshot)).toBe('discussing.notRecording');
    expect(snapshot.context.recording).toBe('off');
    expect(snapshot.context.outcome?.basis).toBe('withdrawn');
    expect(lines).toContain(`The chair withdrew permission to record, and recording stopped: “${reason}”`);
    expect(lines).toContain('Other arrangements were offered: a detailed written record of the meeting.');
    expect(entry.recordingPeriods).toHaveLength(1);
    expect(entry.recordingPeriods[0]?.to).not.toBeNull();
    expect(refused(snapshot, s.recordingStarted).code).toBe('not-permitted');
  });

  it('HCS 2.11 / 3.2: the chair withdraws during a review that began while permission stood', async () => {
    const review = stepped([...recording, s.joined(people.health)]);
    expect(phaseOf(review)).toBe('review.round');
    expect(allowedKinds(review).has('recording.withdrawn')).toBe(true);
    const withdrawing = stepped([s.withdrawn(reason)], review);
    expect(phaseOf(withdrawing)).toBe('review.alternatives');

    const { snapshot, lines } = await recorded([
      ...recording,
      s.joined(people.health),
      s.withdrawn(reason),
      s.alternativesOffered(['breaks-and-summaries']),
    ]);
    expect(phaseOf(snapshot)).toBe('discussing.notRecording');
    expect(snapshot.context.outcome?.basis).toBe('withdrawn');
    expect(lines).toContain(`The chair withdrew permission to record: “${reason}”`);
    expect(lines).toContain(
      'Other arrangements were offered: breaks, with a summary of each part of the meeting as it goes.',
    );
    expect(lines).toContain('The meeting resumed without recording; it was not cancelled.');
  });

  it('HCS 2.11: there is nothing to withdraw before permission was given', () => {
    const round = stepped([...opening(TEAM), ...motherAsksAndSigns]);
    expect(allowedKinds(round).has('recording.withdrawn')).toBe(false);
    expect(refused(round, s.withdrawn(reason)).code).toBe('cannot-withdraw');
  });

  it('SSLSCB Top tips: there is no withdrawal; the chair escalates to the safeguarding lead and records the advice', async () => {
    const sslscb: DomainEvent[] = [
      ...opening(TEAM, 'meeting', 'staffordshire-stoke'),
      s.requested('mother'),
      s.signed('mother', 'staffordshire-stoke'),
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...s.agrees('police'),
      s.started,
      s.recordingStarted,
    ];
    const on = stepped(sslscb);
    expect(phaseOf(on)).toBe('discussing.recording');
    expect(allowedKinds(on).has('recording.withdrawn')).toBe(false);
    expect(allowedKinds(on).has('concern.escalated')).toBe(true);
    expect(refused(on, s.withdrawn(reason)).code).toBe('cannot-withdraw');
    const advice: DomainEvent = {
      type: 'concern.advice-received',
      payload: { note: 'Carry on; remind everyone.' },
    };
    expect(refused(on, advice).code).toBe('not-escalated');

    const escalated: DomainEvent = {
      type: 'concern.escalated',
      payload: { note: 'The recording feels oppressive to the family.' },
    };
    const { snapshot, lines } = await recorded([...sslscb, escalated, advice]);
    expect(snapshot.context.concern).toBe('advised');
    expect(snapshot.context.outcome?.basis).toBe('notice-model');
    expect(lines).toContain(
      'The chair recorded that the recording was raised as excessive or oppressive, and that the designated safeguarding lead’s advice was sought: “The recording feels oppressive to the family.”',
    );
    expect(lines).toContain(
      'The designated safeguarding lead’s advice was received: “Carry on; remind everyone.”',
    );
    // Under HCS, the escalation of the notice model is not offered: the chair withdraws instead.
    const hcs = stepped(recording);
    expect(allowedKinds(hcs).has('concern.escalated')).toBe(false);
    expect(refused(hcs, escalated).code).toBe('cannot-escalate');
  });
});

// ---------------------------------------------------------------- 9. two requesters

describe('9. Two requesters (HCS 1.3)', () => {
  const bothAsk: DomainEvent = (() => {
    const one = s.requested('mother') as EventOf<'request.made'>;
    return {
      type: 'request.made',
      payload: { request: { ...one.payload.request, additionalRequesterIds: ['yp'] } },
    };
  })();
  const ypEligible: DomainEvent = {
    type: 'eligibility.confirmed',
    payload: { basis: 'subject-child', requesterId: 'yp' },
  };

  it('HCS 1.3: a parent and the subject child both ask; each is found eligible and signs; neither is asked', async () => {
    const base = [...opening([...TEAM, people.youngPerson]), bothAsk];
    const afterMother = stepped([...base, s.eligible('parent-with-pr')]);
    // The second requester's eligibility is decided too before anyone signs.
    expect(phaseOf(afterMother)).toBe('review.eligibility');
    expect(refused(afterMother, s.signed('mother')).code).toBe('not-allowed-now');
    const afterBoth = stepped([ypEligible], afterMother);
    expect(afterBoth.context.eligibility).toEqual({ mother: 'confirmed', yp: 'confirmed' });
    expect(phaseOf(afterBoth)).toBe('review.undertaking');
    const motherSigned = stepped([s.signed('mother')], afterBoth);
    expect(phaseOf(motherSigned)).toBe('review.undertaking');
    expect(refused(motherSigned, s.asked('chair')).code).toBe('not-allowed-now');
    const bothSigned = stepped([s.signed('yp')], motherSigned);
    expect(bothSigned.context.undertaking).toEqual({ mother: 'signed', yp: 'signed' });
    expect(phaseOf(bothSigned)).toBe('review.round');
    expect(refused(bothSigned, s.asked('yp')).code).toBe('requester-is-not-asked');

    const { snapshot, lines, entry } = await recorded([
      ...base,
      s.eligible('parent-with-pr'),
      ypEligible,
      s.signed('mother'),
      s.signed('yp'),
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...s.agrees('police'),
      screeningDone,
    ]);
    expect(snapshot.context.outcome).toMatchObject({ status: 'permitted', basis: 'all-agreed' });
    expect(snapshot.context.answers).toEqual({ chair: 'agreed', sw: 'agreed', police: 'agreed' });
    expect(
      lines.some((l) =>
        l.startsWith(
          'Sarah Doe (parent or carer) and Jamie Doe (child or young person) asked to record the meeting',
        ),
      ),
    ).toBe(true);
    expect(lines).toContain(
      'The chair confirmed that Sarah Doe may ask, as a parent with parental responsibility for Jamie Doe.',
    );
    expect(lines).toContain('The chair confirmed that Jamie Doe may ask, as the child the meeting is about.');
    expect(entry.undertakings.map((u) => u.signerName)).toEqual(['Sarah Doe', 'Jamie Doe']);
    expect(lines.filter((l) => / signed the undertaking not to share the recording/.test(l))).toHaveLength(2);
  });

  it('HCS 1.3 / 1.4: a second requester found not eligible does not raise ground 1 against the first one’s request', async () => {
    const one = s.requested('mother') as EventOf<'request.made'>;
    const withStepfather: DomainEvent = {
      type: 'request.made',
      payload: { request: { ...one.payload.request, additionalRequesterIds: ['stepdad'] } },
    };
    const asking = stepped([...opening([...TEAM, people.stepfather]), withStepfather]);
    // While he is still asking, his lack of parental responsibility is ground 1.
    expect(groundStandings(asking.context)[0]).toMatchObject({
      standing: 'raised',
      why: 'requester-lacks-pr',
    });
    const snapshot = stepped(
      [
        s.eligible('parent-with-pr'),
        {
          type: 'eligibility.refused',
          payload: { reason: 'Lee has no PR for Jamie.', requesterId: 'stepdad' },
        },
        s.signed('mother'),
      ],
      asking,
    );
    expect(snapshot.context.eligibility).toEqual({ mother: 'confirmed', stepdad: 'refused' });
    expect(phaseOf(snapshot)).toBe('review.round');
    // Only Sarah Doe, who holds PR for every subject child, would record now.
    expect(groundStandings(snapshot.context)[0]).toEqual({
      ground: 'no-parental-responsibility',
      standing: 'ruled-out',
      why: 'requester-has-pr-for-every-child',
    });
    const { lines } = await recorded([
      ...opening([...TEAM, people.stepfather]),
      withStepfather,
      s.eligible('parent-with-pr'),
      {
        type: 'eligibility.refused',
        payload: { reason: 'Lee has no PR for Jamie.', requesterId: 'stepdad' },
      },
      s.signed('mother'),
    ]);
    expect(lines).toContain(
      'The chair found that Lee Grant was not eligible to ask: “Lee has no PR for Jamie.”',
    );
  });

  it('HCS 1.3: when one of two requesters declines to sign, the other’s request goes on', () => {
    const snapshot = stepped([
      ...opening([...TEAM, people.youngPerson]),
      bothAsk,
      s.eligible('parent-with-pr'),
      ypEligible,
      s.declinedToSign('mother'),
      s.signed('yp'),
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...s.agrees('police'),
      screeningDone,
    ]);
    expect(snapshot.context.undertaking).toEqual({ mother: 'declined', yp: 'signed' });
    expect(snapshot.context.outcome).toMatchObject({ status: 'permitted', basis: 'all-agreed' });
  });
});

// ---------------------------------------------------------------- 12. corrections

describe('12. Corrections, never deletions (DOMAIN decisions)', () => {
  it('decisions: a name typed wrongly is corrected by an event, and the minute shows it as a correction', async () => {
    const misspelt: Attendee = { ...people.mother, name: 'Sara Doe' };
    const fix: DomainEvent = {
      type: 'attendee.corrected',
      payload: { attendeeId: 'mother', name: 'Sarah Doe' },
    };
    const { snapshot, lines, entry } = await recorded([
      s.opened(),
      s.added(people.chair),
      s.added(misspelt),
      s.added(people.socialWorker),
      fix,
      ...motherAsksAndSigns,
    ]);
    expect(snapshot.context.attendees.find((a) => a.id === 'mother')?.name).toBe('Sarah Doe');
    expect(entry.attendees.find((a) => a.id === 'mother')?.name).toBe('Sarah Doe');
    expect(lines).toContain(
      'Correction for Sarah Doe (parent or carer): the name was recorded as “Sara Doe” and is “Sarah Doe”.',
    );
    // The same details again are no correction.
    expect(refused(snapshot, fix).code).toBe('nothing-to-correct');
  });

  it('decisions: who someone is cannot be corrected once they answered; the chair asks again instead', async () => {
    const answered = stepped([...opening(TEAM), ...motherAsksAndSigns, ...s.agrees('chair')]);
    expect(
      refused(answered, {
        type: 'attendee.corrected',
        payload: { attendeeId: 'chair', role: 'social-worker' },
      }),
    ).toEqual({ code: 'correction-too-late', field: 'role' });
    // A name may still be put right, and the minute shows it as a correction.
    const rename: DomainEvent = {
      type: 'attendee.corrected',
      payload: { attendeeId: 'chair', name: 'Priya Shah-Khan' },
    };
    const { lines, entry } = await recorded([
      ...opening(TEAM),
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
      rename,
    ]);
    expect(lines).toContain('Priya Shah (chair) agreed.');
    expect(lines).toContain(
      'Correction for Priya Shah-Khan (chair): the name was recorded as “Priya Shah” and is “Priya Shah-Khan”.',
    );
    expect(entry.chair).toBe('Priya Shah-Khan');
    // The requester's standing is fixed once their eligibility is decided.
    expect(
      refused(answered, {
        type: 'attendee.corrected',
        payload: { attendeeId: 'mother', parentalResponsibility: { 'child-1': false } },
      }).code,
    ).toBe('correction-too-late');
  });

  it('decisions: an attendee added in error is removed (before taking part), and the purpose corrected', async () => {
    const removal: DomainEvent = {
      type: 'attendee.removed',
      payload: { attendeeId: 'health', reason: 'Added to the wrong meeting.' },
    };
    const purpose: DomainEvent = {
      type: 'request.corrected',
      payload: { purpose: 'So I can listen again at home.' },
    };
    const { snapshot, lines, entry } = await recorded([
      ...opening([...TEAM, people.health]),
      ...motherAsksAndSigns,
      removal,
      purpose,
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...s.agrees('police'),
      screeningDone,
    ]);
    expect(snapshot.context.attendees.map((a) => a.id)).not.toContain('health');
    expect(entry.attendees.map((a) => a.id)).not.toContain('health');
    expect(snapshot.context.outcome?.status).toBe('permitted');
    expect(snapshot.context.request?.purpose).toBe('So I can listen again at home.');
    expect(lines).toContain(
      'Correction: Dr Ola Bello (health) was added to the attendee list in error and was removed: “Added to the wrong meeting.”',
    );
    expect(lines).toContain(
      'Correction to the request to record: the purpose in the requester’s words was recorded as “So I can listen again to what is agreed.” and is “So I can listen again at home.”',
    );

    // Someone who has answered, or is being asked, or is asking, cannot be removed.
    const round = stepped([
      ...opening([...TEAM, people.health]),
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
    ]);
    const remove = (attendeeId: string): DomainEvent => ({
      type: 'attendee.removed',
      payload: { attendeeId, reason: 'Error.' },
    });
    expect(refused(round, remove('chair'))).toEqual({ code: 'cannot-remove', field: 'attendeeId' });
    expect(refused(round, remove('mother')).code).toBe('cannot-remove');
    expect(refused(stepped([s.asked('sw')], round), remove('sw')).code).toBe('cannot-remove');
  });

  it('decisions: someone who answered in an earlier round cannot be removed as added in error', async () => {
    // Their answer is on the record, so they stay on the attendee list: they left, they were not added in error.
    const remove: DomainEvent = { type: 'attendee.removed', payload: { attendeeId: 'sw', reason: 'Error.' } };
    const events: DomainEvent[] = [
      ...opening(TEAM),
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
      ...s.declines('sw', 'Operational information.'),
      ...s.agrees('police'),
      screeningDone,
      s.alternativesOffered(),
      s.left('sw'),
      s.reviewRequested('Tom Reid has left.'),
      ...s.agrees('chair'),
      ...s.agrees('police'),
      screeningDone,
    ];
    const askedAgain = stepped(events);
    expect(askedAgain.context.answers.sw).toBeUndefined();
    const { lines } = await recorded(events);
    expect(lines).toContain('Tom Reid (social worker) did not agree. Reason: “Operational information.”');
    expect(refused(askedAgain, remove).code).toBe('cannot-remove');
  });

  it('decisions: a meeting opened in error is discarded, not closed; once anyone answered it cannot be', async () => {
    const discard: DomainEvent = {
      type: 'meeting.discarded',
      payload: { reason: 'Opened for the wrong family.' },
    };
    const { snapshot, entry, text, lines } = await recorded([...opening(TEAM), discard]);
    expect(phaseOf(snapshot)).toBe('discarded');
    expect(snapshot.status).toBe('done');
    expect(entry.isDiscarded).toBe(true);
    expect(lines).toContain(
      'The meeting record was discarded, as it was opened in error: “Opened for the wrong family.”',
    );
    expect(outcomeLineOf(text)).toBe('Outcome: the record was discarded, as it was opened in error.');
    expect(text).not.toMatch(/record was closed/);

    const answered = stepped([...opening(TEAM), ...motherAsksAndSigns, ...s.agrees('chair')]);
    expect(refused(answered, discard).code).toBe('cannot-discard');
    expect(allowedKinds(answered).has('meeting.discarded')).toBe(false);
    // Once the discussion has begun, it is a meeting's record: it is closed, never discarded.
    expect(['cannot-discard', 'not-allowed-now']).toContain(
      refused(stepped([...opening(TEAM), s.started]), discard).code,
    );
  });
});

// ---------------------------------------------------------------- 13. the chair confirms the minute

describe('13. The chair confirms the minute entry (HCS 2.10)', () => {
  const confirm = (chairId = 'chair'): DomainEvent => ({ type: 'minute.confirmed', payload: { chairId } });

  it('HCS 2.10: only the chair confirms; the entry ends with the confirmation, and a later fact undoes it', async () => {
    const ready = stepped(allAgreed);
    expect(refused(ready, confirm('sw'))).toEqual({ code: 'not-the-chair', field: 'chairId' });
    expect(refused(stepped([confirm()], ready), confirm()).code).toBe('already-confirmed');

    const confirmedThenClosed = await recorded([...allAgreed, s.started, confirm(), s.closed]);
    expect(confirmedThenClosed.snapshot.context.isMinuteConfirmed).toBe(true);
    expect(confirmedThenClosed.entry.confirmation?.name).toBe('Priya Shah');
    const tail = confirmedThenClosed.text.trimEnd().split('\n');
    expect(tail.at(-2)).toMatch(
      /^Confirmed by Priya Shah, chair, on Monday 23 November 2026 at \d\d:\d\d\.$/,
    );
    expect(tail.at(-1)).toMatch(/^Record check: /);
    expect(confirmedThenClosed.text).not.toMatch(/Not yet confirmed/);

    // Anything recorded after the confirmation (but the closing) means the chair must confirm again.
    const later = await recorded([
      ...allAgreed,
      s.started,
      confirm(),
      s.covertSuspected('A second phone was seen.'),
    ]);
    expect(later.snapshot.context.isMinuteConfirmed).toBe(false);
    expect(later.entry.confirmation).toBeNull();
    expect(later.text).toMatch(/\nNot yet confirmed by the chair\.\n/);
    expect(later.text).not.toMatch(/Confirmed by/);
    expect(allowedKinds(later.snapshot).has('minute.confirmed')).toBe(true);
    const again = await recorded([
      ...allAgreed,
      s.started,
      confirm(),
      s.covertSuspected('A second phone was seen.'),
      confirm(),
    ]);
    expect(again.text).toMatch(/Confirmed by Priya Shah, chair, on Monday 23 November 2026 at \d\d:\d\d\./);
  });
});

// ---------------------------------------------------------------- the interface to the screens

describe("The domain's interface to the screens: allowed kinds and field errors", () => {
  it('allowedKinds says what may happen now; checkContent names the field that is wrong', () => {
    const handed = stepped([...opening(TEAM), ...motherAsksAndSigns, s.asked('police')]);
    const kinds = allowedKinds(handed);
    for (const kind of ['consent.given', 'consent.declined', 'consent.authorisation-needed'] as const) {
      expect(kinds.has(kind), kind).toBe(true);
    }
    expect(kinds.has('recording.started')).toBe(false);
    expect(kinds.has('meeting.started')).toBe(false);
    expect(checkContent(handed, declined('police', ''))).toMatchObject({
      code: 'reason-required',
      field: 'reason',
    });
    expect(checkContent(handed, declined('police', 'An investigation is under way.'))).toBeNull();
    expect(checkContent(handed, declined('police', 'x'.repeat(5_000)))).toMatchObject({
      code: 'field-too-long',
      field: 'reason',
    });
    expect(
      checkContent(handed, {
        type: 'consent.declined',
        payload: { attendeeId: 'police' },
      } as unknown as DomainEvent),
    ).toMatchObject({ code: 'field-required', field: 'reason' });
    // Checking does not change the meeting.
    expect(handed.context.answers).toEqual({});

    const permittedNotStarted = stepped(allAgreed);
    expect(allowedKinds(permittedNotStarted).has('recording.withdrawn')).toBe(true);
    expect(allowedKinds(permittedNotStarted).has('recording.started')).toBe(false);
    const discussing = stepped([s.started], permittedNotStarted);
    expect(allowedKinds(discussing).has('recording.started')).toBe(true);
    const refusedMeeting = stepped([
      ...opening(TEAM),
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...s.declines('police', 'Risk.'),
      screeningDone,
      s.alternativesOffered(),
      s.started,
    ]);
    expect(allowedKinds(refusedMeeting).has('recording.started')).toBe(false);
    expect(allowedKinds(refusedMeeting).has('review.requested')).toBe(true);
    expect(checkContent(refusedMeeting, s.reviewRequested(''))).toMatchObject({
      code: 'field-required',
      field: 'reason',
    });
  });
});

// ---------------------------------------------------------------- item 10: advance requests (HCS 2.5)

describe('Issue 12 item 10: an advance request is decided before the meeting, without the requester', () => {
  const inAdvance: DomainEvent[] = [
    s.opened('meeting'),
    s.added(people.chair),
    { type: 'attendee.added', payload: { attendee: people.father, isAbsent: true } },
    s.added(people.socialWorker),
    s.requested('father', 'in-advance', '2026-11-20T11:15:00+00:00'),
    { type: 'request.attendees-notified', payload: { via: 'email' } },
    s.eligible(),
    ...s.agrees('chair'),
    ...s.agrees('sw'),
    ...s.screened(),
  ];

  it('HCS 2.5 / 1.3: the decision is made with the requester absent, and recording waits for the signature', () => {
    const decided = stepped(inAdvance);
    expect(phaseOf(decided)).toBe('ready');
    expect(decided.context.outcome).toMatchObject({ status: 'permitted', basis: 'all-agreed' });
    // The requester arrives; nothing is recorded before the undertaking is signed (HCS 1.3).
    const arrived = stepped([s.returned('father'), s.started], decided);
    expect(refused(arrived, s.recordingStarted)).toEqual({ code: 'undertaking-not-signed' });
    // While absent they cannot sign.
    expect(refused(decided, s.signed('father'))).toMatchObject({ code: 'requester-not-present' });
  });

  it('HCS 2.5: each part keeps its own date, and the minute says the signature is still to come', async () => {
    const { text } = await recorded([
      s.timed('2026-11-22T14:00:00+00:00', inAdvance[0] as DomainEvent),
      ...inAdvance.slice(1),
      { type: 'request.outcome-confirmed', payload: { via: 'email', note: 'Sent to Mr Doe.' } },
      s.timed('2026-11-23T09:58:00+00:00', s.returned('father')),
      s.signed('father'),
      s.started,
      s.recordingStarted,
      ...s.confirmedAndClosed,
    ]);
    expect(text).toContain('Sunday 22 November 2026 14:');
    expect(text).toMatch(
      /Sunday 22 November 2026 \d\d:\d\d {2}Recording was permitted: every attendee asked in advance agreed\. Recording may begin once Mark Doe has signed the undertaking not to share the recording\./,
    );
    expect(text).toMatch(/\n09:58 {2}Mark Doe \(parent or carer\) arrived\./);
    expect(text).toMatch(/\n09:59 {2}Mark Doe \(parent or carer\) signed the undertaking/);
  });

  it('HCS 1.3: declining to sign on the day ends a request decided in advance, and alternatives follow', () => {
    const declined = stepped([...inAdvance, s.returned('father'), s.declinedToSign('father')]);
    expect(phaseOf(declined)).toBe('review.alternatives');
    const after = stepped([s.alternativesOffered()], declined);
    expect(after.context.outcome).toMatchObject({ status: 'not-permitted', basis: 'undertaking-declined' });
  });
});
