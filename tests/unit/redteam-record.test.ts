/**
 * Adversarial review of the record: sequences of events the meeting accepts, checked against what the
 * guidance (HCS, SSLSCB), the product's decisions (DOMAIN.md) and the minute style say must be true.
 * Each test is named after the paragraph or decision it protects and asserts the true behaviour: where
 * the domain may fix a problem either by refusing an event or by recording it truthfully, the test
 * accepts either, but never a false or misleading minute.
 */
import { describe, expect, it } from 'vitest';
import { type MeetingSnapshot, phaseOf } from '../../src/domain/engine';
import type { DomainEvent } from '../../src/domain/events';
import { minuteEntry, renderMinuteText } from '../../src/domain/minutes';
import { replay } from '../../src/domain/replay';
import { groundStandings } from '../../src/domain/rules';
import * as s from '../support/scenario';
import {
  allAgreed,
  itemLines,
  motherAsksAndSigns,
  opening,
  recording,
  rejectionOf,
  screeningDone,
  stepped,
  TEAM,
} from '../support/steps';

const { people } = s;

// ---------------------------------------------------------------- helpers

type Attempt =
  | { ok: false; index: number; message: string }
  | {
      ok: true;
      snapshot: MeetingSnapshot;
      text: string;
      lines: string[];
      outcomeLine: string;
      entry: ReturnType<typeof minuteEntry>;
    };

/** Seals and replays the log as the app does; when accepted, renders the minute entry. */
async function attempt(events: readonly DomainEvent[]): Promise<Attempt> {
  const log = await s.sealAll(events);
  const result = await replay(log);
  if (!result.ok) return { ok: false, index: result.error.index, message: result.error.message };
  const entry = minuteEntry(log);
  const text = renderMinuteText(entry);
  return {
    ok: true,
    snapshot: result.snapshot,
    text,
    lines: itemLines(text),
    outcomeLine: outcomeOf(text),
    entry,
  };
}

/** The same, failing the test if any event is refused. */
async function recorded(events: readonly DomainEvent[]) {
  const result = await attempt(events);
  if (!result.ok) throw new Error(`replay refused event ${result.index}: ${result.message}`);
  expect(result.entry.isComplete).toBe(true);
  return result;
}

const outcomeOf = (text: string): string => text.split('\n').find((l) => l.startsWith('Outcome: ')) ?? '';

const declined = (attendeeId: string, reason: string, reasonChoices?: string[]): DomainEvent[] => [
  s.asked(attendeeId),
  {
    type: 'consent.declined',
    payload: { attendeeId, reason, ...(reasonChoices ? { reasonChoices } : {}) },
  } as DomainEvent,
];

const EVERYONE_AGREED = /everyone (present|asked) agreed/;
const NOTHING_DECIDED = 'no request to record was decided';

// ================================================================ findings: the record can be made false

describe('Closing in the middle of a review (HCS 2.10, 3.2; DOMAIN decisions: withdrawal)', () => {
  it('HCS 3.2 / decisions: a withdrawal cannot end in a closed meeting that says nothing was decided and offered nothing', async () => {
    const result = await attempt([...recording, s.withdrawn('Threat to post it online.'), s.closed]);
    // Either closing waits for the other arrangements, or the record still says permission was withdrawn.
    if (result.ok) {
      expect(result.outcomeLine).not.toContain(NOTHING_DECIDED);
      expect(result.outcomeLine).toMatch(/withdr/);
    }
  });

  it('HCS 2.10: a meeting closed while recording is paused for a review does not say no request was decided', async () => {
    const result = await attempt([...recording, s.paused('A question about a sibling.'), s.closed]);
    if (result.ok) {
      // Recording took place under a permission that was granted: "nothing was decided" contradicts it.
      expect(result.outcomeLine).toContain('Recording took place from 10:14 to 10:15');
      expect(result.outcomeLine).not.toContain(NOTHING_DECIDED);
    }
  });
});

