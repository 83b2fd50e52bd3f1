/**
 * One test per rule of DOMAIN.md, named after the paragraph of the guidance it applies, in words a chair
 * would understand. Each drives the domain the way the app does: a sealed, hash-chained log replayed
 * through the meeting machine (`replay`), or snapshots stepped one event at a time (`step`), and asserts
 * on the phase the meeting is at, what it knows (`snapshot.context`), what may happen next
 * (`snapshot.can`) and why an event is refused (its rejection code).
 */
import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex, undertakingSha256 } from '../../src/domain/chain';
import { initialSnapshot, type MeetingSnapshot, phaseOf, step } from '../../src/domain/engine';
import type { DomainEvent } from '../../src/domain/events';
import { type Attendee, PURPOSE_REASONS, type Signature } from '../../src/domain/model';
import { HERTFORDSHIRE, PROFILES, STAFFORDSHIRE_STOKE } from '../../src/domain/profiles';
import { replay } from '../../src/domain/replay';
import { derivedGrounds, isLateAdvanceRequest, type RejectionCode } from '../../src/domain/rules';
import * as s from '../support/scenario';
import { allAgreed, motherAsksAndSigns, opening, recording, screeningDone, TEAM } from '../support/steps';

const { people } = s;

// ---------------------------------------------------------------- helpers

/** Seals the events into a log and replays it, as the app does when it opens a meeting. */
async function replayed(events: readonly DomainEvent[]) {
  const result = await replay(await s.sealAll(events));
  if (!result.ok) {
    throw new Error(
      `replay stopped at event ${result.error.index}: ${result.error.code} ${result.error.message}`,
    );
  }
  return result;
}

/** Steps each event in turn; returns every snapshot on the way (the first is the one given). */
function walk(events: readonly DomainEvent[], from: MeetingSnapshot = initialSnapshot()): MeetingSnapshot[] {
  const snapshots = [from];
  for (const [i, event] of events.entries()) {
    const current = snapshots.at(-1) as MeetingSnapshot;
    const result = step(current, event);
    if (!result.ok) {
      throw new Error(
        `event ${i} (${event.type}) refused at ${phaseOf(current)}: ${result.rejection.code} ${result.rejection.message}`,
      );
    }
    snapshots.push(result.snapshot);
  }
  return snapshots;
}

const stepped = (events: readonly DomainEvent[], from?: MeetingSnapshot): MeetingSnapshot =>
  walk(events, from).at(-1) as MeetingSnapshot;

/** The rejection code of an event the meeting must refuse (fails the test if it is accepted). */
function refusal(snapshot: MeetingSnapshot, event: DomainEvent): RejectionCode {
  const result = step(snapshot, event);
  if (result.ok) throw new Error(`"${event.type}" was accepted at ${phaseOf(snapshot)}`);
  expect(result.rejection.message.length).toBeGreaterThan(0);
  return result.rejection.code;
}

/** The whole rejection (code and the field it is about) of an event the meeting must refuse. */
function rejection(snapshot: MeetingSnapshot, event: DomainEvent): { code: RejectionCode; field?: string } {
  const result = step(snapshot, event);
  if (result.ok) throw new Error(`"${event.type}" was accepted at ${phaseOf(snapshot)}`);
  const { code, field } = result.rejection;
  return field === undefined ? { code } : { code, field };
}

const gave = (attendeeId: string): DomainEvent => ({ type: 'consent.given', payload: { attendeeId } });

// ---------------------------------------------------------------- eligibility and the undertaking

