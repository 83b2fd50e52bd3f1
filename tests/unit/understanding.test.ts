/**
 * The check of understanding before signing (issue 18), and attempts to make the minute say "understood"
 * when it was not: a wrong answer not retried, a skipped check, a changed undertaking version, answers out
 * of order. Each attempt is kept here as a rule that must hold.
 */
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../src/domain/events';
import { minuteEntry, renderMinuteText } from '../../src/domain/minutes';
import { PROFILES } from '../../src/domain/profiles';
import { minuteExport } from '../../src/export/json';
import { minuteExportSchema } from '../../src/export/minuteExportSchema';
import * as s from '../support/scenario';
import { itemLines, opening, rejectionOf, stepped } from '../support/steps';

const { people } = s;
const HCS = PROFILES.hertfordshire.undertaking;
const BEFORE_SIGNING: DomainEvent[] = [
  ...opening([people.chair, people.mother, people.socialWorker]),
  s.requested('mother'),
  s.eligible(),
];

const linesOf = async (events: readonly DomainEvent[]) =>
  itemLines(renderMinuteText(minuteEntry(await s.sealAll(events))));

describe('the questions are part of the versioned undertaking', () => {
  it('each profile asks three questions, each with a picture and two or three answers, exactly one right', () => {
    for (const profile of Object.values(PROFILES)) {
      const questions = profile.undertaking.versions.questions ?? [];
      expect(questions).toHaveLength(3);
      for (const q of questions) {
        expect(q.answers.length, q.id).toBeGreaterThanOrEqual(2);
        expect(q.answers.length, q.id).toBeLessThanOrEqual(3);
        expect(
          q.answers.filter((a) => a.isRight),
          q.id,
        ).toHaveLength(1);
        expect(q.explanation.trim(), q.id).not.toBe('');
        // Easy read: 15 words or fewer per sentence.
        for (const sentence of `${q.question} ${q.explanation}`.split(/(?<=[.?!])\s+/))
          expect(sentence.split(/\s+/).length, sentence).toBeLessThanOrEqual(15);
      }
    }
  });
});

describe('signing today’s undertaking needs the check, or the chair’s reason for skipping it', () => {
  it('signing before any answer is refused; after every point is understood it is accepted', () => {
    expect(rejectionOf(stepped(BEFORE_SIGNING), s.signedToday('mother'))?.code).toBe(
      'understanding-not-checked',
    );
    expect(() =>
      stepped([...BEFORE_SIGNING, ...s.understood('mother'), s.signedToday('mother')]),
    ).not.toThrow();
  });

  it('a wrong answer not asked again leaves the point not understood: signing is refused', () => {
    const [first, second] = HCS.versions.questions ?? [];
    if (!first || !second) throw new Error('no questions');
    const events = [
      ...BEFORE_SIGNING,
      s.answered('mother', first.id, 'no'),
      s.answered('mother', second.id, 'keep'),
    ];
    expect(rejectionOf(stepped(events), s.signedToday('mother'))?.code).toBe('understanding-not-checked');
    // The next question cannot be answered before the wrong one is answered rightly.
    expect(
      rejectionOf(stepped(events), s.answered('mother', 'childrens-services-only', 'childrens-services'))
        ?.code,
    ).toBe('not-the-current-question');
  });

  it('a skip with a reason lets them sign; with no reason it is refused; the minute says it was not checked', async () => {
    expect(rejectionOf(stepped(BEFORE_SIGNING), s.understandingSkipped('mother', '  '))?.code).toBe(
      'field-required',
    );
    const events = [
      ...BEFORE_SIGNING,
      s.understandingSkipped('mother', 'She read it with her advocate.'),
      s.signedToday('mother'),
    ];
    const lines = await linesOf(events);
    expect(lines).toContain(
      'The chair did not check that Sarah Doe (parent or carer) understood the undertaking: “She read it with her advocate.”',
    );
    expect(lines.join('\n')).not.toMatch(/understood at|points were understood/);
  });

  it('a skipped check cannot be answered afterwards, nor skipped twice', () => {
    const skipped = stepped([...BEFORE_SIGNING, s.understandingSkipped('mother', 'No time.')]);
    expect(rejectionOf(skipped, s.answered('mother', 'not-online', 'no'))?.code).toBe(
      'understanding-check-over',
    );
    expect(rejectionOf(skipped, s.understandingSkipped('mother', 'Again.'))?.code).toBe(
      'understanding-check-over',
    );
  });

  it('a finished check cannot be skipped or answered again: the record of it stands', () => {
    const done = stepped([...BEFORE_SIGNING, ...s.understood('mother')]);
    expect(rejectionOf(done, s.understandingSkipped('mother', 'Late.'))?.code).toBe(
      'understanding-check-over',
    );
    expect(rejectionOf(done, s.answered('mother', 'not-online', 'yes'))?.code).toBe(
      'understanding-check-over',
    );
  });

  it('an answer that is not one of the question’s is refused; correctness is read from the version, not sent', () => {
    expect(rejectionOf(stepped(BEFORE_SIGNING), s.answered('mother', 'not-online', 'maybe'))?.code).toBe(
      'unknown-answer',
    );
  });
});