describe('Corrections, never deletions (DOMAIN decisions)', () => {
  it('decisions: a meeting whose request was answered and decided cannot be discarded after the chair asks again', () => {
    const asked = stepped([...allAgreed, s.reviewRequested('Legal advice came back.')]);
    expect(rejectionOf(asked, s.discarded('Opened in error.'))?.code).toBe('cannot-discard');
  });

  it('decisions: a meeting whose first request was decided cannot be discarded once the same person asks again', () => {
    const refusedThenAskedAgain = stepped([
      ...opening(TEAM),
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...declined('police', 'Live investigation.'),
      screeningDone,
      s.alternativesOffered(),
      s.requested('mother'),
    ]);
    expect(rejectionOf(refusedThenAskedAgain, s.discarded('Opened in error.'))?.code).toBe('cannot-discard');
  });

  it('decisions: someone who answered in an earlier round cannot be removed as added in error', () => {
    const asked = stepped([...allAgreed, s.reviewRequested('Asking again.')]);
    expect(rejectionOf(asked, s.removed('police', 'Added in error.'))?.code).toBe('cannot-remove');
  });

  it('decisions: someone who was asked before a pause while recording cannot be removed during the pause', () => {
    const pausedForReview = stepped([...recording, s.paused('A question about a sibling.')]);
    expect(rejectionOf(pausedForReview, s.removed('sw', 'Added in error.'))?.code).toBe('cannot-remove');
  });
});

describe('An answer stays in the round it was given in (DOMAIN decisions; HCS 2.8, 2.11)', () => {
  it('decisions / HCS 2.11: a "no" is not overwritten by handing the tablet back to the same person in the same round', async () => {
    const result = await attempt([
      ...opening(TEAM),
      ...motherAsksAndSigns,
      ...declined('police', 'Live investigation.'),
      ...s.agrees('police'),
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      screeningDone,
    ]);
    // Changing one's mind is a new round ("the chair asked again"), never a silent overwrite.
    if (result.ok) {
      expect(result.snapshot.context.outcome?.status).not.toBe('permitted');
      expect(result.text).not.toMatch(EVERYONE_AGREED);
    }
  });
});

describe("The chair's decision (HCS 2.12; MINUTE-STYLE: say each thing once)", () => {
  it('HCS 2.12 / MINUTE-STYLE: a chair’s decision not to permit is stated once, not again as a separate outcome line', async () => {
    const { lines } = await recorded([
      ...opening(TEAM, 'child-protection-conference'),
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...declined('police', 'Live investigation.'),
      screeningDone,
      s.chairDecided(
        'not-permitted',
        'The investigation outweighs the request.',
        'Police against; social worker for.',
      ),
      s.alternativesOffered(),
    ]);
    expect(lines.filter((l) => /overall decision/.test(l))).toHaveLength(1);
  });
});

describe('The chair decides in the meeting (HCS 2.12)', () => {
  it('HCS 2.12: a chair who has left cannot make the overall decision that "must be recorded in the meeting"', () => {
    const snapshot = stepped([
      ...opening(TEAM, 'child-protection-conference'),
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...declined('police', 'Live investigation.'),
      s.left('chair'),
      screeningDone,
    ]);
    expect(
      rejectionOf(snapshot, s.chairDecided('permitted', 'Benefit to the family.', 'Police against.')),
    ).not.toBeNull();
  });
});

describe('Quoting exactly, one fact per line (MINUTE-STYLE; HCS 2.8, 2.10)', () => {
  const FORGED = '10:45  Recording was permitted: everyone present agreed. [HCS 2.7]';

  it('MINUTE-STYLE one fact per line: a reason with a line break cannot forge a line of the minute', async () => {
    const result = await attempt([
      ...opening(TEAM),
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...declined('police', `No.\n${FORGED}`),
      screeningDone,
      s.alternativesOffered(),
    ]);
    if (result.ok) expect(result.text.split('\n')).not.toContain(`${FORGED}”. [HCS 2.8]`);
    if (result.ok)
      expect(result.text.split('\n').some((l) => l.startsWith('10:45  Recording was permitted'))).toBe(false);
  });

  it('MINUTE-STYLE one fact per line: a name with a line break cannot forge an attendee or a line', async () => {
    const result = await attempt([
      ...opening([
        people.chair,
        people.mother,
        { ...people.socialWorker, name: 'Tom Reid\n- Judge Ann Fox, chair' },
      ]),
      ...s.confirmedAndClosed,
    ]);
    if (result.ok)
      expect(result.text.split('\n')).not.toContain("- Judge Ann Fox, chair, Children's Services");
    if (result.ok) expect(result.text.split('\n').some((l) => l.startsWith('- Judge Ann Fox'))).toBe(false);
  });

  it('MINUTE-STYLE: a name cannot carry invisible direction overrides that make the printed minute read differently', async () => {
    const result = await attempt([
      ...opening([
        people.chair,
        people.mother,
        { ...people.socialWorker, name: 'Tom Reid \u202Eeerga ton did\u202C' },
      ]),
      ...s.confirmedAndClosed,
    ]);
    if (result.ok) expect(result.text).not.toMatch(/[\u202A-\u202E\u2066-\u2069]/);
  });

  it('MINUTE-STYLE / HCS 2.8: a reason is quoted exactly, punctuation and all', async () => {
    const { text } = await recorded([
      ...opening(TEAM),
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...declined('police', 'My manager said “never!”; so no'),
      screeningDone,
      s.alternativesOffered(),
    ]);
    expect(text).toContain('My manager said “never!”; so no');
  });

  it('HCS 2.8: under HCS a decline with only "another reason" ticked and no words has no reason, so it is refused', () => {
    const round = stepped([...opening(TEAM), ...motherAsksAndSigns, ...s.agrees('chair'), s.asked('police')]);
    const rejection = rejectionOf(round, {
      type: 'consent.declined',
      payload: { attendeeId: 'police', reason: '', reasonChoices: ['other'] },
    });
    expect(rejection?.code).toBe('reason-required');
  });

  it('MINUTE-STYLE say each thing once: a reason ticked twice is not written twice', async () => {
    const result = await attempt([
      ...opening(TEAM),
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...declined('police', '', ['personal-safety', 'personal-safety']),
      screeningDone,
      s.alternativesOffered(),
    ]);
    if (result.ok) {
      const line = result.lines.find((l) => l.startsWith('DC Anna Webb (police) did not agree')) ?? '';
      expect(line.match(/personal safety/gi)).toHaveLength(1);
    }
  });
});