describe('HCS 1.3: who may ask, and the undertaking', () => {
  it('HCS 1.3: a parent with parental responsibility, or the subject child, may ask to record', () => {
    const byMother = stepped([...opening(TEAM), s.requested('mother')]);
    expect(phaseOf(byMother)).toBe('review.eligibility');
    expect(refusal(byMother, s.eligible('subject-child'))).toBe('not-eligible');
    expect(phaseOf(stepped([s.eligible('parent-with-pr')], byMother))).toBe('review.undertaking');

    const byChild = stepped([...opening([...TEAM, people.youngPerson]), s.requested('yp')]);
    expect(refusal(byChild, s.eligible('parent-with-pr'))).toBe('not-eligible');
    expect(phaseOf(stepped([s.eligible('subject-child')], byChild))).toBe('review.undertaking');
  });

  it('HCS 1.3: a parent without parental responsibility for any subject child is not eligible', async () => {
    const asked = stepped([...opening([...TEAM, people.stepfather]), s.requested('stepdad')]);
    expect(phaseOf(asked)).toBe('review.eligibility');
    expect(asked.can(s.eligible('parent-with-pr'))).toBe(false);
    expect(refusal(asked, s.eligible('parent-with-pr'))).toBe('not-eligible');

    const { snapshot } = await replayed([
      ...opening([...TEAM, people.stepfather]),
      s.requested('stepdad'),
      s.ineligible('Lee does not have parental responsibility for Jamie.'),
    ]);
    expect(snapshot.context.eligibility).toEqual({ stepdad: 'refused' });
    // Nobody is asked: the request cannot go on; alternatives are offered instead (HCS 3.2).
    expect(phaseOf(snapshot)).toBe('review.alternatives');
    expect(refusal(snapshot, s.asked('chair'))).toBe('not-allowed-now');
    const done = stepped([s.alternativesOffered()], snapshot);
    expect(done.context.outcome).toEqual({ status: 'not-permitted', basis: 'ineligible', ref: 'HCS 1.3' });
    expect(done.context.answers).toEqual({});
  });

  it('HCS 1.3: being eligible does not mean recording is permitted', async () => {
    const { snapshot } = await replayed([
      ...opening(TEAM),
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...s.declines('police', 'An investigation is under way.'),
      screeningDone,
      s.alternativesOffered(),
    ]);
    expect(snapshot.context.eligibility).toEqual({ mother: 'confirmed' });
    expect(snapshot.context.undertaking).toEqual({ mother: 'signed' });
    expect(snapshot.context.outcome).toMatchObject({
      status: 'not-permitted',
      basis: 'not-all-agreed',
      declinedIds: ['police'],
    });
  });

  it('HCS 1.3: nobody is asked until the person asking has signed the undertaking', async () => {
    const snapshot = stepped([...opening(TEAM), s.requested('mother'), s.eligible('parent-with-pr')]);
    expect(phaseOf(snapshot)).toBe('review.undertaking');
    expect(refusal(snapshot, s.asked('chair'))).toBe('not-allowed-now');
    expect(refusal(snapshot, s.signed('chair'))).toBe('not-the-requester');
    // The text signed must be this policy's text, by version and SHA-256.
    expect(refusal(snapshot, s.signed('mother', 'staffordshire-stoke'))).toBe('undertaking-text-mismatch');
    // The hash is of everything shown (full, plain, Easy read): the full text's hash alone is not what was signed.
    const event = s.signed('mother');
    if (event.type !== 'undertaking.signed') throw new Error('not a signing');
    const fullTextOnly = await sha256Hex(HERTFORDSHIRE.undertaking.text);
    expect(refusal(snapshot, { ...event, payload: { ...event.payload, textSha256: fullTextOnly } })).toBe(
      'undertaking-text-mismatch',
    );
    const signedNow = stepped([s.signed('mother')], snapshot);
    expect(signedNow.context.undertaking).toEqual({ mother: 'signed' });
    expect(phaseOf(signedNow)).toBe('review.round');
  });

  it('HCS 1.3/3.3: the requester declining to sign ends the request', async () => {
    const beforeSigning = stepped([...opening(TEAM), s.requested('mother'), s.eligible('parent-with-pr')]);
    expect(refusal(beforeSigning, s.declinedToSign('chair'))).toBe('not-the-requester');

    const { snapshot } = await replayed([
      ...opening(TEAM),
      s.requested('mother'),
      s.eligible('parent-with-pr'),
      s.declinedToSign('mother'),
    ]);
    expect(phaseOf(snapshot)).toBe('review.alternatives');
    expect(refusal(snapshot, s.asked('chair'))).toBe('not-allowed-now');
    const done = stepped([s.alternativesOffered()], snapshot);
    expect(phaseOf(done)).toBe('ready');
    expect(done.context.outcome).toEqual({
      status: 'not-permitted',
      basis: 'undertaking-declined',
      ref: HERTFORDSHIRE.undertaking.ref,
    });
    expect(done.context.answers).toEqual({});
  });

  it('HCS 1.3: an empty or near-empty signature is not accepted as signing the undertaking', () => {
    const snapshot = stepped([...opening(TEAM), s.requested('mother'), s.eligible('parent-with-pr')]);
    const pad = { width: 600, height: 200 };
    const point = (x: number, y: number, i: number) => ({ x, y, time: i * 16, pressure: 0.5 });
    const empty: Signature = { ...pad, strokes: [] };
    const dot: Signature = { ...pad, strokes: [{ points: [point(300, 100, 0)] }] };
    const tick: Signature = {
      ...pad,
      strokes: [{ points: Array.from({ length: 12 }, (_, i) => point(300 + i, 100 + (i % 3), i)) }],
    };
    const fewPoints: Signature = {
      ...pad,
      strokes: [{ points: Array.from({ length: 4 }, (_, i) => point(50 + i * 150, 100, i)) }],
    };
    expect(rejection(snapshot, s.signed('mother', 'hertfordshire', empty))).toEqual({
      code: 'field-required',
      field: 'signature.strokes',
    });
    expect(rejection(snapshot, s.signed('mother', 'hertfordshire', dot))).toEqual({
      code: 'signature-too-small',
      field: 'signature',
    });
    expect(refusal(snapshot, s.signed('mother', 'hertfordshire', tick))).toBe('signature-too-small');
    expect(refusal(snapshot, s.signed('mother', 'hertfordshire', fewPoints))).toBe('signature-too-small');
    expect(snapshot.can(s.signed('mother', 'hertfordshire', tick))).toBe(false);
    expect(step(snapshot, s.signed('mother', 'hertfordshire', s.SIGNATURE)).ok).toBe(true);
  });

  it("the undertaking's SHA-256 in each profile is that of all three versions (full, plain, Easy read), so none can be edited without it failing", async () => {
    for (const profile of Object.values(PROFILES)) {
      const { versions, sha256, text } = profile.undertaking;
      expect(sha256, profile.id).toBe(await undertakingSha256(versions));
      // The rule, spelled out: SHA-256 of the RFC 8785 canonical JSON of the three versions.
      expect(sha256, profile.id).toBe(await sha256Hex(canonicalJson(versions)));
      expect(text, profile.id).toBe(versions.full);
      const edited = { ...versions, plain: `${versions.plain} ` };
      expect(await undertakingSha256(edited), profile.id).not.toBe(sha256);
      const reordered = { ...versions, easyRead: [...versions.easyRead].reverse() };
      expect(await undertakingSha256(reordered), profile.id).not.toBe(sha256);
    }
    expect(HERTFORDSHIRE.undertaking.sha256).not.toBe(STAFFORDSHIRE_STOKE.undertaking.sha256);
  });

  it('HCS 3.3: the HCS undertaking says every limitation a) to e)', () => {
    const { text } = HERTFORDSHIRE.undertaking;
    expect(text).toMatch(/not share the recording publicly/);
    expect(text).toMatch(/not use the recording to commit a crime/);
    for (const letter of ['a', 'b', 'c', 'd', 'e']) expect(text).toMatch(new RegExp(`^${letter}\\) `, 'm'));
    expect(text).toMatch(/social media/);
    expect(text).toMatch(/injunction/);
  });

  it('HCS 3.3: the plain-English version says every point a) to e), in short sentences', () => {
    const { plain } = HERTFORDSHIRE.undertaking.versions;
    for (const letter of ['a', 'b', 'c', 'd', 'e']) expect(plain).toMatch(new RegExp(`^${letter}\\) `, 'm'));
    const sentences = plain.split(/(?<=[.:])\s+|\n/).filter((x) => x.trim());
    for (const sentence of sentences) expect(sentence.split(/\s+/).length, sentence).toBeLessThanOrEqual(28);
    // The words the issue found a parent could not follow are gone, or explained where they must stay.
    for (const hard of ['forum', 'civil courts', 'criminal matter', 'in relation to', 'sought'])
      expect(plain, hard).not.toContain(hard);
    expect(plain).toContain('This court order is called an injunction.');
  });

  it('Easy read: one idea per line, each with a picture, sentences of 15 words or fewer, every point a) to e)', () => {
    for (const profile of Object.values(PROFILES)) {
      const lines = profile.undertaking.versions.easyRead;
      for (const line of lines) {
        for (const sentence of line.text.split(/(?<=[.?!])\s+/))
          expect(sentence.split(/\s+/).length, sentence).toBeLessThanOrEqual(15);
        expect(line.picture, line.text).toBeTruthy();
      }
    }
    const pictures = HERTFORDSHIRE.undertaking.versions.easyRead.map((l) => l.picture);
    // a) to e) of HCS 3.3, in order, each with its own picture.
    for (const picture of ['childrens-services', 'give-copy', 'no-internet', 'court', 'legal-advice'])
      expect(pictures).toContain(picture);
    expect(new Set(pictures).size).toBe(pictures.length);
  });
});

// ---------------------------------------------------------------- refusal grounds

