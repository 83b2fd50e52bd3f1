/**
 * The language of an attendee's own screens (issue 18): their answer screen, the undertaking, the check of
 * understanding and read-aloud use it; the chair's screens stay in the chair's language. Where the council
 * has not approved the translation, the English is shown beside it.
 */
import type { TFunction } from 'i18next';
import { type ReactNode, useEffect, useState } from 'react';
import { isTranslated, languageOf, SOURCE_LANGUAGE } from '../domain/languages';
import { isTranslationApproved, type PolicyProfile } from '../domain/profiles';
import { ErrorText } from '../shared/components';
import { i18n } from '../shared/i18n';
import { isAttendeeLanguageLoaded, loadAttendeeLanguage } from '../shared/i18n/attendee';
import { whenIdle } from '../shell/paint';
import { perLanguage } from './readAloudMachine';

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

/** Made once per language (see perLanguage): the signing screen's dates made a new format per render. */
const numbersIn = perLanguage((lang) => new Intl.NumberFormat(lang));
const datesIn = perLanguage((lang) => new Intl.DateTimeFormat(lang, { dateStyle: 'full' }));

/** Makes the language's formats while the tablet is idle (the first costs the hand-over tap 12 ms at x4). */
export function prepareFormats(lang: string): () => void {
  return whenIdle(() => {
    numbersIn(lang);
    datesIn(lang);
  });
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
  const numbers = numbersIn(lang);
  return {
    lang,
    dir: languageOf(lang).direction,
    t: i18n.getFixedT(lang),
    en: isOther && !isApproved ? i18n.getFixedT(SOURCE_LANGUAGE) : null,
    isApproved,
    isolate: (value) =>
      isOther ? `${FSI}${typeof value === 'number' ? numbers.format(value) : value}${PDI}` : String(value),
    formatDate: (date) => datesIn(lang).format(date),
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

/** Refusals an attendee can put right on their own screen: said in their words alone. */
const THEIRS_TO_PUT_RIGHT = new Set(['field-too-long', 'reason-required', 'understanding-not-checked']);

/**
 * A refusal on an attendee's own screen (issue 18), in their language: what they can put right, or that the
 * chair takes the tablet back, with the chair's reason beside it in English (the chair acts on it). The chair's
 * screens say refusals in the chair's language (useSend).
 */
export function AttendeeProblem({
  words,
  refusal,
  message,
}: {
  words: AttendeeWords;
  /** The refusal's code (useSend's `refusal`). */
  refusal: string | null;
  /** The chair's words for it (useSend's `error`); null when there is nothing to say. */
  message: string | null;
}) {
  if (message === null) return <ErrorText message={null} />;
  const isTheirs = refusal !== null && THEIRS_TO_PUT_RIGHT.has(refusal);
  const key = isTheirs ? `problem.${refusal}` : 'problem.other';
  return (
    <p className="error" role="alert">
      {words.t(key)}
      <English text={isTheirs ? words.en?.(key) : message} />
    </p>
  );
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