describe('Screening (HCS 1.4) tells the truth', () => {
  it('HCS 1.4: the minute never says a ground was ruled out by the facts and also that it applied', async () => {
    const result = await attempt([
      ...allAgreed.slice(0, -1),
      {
        type: 'ground.confirmed',
        payload: { ground: 'child-objected', note: 'Jamie told his social worker he objects.' },
      },
      screeningDone,
      s.alternativesOffered(),
    ]);
    if (result.ok) {
      const screening = result.lines.find((l) => l.startsWith('The chair considered the grounds')) ?? '';
      expect(screening).toContain('the child or young person objected');
      expect(screening).not.toContain('no child the meeting is about objected');
    }
  });

  it('HCS 1.4 ground 2: an absent PR holder’s objection is not forgotten when the request is made again', async () => {
    const { lines, snapshot } = await recorded([
      ...opening(TEAM),
      ...motherAsksAndSigns,
      s.prHolderObjected('Mark Doe', 'Phoned the chair: he objects.'),
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...s.agrees('police'),
      ...s.screened(['pr-holder-objected', 'confirmed', 'Father objects.']),
      s.alternativesOffered(),
      // The same parent asks again a few minutes later: the father's objection still stands.
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...s.agrees('police'),
      ...s.screened(['pr-holder-objected', 'dismissed', 'Considered again.']),
    ]);
    expect(groundStandings(snapshot.context).find((g) => g.ground === 'pr-holder-objected')?.standing).toBe(
      'raised',
    );
    expect(lines.some((l) => l.includes('nobody with parental responsibility objected'))).toBe(false);
  });

  it('HCS 1.4 ground 3: a child who objected and then agrees when asked again is not refused on a ground the facts now rule out', async () => {
    const result = await recorded([
      ...opening([people.chair, people.mother, people.youngPerson, people.socialWorker]),
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
      ...declined('yp', 'I do not want it.'),
      ...s.agrees('sw'),
      ...s.screened(['child-objected', 'confirmed', 'Jamie objects.']),
      s.alternativesOffered(),
      s.reviewRequested('Jamie talked with his advocate and has changed his mind.'),
      ...s.agrees('chair'),
      ...s.agrees('yp'),
      ...s.agrees('sw'),
      screeningDone,
    ]);
    const screening =
      result.lines.filter((l) => l.startsWith('The chair considered the grounds')).at(-1) ?? '';
    // The second screening must not say both "no child objected" and "the child objected" applied.
    expect(
      screening.includes('no child the meeting is about objected') &&
        screening.includes('applied: the child or young person objected'),
    ).toBe(false);
    expect(phaseOf(result.snapshot)).toBe('ready');
    expect(result.snapshot.context.outcome).toMatchObject({ status: 'permitted', basis: 'all-agreed' });
  });

  it('HCS 1.4 ground 1: a parent found not eligible (no PR) no longer raises ground 1 against the eligible requester', () => {
    const snapshot = stepped([
      ...opening([people.chair, people.mother, people.stepfather, people.socialWorker]),
      {
        type: 'request.made',
        payload: {
          request: {
            requesterId: 'stepdad',
            additionalRequesterIds: ['mother'],
            reasons: ['memory'],
            purpose: 'To listen again.',
            timing: 'on-the-day',
            receivedVia: 'in-person',
            receivedAt: '2026-11-23T09:55:00+00:00',
          },
        },
      },
      {
        type: 'eligibility.refused',
        payload: { reason: 'No parental responsibility.', requesterId: 'stepdad' },
      },
      { type: 'eligibility.confirmed', payload: { basis: 'parent-with-pr', requesterId: 'mother' } },
      s.signed('mother'),
      ...s.agrees('chair'),
      ...s.agrees('sw'),
    ]);
    // Sarah Doe, who is still asking, has parental responsibility for every subject child.
    expect(
      groundStandings(snapshot.context).find((g) => g.ground === 'no-parental-responsibility')?.standing,
    ).toBe('ruled-out');
  });
});

