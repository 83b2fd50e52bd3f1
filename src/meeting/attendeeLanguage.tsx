/**
 * The language of an attendee's own screens (issue 18): their answer screen, the undertaking, the check of
 * understanding and read-aloud use it; the chair's screens stay in the chair's language. Where the council
 * has not approved the translation, the English is shown beside it.
 */
import type { TFunction } from 'i18next';
import { type ReactNode, useEffect, useState } from 'react';
import { isTranslated, languageOf, SOURCE_LANGUAGE } from '../domain/languages';
import { isTranslationApproved, type PolicyProfile } from '../domain/profiles';
import { i18n } from '../shared/i18n';
import { isAttendeeLanguageLoaded, loadAttendeeLanguage } from '../shared/i18n/attendee';

export interface AttendeeWords {
  /** The BCP-47 tag the screen is shown in (English until a translation has loaded). */
  lang: string;
  dir: 'ltr' | 'rtl';
  /** The attendee's words. */
  t: TFunction;
  /** The English, to show beside an unapproved translation; null when none is shown. */
  en: TFunction | null;
  isApproved: boolean;
  /** Names and numbers inside a translated sentence, kept in their own direction. */
  isolate: (value: string | number) => string;
  /** Dates in the attendee's language. */
  formatDate: (date: Date) => string;
}

const FSI = '\u2068';
const PDI = '\u2069';

export function useAttendeeWords(language: string | undefined, profile: PolicyProfile): AttendeeWords {
  const wanted = isTranslated(language) ? language : null;
  const [, setLoaded] = useState(0);
  useEffect(() => {
    if (wanted && !isAttendeeLanguageLoaded(wanted))
      void loadAttendeeLanguage(wanted).then(() => setLoaded((n) => n + 1));
  }, [wanted]);
  const lang = wanted && isAttendeeLanguageLoaded(wanted) ? wanted : SOURCE_LANGUAGE;
  const isApproved = isTranslationApproved(profile, lang, new Date().toISOString());
  const isOther = lang !== SOURCE_LANGUAGE;
  const numbers = new Intl.NumberFormat(lang);
  return {
    lang,
    dir: languageOf(lang).direction,
    t: i18n.getFixedT(lang),
    en: isOther && !isApproved ? i18n.getFixedT(SOURCE_LANGUAGE) : null,
    isApproved,
    isolate: (value) =>
      isOther ? `${FSI}${typeof value === 'number' ? numbers.format(value) : value}${PDI}` : String(value),
    formatDate: (date) => new Intl.DateTimeFormat(lang, { dateStyle: 'full' }).format(date),
  };
}

/** Text with isolated runs (FSI ... PDI) drawn as <bdi> elements, each kept in its own direction. */
export function Isolated({ text }: { text: string }): ReactNode {
  if (!text.includes(FSI)) return text;
  return text.split(FSI).map((part, i) => {
    if (i === 0) return part;
    const [inner = '', ...rest] = part.split(PDI);
    return (
      // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed sentence, in order
      <span key={i}>
        <bdi>{inner}</bdi>
        {rest.join(PDI)}
      </span>
    );
  });
}

/** A label as one string: the attendee's words, and the English after them where it is shown. */
export function beside(words: AttendeeWords, key: string): string {
  return words.en ? `${words.t(key)} (${words.en(key)})` : words.t(key);
}

/** The words without isolation marks (for speech). */
export function withoutMarks(text: string): string {
  return text.replace(/[\u2066-\u2069]/g, '');
}

/** The English beside an unapproved translation, marked as English; nothing when none is to be shown. */
export function English({ text, block = false }: { text: string | null | undefined; block?: boolean }) {
  if (text === null || text === undefined) return null;
  return block ? (
    <p className="english-beside" lang={SOURCE_LANGUAGE} dir="ltr">
      {text}
    </p>
  ) : (
    <span className="english-beside" lang={SOURCE_LANGUAGE} dir="ltr">
      {text}
    </span>
  );
}
