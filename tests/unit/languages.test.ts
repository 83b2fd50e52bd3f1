/**
 * Every person in the room in their own language (issue 18): the attendee and signer words are a defined
 * set, complete in every shipped language; the undertaking's translations are line for line with the English
 * and carry their own hash; the choice of language and the language the undertaking was signed in are
 * recorded, and the minute says which language was shown and whether its translation was approved.
 */
import { describe, expect, it } from 'vitest';
import { translationSha256 } from '../../src/domain/chain';
import type { DomainEvent } from '../../src/domain/events';
import { LANGUAGES, TRANSLATED_LANGUAGES } from '../../src/domain/languages';
import { minuteEntry, renderMinuteText } from '../../src/domain/minutes';
import { isTranslationApproved, PROFILES, undertakingTranslationOf } from '../../src/domain/profiles';
import { replay } from '../../src/domain/replay';
import { checkEventTime } from '../../src/domain/rules';
import { minuteExport } from '../../src/export/json';
import { minuteExportSchema } from '../../src/export/minuteExportSchema';
import { ATTENDEE_MESSAGES } from '../../src/shared/i18n/attendee';
import { enGBAttendee } from '../../src/shared/i18n/attendee/en-GB';
import { enGB } from '../../src/shared/i18n/en-GB';
import * as s from '../support/scenario';
import { itemLines, opening, rejectionOf, stepped } from '../support/steps';

const { people } = s;

/** Every key of a nested messages object, dotted. */
function keysOf(value: unknown, prefix = ''): string[] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return Object.entries(value).flatMap(([k, v]) => keysOf(v, prefix ? `${prefix}.${k}` : k));
}
const placeholders = (text: string) => [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe('the attendee and signer words are a defined set, complete in every shipped language', () => {
  const english = keysOf(enGBAttendee).sort();

  it('the set is the one the attendee screens use: the English set is inside the whole English file', () => {
    const whole = new Set(keysOf(enGB));
    expect(english.filter((k) => !whole.has(k))).toEqual([]);
  });

  for (const language of TRANSLATED_LANGUAGES) {
    it(`${language}: no key of the set is missing, none is extra, none is blank, the same placeholders`, async () => {
      const messages = await ATTENDEE_MESSAGES[language]();
      const keys = keysOf(messages).sort();
      expect(
        english.filter((k) => !keys.includes(k)),
        'missing',
      ).toEqual([]);
      expect(
        keys.filter((k) => !english.includes(k)),
        'extra',
      ).toEqual([]);
      for (const key of keys) {
        const text = key.split('.').reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], messages);
        const source = key
          .split('.')
          .reduce<unknown>((o, k) => (o as Record<string, unknown>)[k], enGBAttendee);
        expect(typeof text === 'string' && text.trim() !== '', `${language} ${key}`).toBe(true);
        expect(placeholders(text as string), `${language} ${key}`).toEqual(placeholders(source as string));
      }
    });
  }

  it('a language with a missing key fails the comparison (the check can fail)', () => {
    const { answer: _dropped, ...rest } = enGBAttendee;
    const keys = keysOf(rest);
    expect(english.filter((k) => !keys.includes(k))).toContain('answer.yes');
  });

  it('the registry: BCP-47 tags, English and own names, Urdu right to left, the others left to right', () => {
    expect(LANGUAGES.map((l) => l.code)).toEqual(['en-GB', 'pl', 'ur', 'ro']);
    expect(LANGUAGES.find((l) => l.code === 'ur')?.direction).toBe('rtl');
    expect(LANGUAGES.filter((l) => l.direction === 'rtl').map((l) => l.code)).toEqual(['ur']);
    for (const l of LANGUAGES) expect(l.ownName && l.englishName).toBeTruthy();
  });
});

describe('the undertaking in another language', () => {
  for (const profile of Object.values(PROFILES)) {
    for (const language of TRANSLATED_LANGUAGES) {
      const translation = undertakingTranslationOf(profile, language);
      if (!translation) continue;
      const english = profile.undertaking.versions;
      it(`${profile.id} ${language}: line for line with the English, every question translated, its hash recomputed`, async () => {
        expect(translation.plain.split('\n').map((l) => l === '')).toEqual(
          english.plain.split('\n').map((l) => l === ''),
        );
        expect(translation.easyRead.map((l) => l.picture)).toEqual(english.easyRead.map((l) => l.picture));
        expect(translation.questions.map((q) => [q.id, q.answers.map((a) => a.id)])).toEqual(
          (english.questions ?? []).map((q) => [q.id, q.answers.map((a) => a.id)]),
        );
        expect(await translationSha256(translation)).toBe(translation.sha256);
      });
    }
    it(`${profile.id}: no translation is approved unless the profile says so (none is yet)`, () => {
      for (const language of TRANSLATED_LANGUAGES)
        expect(isTranslationApproved(profile, language, '2026-12-03T10:00:00Z')).toBe(false);
      expect(isTranslationApproved(profile, 'en-GB', '2026-12-03T10:00:00Z')).toBe(true);
    });
  }
});