describe('The undertaking is signed in the room (HCS 1.3, 3.3)', () => {
  it('HCS 1.3 / 3.3: a requester who has left cannot be recorded as signing the undertaking on the tablet', () => {
    const left = stepped([...opening(TEAM), s.requested('mother'), s.left('mother'), s.eligible()]);
    const rejection = rejectionOf(left, s.signed('mother'));
    expect(rejection).not.toBeNull();
    expect(['requester-not-present', 'attendee-not-present']).toContain(rejection?.code);
  });
});

describe('Returning and arriving during a review (HCS 2.11)', () => {
  it('HCS 2.11: someone who returns while a newcomer’s review is under way is asked again', () => {
    const snapshot = stepped([
      ...recording,
      s.left('police'),
      s.joined(people.interpreter),
      s.returned('police'),
      ...s.agrees('interp'),
    ]);
    expect(snapshot.context.answers.police).toBeUndefined();
    expect(phaseOf(snapshot)).toBe('review.round');
  });

  it('HCS 2.11 / MINUTE-STYLE: someone arriving after permission, before discussion, is minuted with the re-ask', async () => {
    const { lines } = await recorded([
      ...allAgreed,
      s.added(people.interpreter),
      ...s.agrees('interp'),
      s.started,
    ]);
    const agreedAt = lines.indexOf('Maria Silva (interpreter) agreed.');
    const arrivedAt = lines.findIndex((l) =>
      /^Maria Silva \(interpreter\) (joined|arrived|was added)/.test(l),
    );
    expect(arrivedAt).toBeGreaterThanOrEqual(0);
    expect(arrivedAt).toBeLessThan(agreedAt);
  });

  it('decisions (the requester leaving): the minute does not say recording may resume while the person recording is away', async () => {
    const { lines, snapshot } = await recorded([
      ...recording,
      s.joined(people.interpreter),
      s.left('mother'),
      ...s.agrees('interp'),
    ]);
    expect(snapshot.context.recording).toBe('paused');
    expect(lines.some((l) => l.includes('recording may resume'))).toBe(false);
  });
});

describe('The request states its purpose (HCS 2.2, 2.5; DOMAIN: the minute entry says for what purpose)', () => {
  const noPurpose: DomainEvent = {
    type: 'request.made',
    payload: {
      request: {
        requesterId: 'mother',
        reasons: [],
        purpose: '',
        timing: 'on-the-day',
        receivedVia: 'in-person',
        receivedAt: '2026-11-23T09:55:00+00:00',
      },
    },
  };

  it('HCS 2.2: in a conversation, a request that gives no purpose at all is refused', () => {
    const snapshot = stepped([
      s.opened('conversation'),
      s.added(people.mother),
      s.added(people.socialWorker),
    ]);
    expect(rejectionOf(snapshot, noPurpose)).not.toBeNull();
  });

  it('HCS 2.5 / 2.10: under HCS, a meeting request that gives no purpose at all is refused', () => {
    const snapshot = stepped(opening(TEAM));
    expect(rejectionOf(snapshot, noPurpose)).not.toBeNull();
  });

  it('HCS 2.5 / decisions: a correction cannot blank the purpose out of a request', () => {
    const snapshot = stepped([...opening(TEAM), s.requested('mother')]);
    expect(
      rejectionOf(snapshot, { type: 'request.corrected', payload: { purpose: '', reasons: [] } }),
    ).not.toBeNull();
  });
});

describe('Conversations (HCS 2.2-2.4)', () => {
  it('HCS 2.2-2.4: a case note of a conversation never says a meeting resumed', async () => {
    const { lines } = await recorded([
      s.opened('conversation'),
      s.added(people.mother),
      s.added(people.socialWorker),
      s.started,
      s.requested('mother', 'after-start'),
      ...s.agrees('sw'),
      s.recordingStarted,
    ]);
    expect(lines.some((l) => /\bmeeting\b/.test(l))).toBe(false);
  });
});