describe('the minute says "understood" only when it was', () => {
  it('all at the first try', async () => {
    const lines = await linesOf([...BEFORE_SIGNING, ...s.understood('mother'), s.signedToday('mother')]);
    expect(lines).toContain(
      `The chair checked that Sarah Doe (parent or carer) understood the undertaking (version ${HCS.version}), with three questions on the tablet before signing: all three points were understood at the first try.`,
    );
  });

  it('a wrong answer, then right, says at which try', async () => {
    const lines = (await linesOf([...BEFORE_SIGNING, ...s.understood('mother', 'hertfordshire', [2])])).join(
      '\n',
    );
    expect(lines).toContain(
      'point 2 (giving a copy to anyone at the meeting who asks) was understood at the second try',
    );
    expect(lines).not.toContain('all three points');
  });

  it('a check stopped half way says what was and was not understood, never "understood the undertaking"', async () => {
    const lines = await linesOf([
      ...BEFORE_SIGNING,
      s.answered('mother', 'not-online', 'yes'),
      s.understandingSkipped('mother', 'She wanted to stop.'),
    ]);
    const line = lines.find((l) => l.startsWith('The chair stopped the check')) ?? '';
    expect(line).toContain(
      'point 1 (not putting the recording online) was answered wrongly once and not yet understood',
    );
    expect(line).toContain('point 2 (giving a copy to anyone at the meeting who asks) was not asked');
    expect(lines.join('\n')).not.toMatch(/checked that .* understood/);
  });

  it('declining to sign during the check records how far it went', async () => {
    const lines = await linesOf([
      ...BEFORE_SIGNING,
      s.answered('mother', 'not-online', 'no'),
      s.declinedToSign('mother'),
    ]);
    expect(lines.join('\n')).toContain(
      'The check that Sarah Doe (parent or carer) understood the undertaking was not finished: point 1 (not putting the recording online) was understood at the first try; point 2',
    );
  });

  it('the JSON export carries each check, its questions and attempts, and validates', async () => {
    const entry = minuteEntry(
      await s.sealAll([...BEFORE_SIGNING, ...s.understood('mother', 'hertfordshire', [1, 3])]),
    );
    const exported = minuteExport(entry);
    expect(minuteExportSchema.safeParse(exported).success).toBe(true);
    expect(exported.understandingChecks).toEqual([
      expect.objectContaining({
        signerId: 'mother',
        result: 'understood',
        textVersion: HCS.version,
        questions: [
          expect.objectContaining({ questionId: 'not-online', attempts: 2, isUnderstood: true }),
          expect.objectContaining({ questionId: 'give-copy', attempts: 1, isUnderstood: true }),
          expect.objectContaining({ questionId: 'childrens-services-only', attempts: 2, isUnderstood: true }),
        ],
      }),
    ]);
  });
});

