/**
 * Red team of the languages work (issue 18), part three: how a person was helped to understand, as the
 * minute states it, must be what happened, and a log the tablet could not have written must be refused.
 */
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../src/domain/events';
import { minuteEntry, renderMinuteText } from '../../src/domain/minutes';
import { minuteExport } from '../../src/export/json';
import { minuteExportSchema } from '../../src/export/minuteExportSchema';
import * as s from '../support/scenario';
import { itemLines, opening, rejectionOf, stepped } from '../support/steps';

const { people } = s;

const chose = (attendeeId: string, language: string): DomainEvent => ({
  type: 'attendee.language-chosen',
  payload: { attendeeId, language },
});

describe('the minute says in which language the questions of understanding were asked', () => {
  // Sarah chose Polish at set-up; after the first question she switched her screen to English.
  const [first, ...rest] = s.understood('mother');
  const firstInPolish: DomainEvent[] = [
    ...opening([people.chair, { ...people.mother, language: 'pl' }, people.socialWorker]),
    s.requested('mother'),
    s.eligible(),
    first as DomainEvent,
  ];
  const switchedDuringCheck: DomainEvent[] = [
    ...firstInPolish,
    chose('mother', 'en-GB'),
    ...rest,
    s.signedToday('mother'),
  ];

  it('a change of language during the check is minuted: the first point was asked in Polish, the rest in English', async () => {
    const entry = minuteEntry(await s.sealAll(switchedDuringCheck));
    const check = itemLines(renderMinuteText(entry)).find((l) =>
      l.startsWith('The chair checked that Sarah Doe'),
    );
    // Before: no word of Polish, as if every question had been asked in English.
    expect(check).toContain('Polish');
    expect(check).toContain(
      'The language was changed during the check: the questions were asked in Polish (with the English beside them), then in English.',
    );
    const json = minuteExport(entry, { verifyBaseUrl: 'https://records.example.gov.uk' });
    expect(json.understandingChecks?.[0]?.languages).toEqual(['pl', 'en-GB']);
    expect(minuteExportSchema.safeParse(json).success).toBe(true);
  });

  it('a change of language after the last answer does not change the language the questions were asked in', async () => {
    const skippedAfterSwitch: DomainEvent[] = [
      ...firstInPolish,
      chose('mother', 'en-GB'),
      s.understandingSkipped('mother', 'Sarah asked to go through it with her advocate instead.'),
    ];
    const entry = minuteEntry(await s.sealAll(skippedAfterSwitch));
    const line = itemLines(renderMinuteText(entry)).find((l) => l.startsWith('The chair stopped the check'));
    expect(line).toContain('The questions were asked in Polish, with the English beside them.');
    expect(entry.understandingChecks[0]?.language).toBe('pl');
  });
});

describe('a language set up for someone is one the tablet has screens in', () => {
  it('at set-up and on arrival, a language the tablet does not ship is refused (the minute would say their screens were in it)', () => {
    const german = { ...people.mother, language: 'de' };
    expect(rejectionOf(stepped([s.opened()]), s.added(german))).toMatchObject({
      code: 'field-invalid',
      field: 'language',
    });
    const started = stepped([...opening([people.chair, people.socialWorker]), s.started]);
    expect(rejectionOf(started, s.joined(german))).toMatchObject({
      code: 'field-invalid',
      field: 'language',
    });
    // A shipped language, English named outright, or none: accepted.
    expect(rejectionOf(stepped([s.opened()]), s.added({ ...people.mother, language: 'ur' }))).toBeNull();
    expect(rejectionOf(stepped([s.opened()]), s.added({ ...people.mother, language: 'en-GB' }))).toBeNull();
    expect(rejectionOf(started, s.joined(people.mother))).toBeNull();
  });
});

describe('a language is chosen by the person holding the tablet, on their own screen', () => {
  // The minute says "Sarah Doe chose Polish for their own screens on the tablet": only true if she had it.
  const round: DomainEvent[] = [
    ...opening([people.chair, people.mother, people.socialWorker]),
    s.requested('mother'),
    s.eligible(),
    ...s.understood('mother'),
    s.signedToday('mother'),
  ];

  it('someone else holding the tablet (being asked) cannot choose a language for another attendee', () => {
    const swHasIt = stepped([...round, s.asked('sw')]);
    expect(rejectionOf(swHasIt, chose('mother', 'pl'))).toMatchObject({ code: 'not-their-screen' });
    expect(rejectionOf(swHasIt, chose('chair', 'pl'))).toMatchObject({ code: 'not-their-screen' });
    expect(rejectionOf(swHasIt, chose('sw', 'pl'))).toBeNull();
  });

  it('with the tablet on the chair’s screens (nobody asked, nobody signing), nobody “chooses” a language', () => {
    expect(rejectionOf(stepped(round), chose('mother', 'ur'))).toMatchObject({ code: 'not-their-screen' });
    expect(rejectionOf(stepped(round), chose('sw', 'ur'))).toMatchObject({ code: 'not-their-screen' });
  });

  it('the person about to sign chooses on the undertaking screen, before and during the check', () => {
    const aboutToSign = stepped(round.slice(0, -4));
    expect(rejectionOf(aboutToSign, chose('mother', 'ro'))).toBeNull();
    expect(rejectionOf(aboutToSign, chose('sw', 'ro'))).toMatchObject({ code: 'not-their-screen' });
  });
});

describe('the minute says what of the undertaking was translated', () => {
  it('a signature in Polish: the minute says the council’s full wording was in English only', async () => {
    const events: DomainEvent[] = [
      ...opening([people.chair, { ...people.mother, language: 'pl' }, people.socialWorker]),
      s.requested('mother'),
      s.eligible(),
      ...s.understood('mother'),
      s.signedTodayIn('mother', 'pl'),
    ];
    const lines = itemLines(renderMinuteText(minuteEntry(await s.sealAll(events))));
    // Before: "shown ... in Polish with the English text beside it; both were signed", as if all of it was.
    expect(lines).toContain(
      'The Polish translation is of the plain words, the Easy read and the questions; the council’s full wording of the undertaking was available in English only.',
    );
  });
});

describe('the JSON export says what language the signer had chosen when English alone was shown', () => {
  it('Staffordshire has no Polish translation: the export says she chose Polish, not only that English was shown', async () => {
    const events = s.signedInEnglishHavingChosenPolish();
    const json = minuteExport(minuteEntry(await s.sealAll(events)), {
      verifyBaseUrl: 'https://records.example.gov.uk',
    });
    expect(json.undertakings[0]?.shownInLanguage).toBe('en-GB');
    expect(json.undertakings[0]?.chosenLanguage).toBe('pl');
    expect(minuteExportSchema.safeParse(json).success).toBe(true);
  });
});