describe('Times and dates (DOMAIN decisions: time runs forward; HCS 2.5)', () => {
  it('decisions: replay refuses a log whose times run backwards', async () => {
    const log = await s.sealAll([
      ...opening(TEAM),
      s.timed('2026-11-23T10:30:00+00:00', s.requested('mother')),
      s.timed('2026-11-23T09:00:00+00:00', s.eligible()),
    ]);
    const result = await replay(log);
    expect(result.ok).toBe(false);
  });

  it('HCS 2.5 / decisions: a request cannot be recorded as received after the moment it was recorded', async () => {
    const result = await attempt([
      s.timed('2026-11-19T09:00:00+00:00', s.opened()),
      ...TEAM.map(s.added),
      // Written on 19 November, saying it was received on 20 November.
      s.timed('2026-11-19T10:00:00+00:00', s.requested('mother', 'in-advance', '2026-11-20T09:00:00+00:00')),
    ]);
    expect(result.ok).toBe(false);
  });

  it('HCS 2.5: a request received after the meeting’s time is not a request made in advance', () => {
    const prepared = stepped(opening(TEAM));
    const rejection = rejectionOf(prepared, s.requested('mother', 'in-advance', '2026-11-24T09:00:00+00:00'));
    expect(rejection).not.toBeNull();
  });
});

describe('The chair confirms the minute entry (HCS 2.10; DOMAIN decisions)', () => {
  it('decisions: the chair confirms the minute entry before the meeting closes', () => {
    const started = stepped([...allAgreed, s.started]);
    expect(rejectionOf(started, s.closed)).not.toBeNull();
  });

  it('decisions: only the chair the attendee list names confirms, not a second person given the chair role', () => {
    const snapshot = stepped([...opening(TEAM), s.added({ id: 'chair2', name: 'Bob Stone', role: 'chair' })]);
    expect(rejectionOf(snapshot, s.confirmed('chair2'))?.code).toBe('not-the-chair');
  });

  it('HCS 2.10: a chair who has left the meeting cannot confirm its minute entry on the tablet', () => {
    const snapshot = stepped([...allAgreed, s.started, s.left('chair')]);
    expect(rejectionOf(snapshot, s.confirmed())).not.toBeNull();
  });
});

// ================================================================ guards: behaviour that holds today

describe('Guards: recording needs permission and the person recording (HCS 2.1, 2.7; decisions)', () => {
  it('HCS 2.1: recording cannot start before permission is given', () => {
    const snapshot = stepped([...opening(TEAM), s.started]);
    expect(rejectionOf(snapshot, s.recordingStarted)?.code).toBe('not-permitted');
  });

  it('HCS 2.8: recording cannot start while one attendee still needs advice', () => {
    const snapshot = stepped([
      ...opening(TEAM),
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...s.needsAuthorisation('police', 'Needs to check with the SIO.'),
      screeningDone,
      s.alternativesOffered(),
      s.started,
    ]);
    expect(snapshot.context.outcome?.status).toBe('awaiting-authorisation');
    expect(rejectionOf(snapshot, s.recordingStarted)?.code).toBe('not-permitted');
  });

  it('decisions: recording cannot start while the person asking is out of the room', () => {
    const snapshot = stepped([...allAgreed, s.started, s.left('mother')]);
    expect(rejectionOf(snapshot, s.recordingStarted)?.code).toBe('requester-not-present');
  });

  it('decisions: the requester leaving stops the recording, and the minute says so with the time', async () => {
    const { snapshot, lines, outcomeLine } = await recorded([...recording, s.left('mother')]);
    expect(snapshot.context.recording).toBe('paused');
    expect(rejectionOf(snapshot, s.recordingResumed)?.code).toBe('requester-not-present');
    expect(lines).toContain(
      'Sarah Doe (parent or carer), who was recording, left. Recording stopped, as the recording device left with them; the chair will decide whether it resumes if they return.',
    );
    expect(outcomeLine).toContain('Recording took place from 10:14 to 10:15.');
  });

  it('HCS 1.3: with two requesters, one not eligible, recording stops when the eligible one leaves', () => {
    const snapshot = stepped([
      ...opening([people.chair, people.mother, people.stepfather, people.socialWorker]),
      {
        type: 'request.made',
        payload: {
          request: {
            requesterId: 'stepdad',
            additionalRequesterIds: ['mother'],
            reasons: ['memory'],
            purpose: 'To listen again.',
            timing: 'on-the-day',
            receivedVia: 'in-person',
            receivedAt: '2026-11-23T09:55:00+00:00',
          },
        },
      },
      {
        type: 'eligibility.refused',
        payload: { reason: 'No parental responsibility.', requesterId: 'stepdad' },
      },
      { type: 'eligibility.confirmed', payload: { basis: 'parent-with-pr', requesterId: 'mother' } },
      s.signed('mother'),
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      // Ground 1 is ruled out: the one requester still asking has parental responsibility.
      ...s.screened(),
      s.started,
      s.recordingStarted,
      s.left('mother'),
    ]);
    expect(snapshot.context.recording).toBe('paused');
    expect(rejectionOf(snapshot, s.recordingResumed)?.code).toBe('requester-not-present');
  });

  it('HCS 1.3: a requester found not eligible ends the request; nothing can be recorded', () => {
    const snapshot = stepped([
      ...opening([people.chair, people.stepfather, people.socialWorker]),
      s.requested('stepdad'),
      s.ineligible('No parental responsibility for Jamie.'),
      s.alternativesOffered(),
      s.started,
    ]);
    expect(snapshot.context.outcome).toMatchObject({ status: 'not-permitted', basis: 'ineligible' });
    expect(rejectionOf(snapshot, s.recordingStarted)?.code).toBe('not-permitted');
  });
});