describe('HCS 1.4: grounds on which a request may be refused', () => {
  const SECOND_CHILD = { id: 'child-2', name: 'Alex Doe' };
  const motherOfOne: Attendee = {
    ...people.mother,
    parentalResponsibility: { 'child-1': true, 'child-2': false },
  };

  it('HCS 1.4: a parent without parental responsibility for one of the children raises ground 1', () => {
    const screening = stepped([
      ...opening([people.chair, motherOfOne, people.socialWorker], 'meeting', 'hertfordshire', [
        s.CHILD,
        SECOND_CHILD,
      ]),
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
      ...s.agrees('sw'),
    ]);
    expect(phaseOf(screening)).toBe('review.screening');
    expect(derivedGrounds(screening.context)).toEqual(['no-parental-responsibility']);
    expect(refusal(screening, screeningDone)).toBe('grounds-unaddressed');
    // Ground 1 is known from the request itself: it is shown as soon as the request is made.
    const justAsked = stepped([
      ...opening([people.chair, motherOfOne, people.socialWorker], 'meeting', 'hertfordshire', [
        s.CHILD,
        SECOND_CHILD,
      ]),
      s.requested('mother'),
    ]);
    expect(derivedGrounds(justAsked.context)).toEqual(['no-parental-responsibility']);

    const confirmed = stepped(
      [
        ...s.screened([
          'no-parental-responsibility',
          'confirmed',
          "Alex's health will be discussed and the mother does not hold PR for Alex.",
        ]),
        s.alternativesOffered(),
      ],
      screening,
    );
    expect(confirmed.context.outcome).toEqual({
      status: 'not-permitted',
      basis: 'ground-confirmed',
      ref: 'HCS 1.4',
      declinedIds: [],
      awaitingIds: [],
    });

    const dismissed = stepped(
      s.screened([
        'no-parental-responsibility',
        'dismissed',
        'Nothing sensitive about Alex is on the agenda.',
      ]),
      screening,
    );
    expect(phaseOf(dismissed)).toBe('ready');
    expect(dismissed.context.outcome?.status).toBe('permitted');
  });

  it('HCS 1.4: another parent with parental responsibility objecting raises ground 2', () => {
    const screening = stepped([
      ...opening([...TEAM, people.father]),
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...s.agrees('police'),
      ...s.declines('father', 'I do not want to be recorded.'),
    ]);
    expect(phaseOf(screening)).toBe('review.screening');
    expect(derivedGrounds(screening.context)).toEqual(['pr-holder-objected']);
    expect(refusal(screening, screeningDone)).toBe('grounds-unaddressed');
  });

  it('HCS 1.4: an objection by a parent without parental responsibility does not raise ground 2', () => {
    const snapshot = stepped([
      ...opening([...TEAM, people.stepfather]),
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...s.agrees('police'),
      ...s.declines('stepdad', 'No.'),
    ]);
    expect(derivedGrounds(snapshot.context)).toEqual([]);
  });

  it("HCS 1.4: a child's objection raises ground 3 for the chair to confirm or dismiss", async () => {
    const { snapshot: screening } = await replayed([
      ...opening([...TEAM, people.youngPerson]),
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...s.agrees('police'),
      ...s.declines('yp', 'I do not want my words kept.'),
    ]);
    expect(phaseOf(screening)).toBe('review.screening');
    expect(derivedGrounds(screening.context)).toEqual(['child-objected']);
    expect(refusal(screening, screeningDone)).toBe('grounds-unaddressed');
    // Each ground is confirmed or dismissed with a note.
    expect(
      rejection(screening, { type: 'ground.confirmed', payload: { ground: 'child-objected', note: '  ' } }),
    ).toEqual({ code: 'field-required', field: 'note' });

    const confirmed = stepped(
      [...s.screened(['child-objected', 'confirmed', 'Jamie does not want it.']), s.alternativesOffered()],
      screening,
    );
    expect(confirmed.context.grounds).toEqual({ 'child-objected': 'confirmed' });
    expect(confirmed.context.outcome?.basis).toBe('ground-confirmed');

    const dismissed = stepped(
      s.screened(['child-objected', 'dismissed', 'Noted; Jamie will leave for that item.']),
      screening,
    );
    expect(dismissed.context.grounds).toEqual({ 'child-objected': 'dismissed' });
    expect(phaseOf(dismissed)).toBe('review.alternatives');
  });

  it('HCS 1.4: the chair may confirm a ground the facts do not show (grounds 4-6), with a note', () => {
    const screening = stepped([
      ...opening(TEAM),
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...s.agrees('police'),
    ]);
    expect(phaseOf(screening)).toBe('review.screening');
    expect(derivedGrounds(screening.context)).toEqual([]);
    // Screening is not skipped: the chair answers grounds 4-6, one by one or with one "none applies".
    expect(rejection(screening, { type: 'screening.completed', payload: {} })).toEqual({
      code: 'other-grounds-unanswered',
      field: 'otherGroundsNotApplicable',
    });
    const confirmed = stepped(
      [
        ...s.screened(['threat-to-publish', 'confirmed', 'Said she would put it on Facebook.']),
        s.alternativesOffered(),
      ],
      screening,
    );
    expect(confirmed.context.outcome).toEqual({
      status: 'not-permitted',
      basis: 'ground-confirmed',
      ref: 'HCS 1.4',
      declinedIds: [],
      awaitingIds: [],
    });
    expect(stepped([screeningDone], screening).context.outcome?.status).toBe('permitted');
    const oneByOne = stepped(
      [
        { type: 'ground.dismissed', payload: { ground: 'history-of-misuse', note: 'None known.' } },
        { type: 'ground.dismissed', payload: { ground: 'threat-to-publish', note: 'No threat made.' } },
        {
          type: 'ground.dismissed',
          payload: { ground: 'alternatives-meet-need', note: 'Minutes alone would not meet her need.' },
        },
        { type: 'screening.completed', payload: {} },
      ],
      screening,
    );
    expect(oneByOne.context.outcome?.status).toBe('permitted');
  });
});

// ---------------------------------------------------------------- when the request is made