const BEFORE_SIGNING: DomainEvent[] = [
  ...opening([people.chair, { ...people.mother, language: 'pl' }, people.socialWorker]),
  s.requested('mother'),
  s.eligible(),
  ...s.understood('mother'),
];
const polish = undertakingTranslationOf(PROFILES.hertfordshire, 'pl');
const signedInPolish = (sha = polish?.sha256 ?? ''): DomainEvent => {
  const event = s.signedToday('mother');
  if (event.type !== 'undertaking.signed') throw new Error('not a signature');
  return {
    ...event,
    payload: { ...event.payload, translation: { language: 'pl', textSha256: sha, isApproved: false } },
  };
};

describe('the language is recorded', () => {
  it('an attendee chooses a language on their own screen, at any step; choosing the same again is refused', () => {
    const chosen: DomainEvent = {
      type: 'attendee.language-chosen',
      payload: { attendeeId: 'mother', language: 'ur' },
    };
    const snapshot = stepped([...BEFORE_SIGNING, chosen]);
    expect(snapshot.context.attendees.find((a) => a.id === 'mother')?.language).toBe('ur');
    expect(rejectionOf(snapshot, chosen)?.code).toBe('nothing-to-correct');
    expect(
      rejectionOf(stepped(BEFORE_SIGNING), {
        type: 'attendee.language-chosen',
        payload: { attendeeId: 'nobody', language: 'ro' },
      })?.code,
    ).toBe('unknown-attendee');
  });

  it('a language is chosen only by someone in the room, and only one the tablet has screens in (red team)', () => {
    expect(
      rejectionOf(stepped([...BEFORE_SIGNING, { type: 'attendee.left', payload: { attendeeId: 'sw' } }]), {
        type: 'attendee.language-chosen',
        payload: { attendeeId: 'sw', language: 'pl' },
      })?.code,
    ).toBe('attendee-not-present');
    expect(
      rejectionOf(stepped(BEFORE_SIGNING), {
        type: 'attendee.language-chosen',
        payload: { attendeeId: 'mother', language: 'de' },
      }),
    ).toMatchObject({ code: 'field-invalid', field: 'language' });
  });

  it('a signature in Polish must carry the Polish translation’s own hash', () => {
    expect(rejectionOf(stepped(BEFORE_SIGNING), signedInPolish('0'.repeat(64)))?.code).toBe(
      'undertaking-text-mismatch',
    );
    expect(rejectionOf(stepped(BEFORE_SIGNING), signedInPolish())).toBeNull();
  });

  it('the minute says the undertaking was shown in Polish with the English, and that the translation was not approved; the attendee list and the JSON export say so too', async () => {
    const entry = minuteEntry(await s.sealAll([...BEFORE_SIGNING, signedInPolish()]));
    const text = renderMinuteText(entry);
    const lines = itemLines(text);
    expect(
      lines.some((l) =>
        l.endsWith(
          'The undertaking was shown to Sarah Doe in Polish with the English text beside it; both were signed. The Polish translation had not been approved by the council.',
        ),
      ),
    ).toBe(true);
    // The language chosen at set-up is in the minute: the attendee list says whose screens were in what.
    expect(text).toMatch(/- Sarah Doe, parent or carer [^\n]*their screens in Polish/);
    // The questions were asked in Polish too, and the minute says so.
    expect(
      lines.some((l) => l.endsWith('The questions were asked in Polish, with the English beside them.')),
    ).toBe(true);
    const json = minuteExport(entry, { verifyBaseUrl: 'https://records.example.gov.uk' });
    expect(json.undertakings[0]?.shownInLanguage).toBe('pl');
    expect(json.undertakings[0]?.translation).toMatchObject({ language: 'pl', isApproved: false });
    expect(json.attendees.find((a) => a.id === 'mother')?.language).toBe('pl');
    expect(json.understandingChecks?.[0]?.language).toBe('pl');
    expect(minuteExportSchema.safeParse(json).success).toBe(true);
  });

  it('a change of language says what it replaced', async () => {
    const entry = minuteEntry(
      await s.sealAll([
        ...BEFORE_SIGNING,
        { type: 'attendee.language-chosen', payload: { attendeeId: 'mother', language: 'ro' } },
      ]),
    );
    expect(
      itemLines(renderMinuteText(entry)).some((l) =>
        l.endsWith(
          'Sarah Doe (parent or carer) chose Romanian for their own screens on the tablet, in place of Polish.',
        ),
      ),
    ).toBe(true);
  });
});