describe('Guards: the round (HCS 2.6-2.8; decisions)', () => {
  it('decisions: nobody answering permits nothing, and the minute does not say everyone agreed', async () => {
    const { snapshot, text } = await recorded([
      ...opening(TEAM),
      ...motherAsksAndSigns,
      s.left('chair'),
      s.left('sw'),
      s.left('police'),
      screeningDone,
      s.alternativesOffered(),
    ]);
    expect(snapshot.context.outcome).toMatchObject({ status: 'not-permitted', basis: 'nobody-asked' });
    expect(text).not.toMatch(EVERYONE_AGREED);
  });

  it('decisions: a "no" and a "need advice" from people who both left still name both in the outcome', async () => {
    const { outcomeLine, snapshot } = await recorded([
      ...opening([...TEAM, people.interpreter]),
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
      ...declined('police', 'Live investigation.'),
      s.left('police'),
      ...s.needsAuthorisation('interp', 'Must ask the agency.'),
      s.left('interp'),
      ...s.agrees('sw'),
      screeningDone,
      s.alternativesOffered(),
    ]);
    expect(snapshot.context.outcome?.status).toBe('not-permitted');
    expect(outcomeLine).toContain('DC Anna Webb (police) did not agree');
    expect(outcomeLine).toContain('Maria Silva (interpreter) also needs advice or information first');
  });

  it('HCS 2.6: the person asking is not asked, and nobody answers without the tablet', () => {
    const round = stepped([...opening(TEAM), ...motherAsksAndSigns]);
    expect(rejectionOf(round, s.asked('mother'))?.code).toBe('requester-is-not-asked');
    expect(rejectionOf(round, { type: 'consent.given', payload: { attendeeId: 'sw' } })?.code).toBe(
      'not-being-asked',
    );
  });

  it('HCS 2.6: the discussion cannot begin while the round is under way', () => {
    const round = stepped([...opening(TEAM), ...motherAsksAndSigns, ...s.agrees('chair')]);
    expect(rejectionOf(round, s.started)?.code).toBe('not-allowed-now');
  });

  it('HCS 2.6: a request on the day needs the person asking in the room', () => {
    const prepared = stepped([...opening(TEAM), s.left('mother')]);
    expect(rejectionOf(prepared, s.requested('mother'))?.code).toBe('requester-not-present');
  });

  it('HCS 2.8: under HCS a decline with no reason at all is refused', () => {
    const round = stepped([...opening(TEAM), ...motherAsksAndSigns, s.asked('police')]);
    const rejection = rejectionOf(round, {
      type: 'consent.declined',
      payload: { attendeeId: 'police', reason: '  ' },
    });
    expect(rejection?.code).toBe('reason-required');
  });

  it('HCS 2.11: a newcomer during a review started by a request after the start is asked before anything is permitted', async () => {
    const round = stepped([
      ...opening(TEAM),
      s.started,
      s.requested('mother', 'after-start'),
      s.eligible(),
      s.signed('mother'),
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...s.agrees('police'),
      s.joined(people.interpreter),
    ]);
    expect(phaseOf(round)).toBe('review.round');
  });

  it('HCS 2.11: someone who returns while permission stands is asked again, and recording waits', () => {
    const snapshot = stepped([...recording, s.left('police'), s.returned('police')]);
    expect(phaseOf(snapshot)).toBe('review.round');
    expect(snapshot.context.recording).toBe('paused');
    expect(snapshot.context.answers.police).toBeUndefined();
  });

  it('HCS 2.11: a decliner who leaves and comes back does not become a yes', async () => {
    const { snapshot, text } = await recorded([
      ...opening(TEAM),
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
      ...declined('police', 'Live investigation.'),
      ...s.agrees('sw'),
      screeningDone,
      s.alternativesOffered(),
      s.left('police'),
      s.returned('police'),
      s.started,
    ]);
    expect(snapshot.context.outcome).toMatchObject({ status: 'not-permitted', declinedIds: ['police'] });
    expect(text).not.toMatch(EVERYONE_AGREED);
  });
});