describe('HCS 2.5: a request in advance', () => {
  const meeting = { kind: 'meeting', title: 'Review', scheduledAt: s.scheduledAt, place: '' } as const;
  const request = (timing: 'in-advance' | 'on-the-day', receivedAt: string) => {
    const event = s.requested('mother', timing, receivedAt);
    if (event.type !== 'request.made') throw new Error('not a request');
    return event.payload.request;
  };

  it('HCS 2.5: a request under 48 hours before the meeting is flagged', () => {
    const hours = HERTFORDSHIRE.advanceNotice.hours;
    expect(hours).toBe(48);
    // The meeting is at 10:00 on 23 November.
    expect(isLateAdvanceRequest(meeting, request('in-advance', '2026-11-22T09:00:00+00:00'), hours)).toBe(
      true,
    );
    expect(isLateAdvanceRequest(meeting, request('in-advance', '2026-11-21T10:01:00+00:00'), hours)).toBe(
      true,
    );
    expect(isLateAdvanceRequest(meeting, request('in-advance', '2026-11-21T10:00:00+00:00'), hours)).toBe(
      false,
    );
    expect(isLateAdvanceRequest(meeting, request('in-advance', '2026-11-16T12:00:00+00:00'), hours)).toBe(
      false,
    );
    // A request on the day is not an advance request: HCS 2.6 applies instead.
    expect(isLateAdvanceRequest(meeting, request('on-the-day', '2026-11-23T09:55:00+00:00'), hours)).toBe(
      false,
    );
    // SSLSCB sets no notice period.
    expect(
      isLateAdvanceRequest(
        meeting,
        request('in-advance', '2026-11-22T09:00:00+00:00'),
        STAFFORDSHIRE_STOKE.advanceNotice.hours,
      ),
    ).toBe(false);
  });

  it('HCS 2.5: a late advance request is still allowed; attendees are told and the parent is told the decision', async () => {
    const { snapshot: inReview } = await replayed([
      ...opening(TEAM),
      s.requested('mother', 'in-advance', '2026-11-22T16:00:00+00:00'),
      { type: 'request.attendees-notified', payload: { via: 'email' } },
    ]);
    expect(inReview.context.request?.timing).toBe('in-advance');
    expect(phaseOf(inReview)).toBe('review.eligibility');

    const onTheDay = stepped([...opening(TEAM), s.requested('mother')]);
    expect(refusal(onTheDay, { type: 'request.attendees-notified', payload: { via: 'email' } })).toBe(
      'not-advance-request',
    );

    const confirmed: DomainEvent = {
      type: 'request.outcome-confirmed',
      payload: { via: 'email', note: 'Emailed on 21 Nov.' },
    };
    const decided = stepped(allAgreed);
    expect(phaseOf(decided)).toBe('ready');
    expect(decided.can(confirmed)).toBe(true);
    // There is no decision to confirm until a request has been made and decided.
    expect(refusal(stepped([...opening(TEAM), s.started]), confirmed)).toBe('no-request');
  });
});

// ---------------------------------------------------------------- the consent round

describe('HCS 2.6-2.9: the consent round', () => {
  it('HCS 2.6: every attendee present is asked, one at a time, before any discussion begins', () => {
    const round = stepped([...opening([...TEAM, people.interpreter]), ...motherAsksAndSigns]);
    expect(phaseOf(round)).toBe('review.round');
    expect(refusal(round, s.started)).toBe('not-allowed-now');
    // Only the person handed the tablet answers; the person asking is not asked.
    expect(refusal(round, gave('chair'))).toBe('not-being-asked');
    expect(refusal(round, s.asked('mother'))).toBe('requester-is-not-asked');
    expect(refusal(round, s.asked('nobody'))).toBe('unknown-attendee');
    const handed = stepped([s.asked('chair')], round);
    expect(handed.context.asking).toBe('chair');
    expect(refusal(handed, gave('sw'))).toBe('not-being-asked');

    // Everyone but the interpreter has agreed: the round is not over.
    const nearly = stepped([...s.agrees('chair'), ...s.agrees('sw'), ...s.agrees('police')], round);
    expect(phaseOf(nearly)).toBe('review.round');
    expect(nearly.can(s.started)).toBe(false);
    expect(phaseOf(stepped(s.agrees('interp'), nearly))).toBe('review.screening');

    // Someone who left before being asked is not asked, and the round does not wait for them.
    const gone = stepped([s.left('interp')], round);
    expect(refusal(gone, s.asked('interp'))).toBe('attendee-not-present');
    expect(phaseOf(stepped([...s.agrees('chair'), ...s.agrees('sw'), ...s.agrees('police')], gone))).toBe(
      'review.screening',
    );
    // But a round in which nobody present was asked permits nothing.
    const emptied = stepped([s.left('chair'), s.left('sw'), s.left('police'), s.left('interp')], round);
    expect(phaseOf(emptied)).toBe('review.screening');
    const nobody = stepped([screeningDone, s.alternativesOffered()], emptied);
    expect(nobody.context.outcome).toEqual({
      status: 'not-permitted',
      basis: 'nobody-asked',
      ref: 'HCS 2.6',
    });
  });

  it('HCS 2.6: if an earlier request is refused, someone else may still ask before discussion begins', async () => {
    const { snapshot: refused } = await replayed([
      ...opening([...TEAM, people.stepfather]),
      s.requested('stepdad', 'in-advance', '2026-11-19T12:00:00+00:00'),
      s.ineligible('Lee does not have parental responsibility for Jamie.'),
      s.alternativesOffered(),
    ]);
    expect(phaseOf(refused)).toBe('ready');
    expect(refused.context.outcome?.basis).toBe('ineligible');
    // On the day, before any discussion, the mother asks: it is an on-the-day request, not one after the start.
    expect(refusal(refused, s.requested('mother', 'after-start'))).toBe('wrong-timing');
    const asking = stepped([s.requested('mother', 'on-the-day')], refused);
    expect(phaseOf(asking)).toBe('review.eligibility');
    expect(asking.context.reviewCause).toBe('request');
    const permitted = stepped(
      [
        s.eligible('parent-with-pr'),
        s.signed('mother'),
        ...s.agrees('chair'),
        ...s.agrees('sw'),
        ...s.agrees('police'),
        ...s.agrees('stepdad'),
        screeningDone,
      ],
      asking,
    );
    expect(phaseOf(permitted)).toBe('ready');
    expect(permitted.context.outcome?.status).toBe('permitted');
    // A request already permitted is not made again.
    expect(refusal(permitted, s.requested('stepdad'))).toBe('request-in-force');
  });

  it('HCS 2.1: nothing may be recorded before permission is granted', () => {
    const noRequest = stepped([...opening(TEAM), s.started]);
    expect(phaseOf(noRequest)).toBe('discussing.notRecording');
    expect(refusal(noRequest, s.recordingStarted)).toBe('not-permitted');
    const waiting = stepped([...opening(TEAM), ...motherAsksAndSigns, ...s.agrees('chair')]);
    expect(refusal(waiting, s.recordingStarted)).toBe('not-allowed-now');
  });

  it('HCS 2.7: when all attendees agree, recording may begin', async () => {
    const { snapshot } = await replayed(allAgreed);
    expect(phaseOf(snapshot)).toBe('ready');
    expect(snapshot.context.outcome).toEqual({ status: 'permitted', basis: 'all-agreed', ref: 'HCS 2.7' });
    expect(snapshot.context.answers).toEqual({ chair: 'agreed', sw: 'agreed', police: 'agreed' });
    const discussing = stepped([s.started], snapshot);
    expect(discussing.can(s.recordingStarted)).toBe(true);
    const recording = stepped([s.recordingStarted], discussing);
    expect(phaseOf(recording)).toBe('discussing.recording');
    expect(recording.context.recording).toBe('on');
  });

  it('HCS 2.8: authorisation needed leaves recording not permitted until asked again', async () => {
    const { snapshot: waiting } = await replayed([
      ...opening(TEAM),
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
      ...s.needsAuthorisation('sw', 'I need legal advice first.'),
      ...s.agrees('police'),
      screeningDone,
      s.alternativesOffered(),
      s.started,
    ]);
    expect(waiting.context.outcome).toEqual({
      status: 'awaiting-authorisation',
      basis: 'authorisation-needed',
      ref: 'HCS 2.8',
      declinedIds: [],
      awaitingIds: ['sw'],
    });
    expect(waiting.context.answers.sw).toBe('authorisation-needed');
    expect(phaseOf(waiting)).toBe('discussing.notRecording');
    expect(refusal(waiting, s.recordingStarted)).toBe('not-permitted');

    // Legal advice has been given: everyone is asked again.
    const askedAgain = stepped([s.reviewRequested('Legal advice has been given.')], waiting);
    expect(phaseOf(askedAgain)).toBe('review.round');
    expect(askedAgain.context.answers).toEqual({});
    const permitted = stepped(
      [...s.agrees('chair'), ...s.agrees('sw'), ...s.agrees('police'), screeningDone],
      askedAgain,
    );
    expect(permitted.context.outcome?.status).toBe('permitted');
    expect(phaseOf(stepped([s.recordingStarted], permitted))).toBe('discussing.recording');
  });

  it('HCS 2.9: a refusal never cancels the meeting', async () => {
    const { snapshot } = await replayed([
      ...opening(TEAM),
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...s.declines('police', 'An investigation is under way.'),
      screeningDone,
      s.alternativesOffered(),
    ]);
    expect(snapshot.context.outcome).toEqual({
      status: 'not-permitted',
      basis: 'not-all-agreed',
      ref: 'HCS 2.8',
      declinedIds: ['police'],
      awaitingIds: [],
    });
    expect(phaseOf(snapshot)).toBe('ready');
    expect(snapshot.status).toBe('active');
    expect(snapshot.can(s.started)).toBe(true);
    const discussing = stepped([s.started], snapshot);
    expect(phaseOf(discussing)).toBe('discussing.notRecording');
    expect(refusal(discussing, s.recordingStarted)).toBe('not-permitted');
  });

  it('HCS 3.2: alternatives are recorded when recording is refused', async () => {
    const refused = stepped([
      ...opening(TEAM),
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...s.declines('police', 'An investigation is under way.'),
      screeningDone,
    ]);
    expect(phaseOf(refused)).toBe('review.alternatives');
    expect(refused.can(s.started)).toBe(false);
    expect(refusal(refused, s.alternativesOffered([], ' '))).toBe('nothing-offered');
    const offered = stepped([s.alternativesOffered(['detailed-minutes', 'minutes-sent-early'])], refused);
    expect(phaseOf(offered)).toBe('ready');
    expect(offered.context.isAlternativesOffered).toBe(true);
    // A note alone is enough to say what was offered.
    expect(step(refused, s.alternativesOffered([], 'A family support worker will take notes.')).ok).toBe(
      true,
    );
    // When recording is permitted, the step is not shown.
    const { events } = await replayed(allAgreed);
    expect(events.some((e) => e.type === 'alternatives.offered')).toBe(false);
  });
});