describe('red team: the version, the order and the person', () => {
  it('a finished check does not let them sign a version the council never approved; answers about a version without questions are refused', () => {
    const done = stepped([...BEFORE_SIGNING, ...s.understood('mother')]);
    const other = s.signedToday('mother');
    if (other.type !== 'undertaking.signed') throw new Error('not a signature');
    const forged = { ...other, payload: { ...other.payload, textVersion: 'hcs-2099-9' } };
    expect(rejectionOf(done, forged)?.code).toBe('undertaking-text-mismatch');
    // Answers about a version with no questions (an earlier one) are refused.
    const old = HCS.superseded[0];
    if (!old) throw new Error('no earlier version');
    expect(
      rejectionOf(stepped(BEFORE_SIGNING), {
        type: 'understanding.answered',
        payload: { signerId: 'mother', textVersion: old.version, questionId: 'not-online', answerId: 'no' },
      })?.code,
    ).toBe('undertaking-text-mismatch');
  });

  it('the minute of a signature of an earlier version (no questions) says nothing about understanding', async () => {
    const lines = (await linesOf([...BEFORE_SIGNING, s.signed('mother')])).join('\n');
    expect(lines).not.toMatch(/understood|check/);
  });

  it('an answer before the request, before eligibility, after signing, or from someone else is refused', () => {
    const answer = s.answered('mother', 'not-online', 'no');
    expect(
      rejectionOf(stepped(opening([people.chair, people.mother, people.socialWorker])), answer)?.code,
    ).toBe('not-allowed-now');
    expect(
      rejectionOf(
        stepped([...opening([people.chair, people.mother, people.socialWorker]), s.requested('mother')]),
        answer,
      )?.code,
    ).toBe('not-allowed-now');
    const signedNow = stepped([...BEFORE_SIGNING, ...s.understood('mother'), s.signedToday('mother')]);
    expect(rejectionOf(signedNow, answer)?.code).toBe('not-allowed-now');
    expect(rejectionOf(signedNow, s.understandingSkipped('mother', 'Late.'))?.code).toBe('not-allowed-now');
    expect(rejectionOf(stepped(BEFORE_SIGNING), s.answered('sw', 'not-online', 'no'))?.code).toBe(
      'not-the-requester',
    );
  });

  it('the requester who left cannot answer until they return', () => {
    const gone = stepped([...BEFORE_SIGNING, s.left('mother')]);
    const r = rejectionOf(gone, s.answered('mother', 'not-online', 'no'));
    expect(r).not.toBeNull();
  });

  it('a new request starts a new check: the understanding of an earlier request does not carry over', () => {
    const events = [
      ...BEFORE_SIGNING,
      ...s.understood('mother'),
      s.declinedToSign('mother'),
      s.alternativesOffered(),
      s.requested('mother'),
      s.eligible(),
    ];
    expect(rejectionOf(stepped(events), s.signedToday('mother'))?.code).toBe('understanding-not-checked');
  });

  it('a request decided in advance: the requester who arrives answers the questions before signing', () => {
    const events: DomainEvent[] = [
      s.opened('meeting'),
      s.added(people.chair),
      { type: 'attendee.added', payload: { attendee: people.father, isAbsent: true } },
      s.added(people.socialWorker),
      s.requested('father', 'in-advance', '2026-11-20T11:15:00+00:00'),
      s.eligible(),
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...s.screened(),
    ];
    const before = stepped(events);
    // Not here yet: no question can be asked of them.
    expect(rejectionOf(before, s.answered('father', 'not-online', 'no'))).not.toBeNull();
    const arrived = stepped([s.returned('father')], before);
    expect(rejectionOf(arrived, s.signedToday('father'))?.code).toBe('understanding-not-checked');
    expect(() => stepped([...s.understood('father'), s.signedToday('father')], arrived)).not.toThrow();
  });
});