describe('Guards: events that must be refused, with their codes', () => {
  it('HCS 1.3: eligibility is decided for the person asking, on the basis the facts give', () => {
    const snapshot = stepped([
      ...opening([people.chair, people.stepfather, people.socialWorker]),
      s.requested('stepdad'),
    ]);
    expect(rejectionOf(snapshot, s.eligible('parent-with-pr'))?.code).toBe('not-eligible');
    expect(
      rejectionOf(snapshot, {
        type: 'eligibility.confirmed',
        payload: { basis: 'subject-child', requesterId: 'sw' },
      })?.code,
    ).toBe('not-the-requester');
  });

  it('HCS 2.6: a request needs someone present to ask', () => {
    const snapshot = stepped([...opening([people.chair, people.mother]), s.left('chair')]);
    expect(rejectionOf(snapshot, s.requested('mother'))?.code).toBe('nobody-to-ask');
  });

  it('HCS 1.4: screening cannot finish with a raised ground unanswered', () => {
    const snapshot = stepped([
      ...opening([...TEAM, people.father]),
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...s.agrees('police'),
      ...declined('father', 'I object.'),
    ]);
    expect(rejectionOf(snapshot, screeningDone)?.code).toBe('grounds-unaddressed');
  });

  it('HCS 2.10: nothing can be added to a closed or discarded record', () => {
    const closed = stepped([...allAgreed, s.started, s.confirmed(), s.closed]);
    expect(rejectionOf(closed, s.left('police'))?.code).toBe('not-allowed-now');
    const thrownAway = stepped([...opening(TEAM), s.discarded('Opened for the wrong family.')]);
    expect(rejectionOf(thrownAway, s.requested('mother'))?.code).toBe('not-allowed-now');
  });

  it('HCS 2.11: a new request cannot replace a permission that stands', () => {
    const snapshot = stepped([...recording]);
    expect(rejectionOf(snapshot, s.requested('mother', 'after-start'))?.code).toBe('request-in-force');
  });

  it('SSLSCB: there is no HCS 1.4 screening to record an absent PR holder’s objection against', () => {
    const snapshot = stepped([...opening(TEAM, 'meeting', 'staffordshire-stoke'), s.requested('mother')]);
    expect(rejectionOf(snapshot, s.prHolderObjected('Mark Doe', 'He objects.'))?.code).toBe(
      'ground-not-in-profile',
    );
  });
});

describe('Guards: HCS 2.12 is only between professionals', () => {
  it('HCS 2.12: in a conference, a parent’s objection is not overridden by a chair’s decision', () => {
    const snapshot = stepped([
      ...opening([...TEAM, people.father], 'child-protection-conference'),
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...s.agrees('police'),
      ...declined('father', 'I do not want this recorded.'),
      ...s.screened(['pr-holder-objected', 'dismissed', 'Considered.']),
    ]);
    expect(phaseOf(snapshot)).toBe('review.alternatives');
    expect(snapshot.context.outcome).toBeNull();
    expect(rejectionOf(snapshot, s.chairDecided('permitted', 'I decide.', 'Father against.'))?.code).toBe(
      'not-allowed-now',
    );
    const after = stepped([s.alternativesOffered()], snapshot);
    expect(after.context.outcome).toMatchObject({ status: 'not-permitted', basis: 'not-all-agreed' });
  });

  it('HCS 2.12: in a conference, the subject child’s objection is not overridden either, even alongside a professional’s', () => {
    const snapshot = stepped([
      ...opening([...TEAM, people.youngPerson], 'child-protection-conference'),
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...declined('police', 'Live investigation.'),
      ...declined('yp', 'I do not want it.'),
      ...s.screened(['child-objected', 'dismissed', 'Considered.']),
      s.alternativesOffered(),
    ]);
    expect(snapshot.context.outcome).toMatchObject({ status: 'not-permitted', basis: 'not-all-agreed' });
    expect(snapshot.context.decision).toBeNull();
  });

  it('HCS 2.12: the chair decides only with the disagreements noted', () => {
    const snapshot = stepped([
      ...opening(TEAM, 'child-protection-conference'),
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...declined('police', 'Live investigation.'),
      screeningDone,
    ]);
    expect(rejectionOf(snapshot, s.chairDecided('permitted', 'Benefit to the family.', ''))?.code).toBe(
      'disagreements-required',
    );
  });
});