/** Red team of the languages work (issue 18): the record of a language must be true, not the tablet's say-so. */
describe('the language of a signature is true', () => {
  it('a signature cannot say the translation was approved when the council had not approved it', async () => {
    const claimed = signedInPolish();
    if (claimed.type !== 'undertaking.signed' || !claimed.payload.translation)
      throw new Error('not a signature');
    const lying: DomainEvent = {
      ...claimed,
      payload: { ...claimed.payload, translation: { ...claimed.payload.translation, isApproved: true } },
    };
    const snapshot = stepped(BEFORE_SIGNING);
    expect(checkEventTime(snapshot.context, lying, '2026-11-23T10:30:00Z')?.code).toBe(
      'undertaking-text-mismatch',
    );
    expect(checkEventTime(snapshot.context, claimed, '2026-11-23T10:30:00Z')).toBeNull();
    // The records service replays the log with the same rule: a log claiming it is refused.
    const result = await replay(await s.sealAll([...BEFORE_SIGNING, lying]));
    expect(result.ok).toBe(false);
    expect((await replay(await s.sealAll([...BEFORE_SIGNING, claimed]))).ok).toBe(true);
  });

  it('an approval is dated: signatures before it stay "not approved", after it "approved", and after its withdrawal not', () => {
    const approved = {
      ...PROFILES.hertfordshire,
      translationApproval: {
        pl: {
          from: '2027-01-10',
          until: '2027-06-01',
          undertaking: { [polish?.sha256 ?? '']: { from: '2027-01-10' } },
        },
      },
    };
    expect(isTranslationApproved(approved, 'pl', '2027-01-09T23:59:59Z')).toBe(false);
    expect(isTranslationApproved(approved, 'pl', '2027-01-10T00:00:00Z')).toBe(true);
    expect(isTranslationApproved(approved, 'pl', '2027-05-31T12:00:00Z')).toBe(true);
    expect(isTranslationApproved(approved, 'pl', '2027-06-01T00:00:00Z')).toBe(false);
    expect(isTranslationApproved(approved, 'ro', '2027-03-01T00:00:00Z')).toBe(false);
  });

  it('an approval covers the undertaking translations it names by hash: a later or corrected translation is "not yet approved" until listed', () => {
    if (!polish) throw new Error('no Polish translation');
    const profile = PROFILES.hertfordshire as { translationApproval?: unknown };
    const before = profile.translationApproval;
    // The council approves Polish from 10 January 2027, naming the Polish undertaking its translator read;
    // by June a corrected Polish text (another hash) is in the policy and nobody has reviewed it.
    const reviewed = polish.sha256;
    const corrected = 'c'.repeat(64);
    profile.translationApproval = {
      pl: { from: '2027-01-10', undertaking: { [reviewed]: { from: '2027-01-10' } } },
    };
    try {
      const ctx = stepped(BEFORE_SIGNING).context;
      const signature = (sha: string, isApproved: boolean): DomainEvent => {
        const event = signedInPolish(sha);
        if (event.type !== 'undertaking.signed' || !event.payload.translation) throw new Error('not signed');
        return {
          ...event,
          payload: { ...event.payload, translation: { ...event.payload.translation, isApproved } },
        };
      };
      const at = '2027-06-01T10:00:00Z';
      // The text reviewed: approved, and it may not be called otherwise.
      expect(checkEventTime(ctx, signature(reviewed, true), at)).toBeNull();
      expect(checkEventTime(ctx, signature(reviewed, false), at)?.code).toBe('undertaking-text-mismatch');
      // Another Polish text is not covered by the approval of the language.
      expect(checkEventTime(ctx, signature(corrected, true), at)?.code).toBe('undertaking-text-mismatch');
      expect(checkEventTime(ctx, signature(corrected, false), at)).toBeNull();
      // The screens' own Polish words are approved from that day all the same.
      expect(isTranslationApproved(PROFILES.hertfordshire, 'pl', at)).toBe(true);
    } finally {
      profile.translationApproval = before;
    }
  });

  it('the translation signed is the one of the signer’s own language', () => {
    // She changed to Romanian: a Polish translation beside the English was not what she was shown.
    const romanian = stepped([
      ...BEFORE_SIGNING,
      { type: 'attendee.language-chosen', payload: { attendeeId: 'mother', language: 'ro' } },
    ]);
    expect(rejectionOf(romanian, signedInPolish())).toMatchObject({
      code: 'not-their-language',
      field: 'translation',
    });
    expect(rejectionOf(romanian, s.signedTodayIn('mother', 'ro'))).toBeNull();
  });

  it('someone who chose a language the undertaking is translated into is not shown the English alone', () => {
    const polish = stepped(BEFORE_SIGNING);
    expect(rejectionOf(polish, s.signedToday('mother'))?.code).toBe('not-their-language');
    const english = stepped([
      ...BEFORE_SIGNING,
      { type: 'attendee.language-chosen', payload: { attendeeId: 'mother', language: 'en-GB' } },
    ]);
    expect(rejectionOf(english, s.signedToday('mother'))).toBeNull();
  });

  it('where the council has no translation in their language, the minute says the undertaking and questions were in English only', async () => {
    const events = s.signedInEnglishHavingChosenPolish();
    expect(rejectionOf(stepped(events.slice(0, -1)), events.at(-1) as DomainEvent)).toBeNull();
    const lines = itemLines(renderMinuteText(minuteEntry(await s.sealAll(events))));
    expect(
      lines.some((l) =>
        l.endsWith(
          'The undertaking was shown to Sarah Doe in English only: this version has no Polish translation, the language they chose.',
        ),
      ),
    ).toBe(true);
    expect(
      lines.some((l) =>
        l.endsWith(
          'The questions were asked in English: this version of the undertaking has no Polish translation.',
        ),
      ),
    ).toBe(true);
  });
});