// ---------------------------------------------------------------- changes during the meeting

describe('HCS 2.11: changes during the meeting', () => {
  it('HCS 2.11: a newcomer pauses recording until they answer', async () => {
    const { snapshot: paused } = await replayed([...recording, s.joined(people.health)]);
    expect(phaseOf(paused)).toBe('review.round');
    expect(paused.context.recording).toBe('paused');
    expect(paused.context.reviewCause).toBe('attendee-joined');
    // Those who agreed stay agreed; only the newcomer is asked.
    expect(paused.context.answers).toEqual({ chair: 'agreed', sw: 'agreed', police: 'agreed' });
    expect(refusal(paused, s.recordingResumed)).toBe('not-allowed-now');

    const agreed = stepped(s.agrees('health'), paused);
    expect(phaseOf(agreed)).toBe('discussing.paused');
    expect(agreed.context.outcome?.status).toBe('permitted');
    const resumed = stepped([s.recordingResumed], agreed);
    expect(phaseOf(resumed)).toBe('discussing.recording');
    expect(resumed.context.recording).toBe('on');
  });

  it("HCS 2.11: a newcomer's refusal stops the recording", () => {
    const declined = stepped(
      s.declines('health', 'Not comfortable.'),
      stepped([...recording, s.joined(people.health)]),
    );
    expect(phaseOf(declined)).toBe('review.alternatives');
    const stopped = stepped([s.alternativesOffered()], declined);
    expect(phaseOf(stopped)).toBe('discussing.notRecording');
    expect(stopped.context.recording).toBe('off');
    expect(stopped.context.outcome?.status).toBe('not-permitted');
    expect(refusal(stopped, s.recordingStarted)).toBe('not-permitted');
  });

  it('HCS 2.11: a newcomer before the discussion, once recording is permitted, is asked too', () => {
    const snapshot = stepped([s.added(people.health)], stepped(allAgreed));
    expect(phaseOf(snapshot)).toBe('review.round');
    expect(snapshot.context.reviewCause).toBe('attendee-joined');
    expect(snapshot.context.outcome).toBeNull();
  });

  it('HCS 2.11: a request after the start stops the meeting for a round', async () => {
    const discussing = stepped([...opening(TEAM), s.started]);
    expect(refusal(discussing, s.requested('mother', 'on-the-day'))).toBe('wrong-timing');
    const { snapshot: stopped } = await replayed([
      ...opening(TEAM),
      s.started,
      s.requested('mother', 'after-start'),
    ]);
    expect(phaseOf(stopped)).toBe('review.eligibility');
    expect(stopped.context.reviewCause).toBe('request-after-start');
    expect(refusal(stopped, s.recordingStarted)).toBe('not-allowed-now');
    // Before discussion, the request is made in advance or on the day, not "after the start".
    expect(refusal(stepped(opening(TEAM)), s.requested('mother', 'after-start'))).toBe('wrong-timing');

    const permitted = stepped(
      [
        s.eligible('parent-with-pr'),
        s.signed('mother'),
        ...s.agrees('chair'),
        ...s.agrees('sw'),
        ...s.agrees('police'),
        screeningDone,
      ],
      stopped,
    );
    expect(phaseOf(permitted)).toBe('discussing.notRecording');
    expect(permitted.context.reviewCause).toBeNull();
    expect(permitted.can(s.recordingStarted)).toBe(true);
  });

  it('HCS 2.11: anything else that needs review pauses recording and asks everyone again', () => {
    const review = stepped([...recording, s.paused('A new concern about the child will be discussed.')]);
    expect(phaseOf(review)).toBe('review.round');
    expect(review.context.recording).toBe('paused');
    expect(review.context.reviewCause).toBe('review');
    expect(review.context.answers).toEqual({});

    const declined = stepped(
      [...s.agrees('chair'), ...s.declines('sw', 'Not for this part.'), ...s.agrees('police'), screeningDone],
      review,
    );
    expect(phaseOf(declined)).toBe('review.alternatives');
    const resumedNot = stepped([s.alternativesOffered()], declined);
    expect(phaseOf(resumedNot)).toBe('discussing.notRecording');
    expect(resumedNot.context.recording).toBe('off');
  });

  it('HCS 2.11: the chair can withdraw permission', async () => {
    const { snapshot: withdrawing } = await replayed([
      ...recording,
      s.withdrawn('The discussion became distressing.'),
    ]);
    // Recording stops at once, and other arrangements are offered before the meeting goes on (HCS 3.2).
    expect(withdrawing.context.recording).toBe('off');
    expect(phaseOf(withdrawing)).toBe('review.alternatives');
    expect(refusal(withdrawing, s.recordingResumed)).toBe('not-allowed-now');
    const snapshot = stepped([s.alternativesOffered()], withdrawing);
    expect(phaseOf(snapshot)).toBe('discussing.notRecording');
    expect(snapshot.context.recording).toBe('off');
    expect(snapshot.context.outcome).toEqual({
      status: 'not-permitted',
      basis: 'withdrawn',
      ref: 'HCS 2.11',
    });
    expect(refusal(snapshot, s.recordingStarted)).toBe('not-permitted');
    expect(snapshot.can(s.withdrawn('Again.'))).toBe(false);
    expect(refusal(snapshot, s.withdrawn('Again.'))).toBe('cannot-withdraw');
    // Permission granted but recording not yet begun can be withdrawn too, during discussion or before it.
    const notYet = stepped([
      ...allAgreed,
      s.started,
      s.withdrawn('Changed circumstances.'),
      s.alternativesOffered(),
    ]);
    expect(notYet.context.outcome?.basis).toBe('withdrawn');
    const beforeDiscussion = stepped([
      ...allAgreed,
      s.withdrawn('Changed circumstances.'),
      s.alternativesOffered(),
    ]);
    expect(phaseOf(beforeDiscussion)).toBe('ready');
    expect(beforeDiscussion.context.outcome?.basis).toBe('withdrawn');
    // There is nothing to withdraw where permission was never given.
    expect(refusal(stepped([...opening(TEAM), s.started]), s.withdrawn('No.'))).toBe('cannot-withdraw');
  });

  it('HCS 2.11: a review needs a request to review', () => {
    const noRequest = stepped([...opening(TEAM), s.started]);
    expect(refusal(noRequest, s.reviewRequested('Just checking.'))).toBe('no-request');
  });

  it('HCS 2.11: someone leaving is recorded', async () => {
    const { snapshot, events } = await replayed([...recording, s.left('police')]);
    expect(phaseOf(snapshot)).toBe('discussing.recording');
    expect(snapshot.context.attendees.find((a) => a.id === 'police')).toMatchObject({
      name: people.police.name,
      isPresent: false,
    });
    expect(events.at(-1)?.type).toBe('attendee.left');
    expect(refusal(snapshot, s.left('police'))).toBe('attendee-not-present');
    expect(refusal(snapshot, s.left('nobody'))).toBe('unknown-attendee');

    // Someone handed the tablet who leaves before answering is no longer being asked; the round goes on
    // with those present, and they are not counted as agreeing.
    const round = stepped([...opening(TEAM), ...motherAsksAndSigns, ...s.agrees('chair'), ...s.agrees('sw')]);
    const gone = stepped([s.asked('police'), s.left('police')], round);
    expect(gone.context.asking).toBeNull();
    expect(phaseOf(gone)).toBe('review.screening');
    expect(gone.context.answers).toEqual({ chair: 'agreed', sw: 'agreed' });
    expect(gone.context.answers.police).toBeUndefined();

    // Someone who said no and then leaves is still someone who said no: leaving is not agreeing.
    const declinedThenLeft = stepped(
      [...s.declines('police', 'An investigation is under way.'), s.left('police'), screeningDone],
      round,
    );
    expect(declinedThenLeft.context.answers.police).toBe('declined');
    expect(phaseOf(declinedThenLeft)).toBe('review.alternatives');
    expect(stepped([s.alternativesOffered()], declinedThenLeft).context.outcome).toEqual({
      status: 'not-permitted',
      basis: 'not-all-agreed',
      ref: 'HCS 2.8',
      declinedIds: ['police'],
      awaitingIds: [],
    });
  });
});