describe('Guards: withdrawal and SSLSCB (HCS 2.11, 3.2; SSLSCB Top tips)', () => {
  it('HCS 3.2: after a withdrawal, other arrangements come before anything else', () => {
    const snapshot = stepped([...recording, s.withdrawn('Threat to post it online.')]);
    expect(phaseOf(snapshot)).toBe('review.alternatives');
    expect(snapshot.context.recording).toBe('off');
    expect(rejectionOf(snapshot, s.recordingResumed)?.code).toBe('not-allowed-now');
  });

  it('HCS 2.11: there is nothing to withdraw when permission was refused', () => {
    const snapshot = stepped([
      ...opening(TEAM),
      ...motherAsksAndSigns,
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...declined('police', 'Live investigation.'),
      screeningDone,
      s.alternativesOffered(),
    ]);
    expect(rejectionOf(snapshot, s.withdrawn('Just in case.'))?.code).toBe('cannot-withdraw');
  });

  it('SSLSCB Top tips: recording cannot be banned: no withdrawal, and a newcomer’s objection is recorded, not a ban', async () => {
    const { snapshot, lines } = await recorded([
      ...opening(TEAM, 'meeting', 'staffordshire-stoke'),
      s.requested('mother'),
      s.signed('mother', 'staffordshire-stoke'),
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...declined('police', ''),
      s.started,
      s.recordingStarted,
      s.joined(people.interpreter),
      ...declined('interp', 'I would rather not.'),
    ]);
    expect(snapshot.context.outcome?.status).toBe('permitted');
    expect(rejectionOf(snapshot, s.withdrawn('Too much.'))?.code).toBe('cannot-withdraw');
    expect(lines.some((l) => /not permitted/.test(l))).toBe(false);
  });
});

describe('Guards: corrections and confirmation (DOMAIN decisions; HCS 2.10)', () => {
  it('decisions: who someone is cannot be corrected once they answered in this round', () => {
    const snapshot = stepped([
      ...opening(TEAM),
      ...motherAsksAndSigns,
      ...declined('police', 'Live investigation.'),
    ]);
    expect(rejectionOf(snapshot, s.corrected('police', { role: 'family-member' }))?.code).toBe(
      'correction-too-late',
    );
  });

  it('decisions: someone who answered in this round cannot be removed, and a meeting with answers cannot be discarded', () => {
    const snapshot = stepped([...opening(TEAM), ...motherAsksAndSigns, ...s.agrees('chair')]);
    expect(rejectionOf(snapshot, s.removed('chair', 'Error.'))?.code).toBe('cannot-remove');
    expect(rejectionOf(snapshot, s.discarded('Error.'))?.code).toBe('cannot-discard');
  });

  it('decisions: a confirmation does not survive a later fact', async () => {
    const { text, entry } = await recorded([...allAgreed, s.started, s.confirmed(), s.left('police')]);
    expect(entry.confirmation).toBeNull();
    expect(text).toContain('Not yet confirmed by the chair.');
    const unconfirmed = stepped([...allAgreed, s.started, s.confirmed(), s.left('police')]);
    expect(rejectionOf(unconfirmed, s.closed)?.code).toBe('minute-not-confirmed');
  });

  it('decisions: only the chair confirms', () => {
    const snapshot = stepped([...allAgreed, s.started]);
    expect(rejectionOf(snapshot, s.confirmed('sw'))?.code).toBe('not-the-chair');
  });
});

describe('Guards: each line once, dates where they differ (MINUTE-STYLE)', () => {
  it('MINUTE-STYLE: in a plain meeting with recording, no line is said twice', async () => {
    const { lines } = await recorded([...recording, s.confirmed(), s.closed]);
    expect(new Set(lines).size).toBe(lines.length);
  });

  it('MINUTE-STYLE / HCS 2.5: a line on another day than the meeting starts with its date', async () => {
    const { text } = await recorded([
      s.timed('2026-11-19T13:55:00+00:00', s.opened()),
      ...TEAM.map(s.added),
      s.timed('2026-11-19T14:00:00+00:00', s.requested('mother', 'in-advance', '2026-11-19T13:30:00+00:00')),
      s.timed('2026-11-23T09:50:00+00:00', s.eligible()),
    ]);
    expect(text).toContain(
      'Thursday 19 November 2026 14:00  Sarah Doe (parent or carer) asked to record the meeting in advance',
    );
    expect(text).toContain('received by email on Thursday 19 November 2026 at 13:30');
  });
});