// ---------------------------------------------------------------- child protection conference

describe('HCS 2.12: child protection conference', () => {
  const conference = (...answers: DomainEvent[][]): DomainEvent[] => [
    ...opening([...TEAM, people.father], 'child-protection-conference'),
    ...motherAsksAndSigns,
    ...answers.flat(),
  ];

  it('HCS 2.12: professionals disagree in a conference, the chair decides and the disagreement is kept', async () => {
    const { snapshot: deciding } = await replayed(
      conference(
        s.agrees('chair'),
        s.agrees('sw'),
        s.declines('police', 'Risk to the investigation.'),
        s.agrees('father'),
        [screeningDone],
      ),
    );
    expect(phaseOf(deciding)).toBe('review.decision');
    expect(refusal(deciding, s.started)).toBe('not-allowed-now');

    const disagreements = 'Police objected: risk to the investigation. Social worker and chair agreed.';
    const { snapshot, events } = await replayed([
      ...conference(
        s.agrees('chair'),
        s.agrees('sw'),
        s.declines('police', 'Risk to the investigation.'),
        s.agrees('father'),
        [screeningDone],
      ),
      s.chairDecided('permitted', 'The record helps the family follow the plan.', disagreements),
    ]);
    expect(phaseOf(snapshot)).toBe('ready');
    expect(snapshot.context.outcome).toEqual({
      status: 'permitted',
      basis: 'chair-decided',
      ref: 'HCS 2.12',
      declinedIds: ['police'],
      awaitingIds: [],
    });
    expect(snapshot.context.decision).toBe('permitted');
    // The disagreement stays on the record: the objection and the notes of the decision.
    expect(snapshot.context.answers.police).toBe('declined');
    const decided = events.find((e) => e.type === 'chair.decided');
    expect(decided?.payload).toMatchObject({ disagreements });

    // The disagreements the decision settles must be noted: a blank note is refused, for that field.
    expect(rejection(deciding, s.chairDecided('permitted', 'The record helps the family.', ' '))).toEqual({
      code: 'disagreements-required',
      field: 'disagreements',
    });
    const refused = stepped(
      [s.chairDecided('not-permitted', 'The investigation comes first.', disagreements)],
      deciding,
    );
    expect(phaseOf(refused)).toBe('review.alternatives');
    expect(stepped([s.alternativesOffered()], refused).context.outcome?.basis).toBe('chair-decided');
  });

  it("HCS 2.12: the chair cannot override a parent's objection", () => {
    const casts: Array<[DomainEvent[], string[]]> = [
      // The father objects; every professional agrees.
      [
        conference(s.agrees('chair'), s.agrees('sw'), s.agrees('police'), s.declines('father', 'No.')),
        ['father'],
      ],
      // The father and a professional object; another professional agrees.
      [
        conference(
          s.agrees('chair'),
          s.agrees('sw'),
          s.declines('police', 'Risk.'),
          s.declines('father', 'No.'),
        ),
        ['police', 'father'],
      ],
    ];
    for (const [events, declinedIds] of casts) {
      const screening = stepped(events);
      expect(derivedGrounds(screening.context)).toContain('pr-holder-objected');
      const screened = stepped(
        s.screened([
          'pr-holder-objected',
          'dismissed',
          'The father has PR; his objection stands as an answer.',
        ]),
        screening,
      );
      expect(phaseOf(screened)).toBe('review.alternatives');
      expect(refusal(screened, s.chairDecided('permitted', 'I decide to allow it.', 'Father objects.'))).toBe(
        'not-allowed-now',
      );
      expect(stepped([s.alternativesOffered()], screened).context.outcome).toEqual({
        status: 'not-permitted',
        basis: 'not-all-agreed',
        ref: 'HCS 2.8',
        declinedIds,
        awaitingIds: [],
      });
    }
  });

  it('HCS 2.12: outside a child protection conference the chair does not decide between professionals', () => {
    const snapshot = stepped([
      ...opening(TEAM, 'meeting'),
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...s.declines('police', 'Risk.'),
      screeningDone,
    ]);
    expect(phaseOf(snapshot)).toBe('review.alternatives');
    expect(refusal(snapshot, s.chairDecided('permitted', 'Allowed.', 'Police objected.'))).toBe(
      'not-allowed-now',
    );
  });
});

// ---------------------------------------------------------------- conversations

describe('HCS 2.2-2.4: a conversation outside a meeting', () => {
  const conversation = [
    ...opening([people.mother, people.socialWorker], 'conversation'),
    s.requested('mother'),
  ];

  it('HCS 2.2-2.3: the parent asks before the discussion; the professional agreeing lets it be recorded', () => {
    const round = stepped(conversation);
    // No eligibility check or undertaking in a conversation: the professional is asked straight away.
    expect(phaseOf(round)).toBe('review.round');
    const agreed = stepped(s.agrees('sw'), round);
    expect(phaseOf(agreed)).toBe('ready');
    expect(agreed.context.outcome).toEqual({ status: 'permitted', basis: 'all-agreed', ref: 'HCS 2.3' });
    expect(stepped([s.started], agreed).can(s.recordingStarted)).toBe(true);
  });

  it('HCS 2.4: a professional declining in a conversation must give a reason', async () => {
    const handed = stepped([...conversation, s.asked('sw')]);
    const declined = (reason: string): DomainEvent => ({
      type: 'consent.declined',
      payload: { attendeeId: 'sw', reason },
    });
    expect(rejection(handed, declined(''))).toEqual({ code: 'reason-required', field: 'reason' });
    expect(rejection(handed, declined('   '))).toEqual({ code: 'reason-required', field: 'reason' });

    const { snapshot } = await replayed([
      ...conversation,
      ...s.declines('sw', 'Safeguarding details of a third party.'),
    ]);
    // The conversation goes on, without the recording device; no alternatives step for a conversation.
    expect(phaseOf(snapshot)).toBe('ready');
    expect(snapshot.context.outcome).toEqual({
      status: 'not-permitted',
      basis: 'not-all-agreed',
      ref: 'HCS 2.4',
      declinedIds: ['sw'],
      awaitingIds: [],
    });
    const talking = stepped([s.started], snapshot);
    expect(phaseOf(talking)).toBe('discussing.notRecording');
    expect(refusal(talking, s.recordingStarted)).toBe('not-permitted');
  });
});

// ---------------------------------------------------------------- the SSLSCB profile

describe('SSLSCB profile', () => {
  const sslscb = (kind: 'meeting' | 'child-protection-conference' = 'meeting') =>
    opening([...TEAM, people.stepfather], kind, 'staffordshire-stoke');

  it("SSLSCB: under the notice profile nobody's no forbids recording but every view is recorded", async () => {
    const { snapshot } = await replayed([
      ...sslscb(),
      s.requested('mother'),
      s.signed('mother', 'staffordshire-stoke'),
      ...s.agrees('chair'),
      ...s.declines('sw', 'I would rather not be recorded.'),
      ...s.needsAuthorisation('police', 'Ask the inspector.'),
      ...s.declines('stepdad', 'No.'),
    ]);
    // No screening, no decision, no alternatives: the views are noted and recording goes ahead.
    expect(phaseOf(snapshot)).toBe('ready');
    expect(snapshot.context.outcome).toEqual({
      status: 'permitted',
      basis: 'notice-model',
      ref: STAFFORDSHIRE_STOKE.decisionModel.ref,
    });
    expect(snapshot.context.answers).toEqual({
      chair: 'agreed',
      sw: 'declined',
      police: 'authorisation-needed',
      stepdad: 'declined',
    });
    expect(phaseOf(stepped([s.started, s.recordingStarted], snapshot))).toBe('discussing.recording');
  });

  it('SSLSCB: anyone present may ask, and is still asked to sign the SSLSCB undertaking', () => {
    const snapshot = stepped([...sslscb(), s.requested('stepdad')]);
    expect(phaseOf(snapshot)).toBe('review.undertaking');
    expect(refusal(snapshot, s.signed('stepdad', 'hertfordshire'))).toBe('undertaking-text-mismatch');
    expect(phaseOf(stepped([s.signed('stepdad', 'staffordshire-stoke')], snapshot))).toBe('review.round');
  });

  it('SSLSCB: declining to sign does not end the request; views are still sought', () => {
    const snapshot = stepped([...sslscb(), s.requested('mother'), s.declinedToSign('mother')]);
    expect(snapshot.context.undertaking).toEqual({ mother: 'declined' });
    expect(phaseOf(snapshot)).toBe('review.round');
    // The request goes on: the views given make it permitted under the notice model.
    const noted = stepped(
      [...s.agrees('chair'), ...s.agrees('sw'), ...s.agrees('police'), ...s.agrees('stepdad')],
      snapshot,
    );
    expect(noted.context.outcome?.basis).toBe('notice-model');
  });

  it('SSLSCB: there are no refusal grounds and the chair records views rather than deciding', () => {
    expect(STAFFORDSHIRE_STOKE.refusalGrounds).toEqual([]);
    const conference = stepped([
      ...sslscb('child-protection-conference'),
      s.requested('mother'),
      s.signed('mother', 'staffordshire-stoke'),
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...s.declines('police', 'Risk.'),
      ...s.declines('stepdad', 'No.'),
    ]);
    expect(derivedGrounds(conference.context)).toEqual([]);
    expect(phaseOf(conference)).toBe('ready');
    expect(conference.context.outcome?.basis).toBe('notice-model');
    expect(conference.can(s.chairDecided('not-permitted', 'No.'))).toBe(false);
  });

  it('SSLSCB: a newcomer still pauses recording, and their view is recorded', () => {
    const recording = stepped([
      ...sslscb(),
      s.requested('mother'),
      s.signed('mother', 'staffordshire-stoke'),
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...s.agrees('police'),
      ...s.agrees('stepdad'),
      s.started,
      s.recordingStarted,
    ]);
    const joined = stepped([s.joined(people.health)], recording);
    expect(phaseOf(joined)).toBe('review.round');
    expect(joined.context.recording).toBe('paused');
    const back = stepped([...s.declines('health', 'Rather not.'), s.recordingResumed], joined);
    expect(phaseOf(back)).toBe('discussing.recording');
    expect(back.context.answers.health).toBe('declined');
  });
});

// ---------------------------------------------------------------- covert recording, illegal events, purpose

describe('any step of the meeting', () => {
  it('HCS 1.1: covert recording suspected is accepted at any open step', () => {
    const covert = s.covertSuspected('A phone was seen recording under the table.');
    const snapshots = walk([
      ...opening([...TEAM, people.father], 'child-protection-conference'),
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...s.declines('police', 'Risk.'),
      ...s.agrees('father'),
      screeningDone,
      s.chairDecided('not-permitted', 'Risk to the investigation.', 'Police objected; the others agreed.'),
      s.alternativesOffered(),
      s.started,
      s.reviewRequested('The police officer has taken advice.'),
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...s.agrees('police'),
      ...s.agrees('father'),
      screeningDone,
      s.recordingStarted,
      s.joined(people.health),
      ...s.agrees('health'),
      s.recordingResumed,
      ...s.confirmedAndClosed,
    ]);
    const open = snapshots.filter((snap) => snap.status === 'active' && phaseOf(snap) !== 'new');
    const phases = new Set(open.map(phaseOf));
    expect([...phases].sort()).toEqual(
      [
        'preparing',
        'review.eligibility',
        'review.undertaking',
        'review.round',
        'review.screening',
        'review.decision',
        'review.alternatives',
        'ready',
        'discussing.notRecording',
        'discussing.recording',
        'discussing.paused',
      ].sort(),
    );
    for (const snap of open) {
      const result = step(snap, covert);
      expect(result.ok, phaseOf(snap)).toBe(true);
      if (result.ok) expect(phaseOf(result.snapshot)).toBe(phaseOf(snap));
    }
    expect(refusal(initialSnapshot(), covert)).toBe('not-allowed-now');
    expect(refusal(snapshots.at(-1) as MeetingSnapshot, covert)).toBe('not-allowed-now');
    // The advice shown differs by profile.
    expect(HERTFORDSHIRE.covertRecording.ref).toBe('HCS 1.1');
    expect(STAFFORDSHIRE_STOKE.covertRecording.advice).toMatch(/safeguarding lead/);
  });

  it('illegal events are rejected with a reason code, never silently ignored', async () => {
    const preparing = stepped(opening(TEAM));
    const cases: Array<[MeetingSnapshot, DomainEvent, RejectionCode]> = [
      [initialSnapshot(), s.added(people.chair), 'not-allowed-now'],
      [preparing, gave('chair'), 'not-allowed-now'],
      [preparing, s.recordingStarted, 'not-allowed-now'],
      [preparing, s.added(people.chair), 'duplicate-attendee'],
      [preparing, s.added({ ...people.youngPerson, id: 'yp2', subjectChildId: 'child-9' }), 'unknown-child'],
      [preparing, s.requested('father'), 'unknown-attendee'],
      [stepped([s.left('police')], preparing), s.requested('police'), 'requester-not-present'],
      [stepped(opening([people.mother])), s.requested('mother'), 'nobody-to-ask'],
      [
        preparing,
        { type: 'attendee.added', payload: { attendee: { id: 'x y', name: '', role: 'chair' } } },
        'field-invalid',
      ],
      [stepped([...recording, ...s.confirmedAndClosed]), s.started, 'not-allowed-now'],
      [stepped(recording), s.requested('mother', 'after-start'), 'request-in-force'],
      [stepped(recording), s.added(people.health), 'not-allowed-now'],
    ];
    for (const [snapshot, event, code] of cases) {
      // `can` judges a well-formed event; the shape of an event is checked by `step` (its schema).
      if (!code.startsWith('field-'))
        expect(snapshot.can(event), `${event.type} at ${phaseOf(snapshot)}`).toBe(false);
      expect(refusal(snapshot, event), `${event.type} at ${phaseOf(snapshot)}`).toBe(code);
    }

    // A log that holds an illegal event does not replay: the event is named, and the meeting stops before it.
    const log = await s.sealAll([...opening(TEAM), gave('chair'), s.started]);
    const result = await replay(log);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error).toMatchObject({ code: 'illegal-transition', index: 5, seq: 6 });
      expect(result.validCount).toBe(5);
      expect(phaseOf(result.snapshot)).toBe('preparing');
    }
  });

  it('HCS 1.2: the reasons for recording are offered as choices, in both profiles', () => {
    expect(PURPOSE_REASONS).toEqual(
      expect.arrayContaining(['learning-disability', 'literacy', 'memory', 'stress', 'exact-record']),
    );
    for (const profileId of ['hertfordshire', 'staffordshire-stoke'] as const) {
      const preparing = stepped(opening(TEAM, 'meeting', profileId));
      const request = s.requested('mother');
      if (request.type !== 'request.made') throw new Error('not a request');
      const odd = {
        type: 'request.made',
        payload: { request: { ...request.payload.request, reasons: ['because'] } },
      } as unknown as DomainEvent;
      expect(rejection(preparing, odd)).toEqual({ code: 'field-invalid', field: 'request.reasons.0' });
      expect(step(preparing, request).ok).toBe(true);
    }
  });
});
