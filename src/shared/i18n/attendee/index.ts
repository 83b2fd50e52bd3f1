/**
 * The attendee and signer screens' words in each shipped language (issue 18), loaded only when an
 * attendee's screen shows that language (the first load carries British English alone). Urdu also loads a
 * screen font that shapes Arabic script.
 */
import type { TranslatedLanguage } from '../../../domain/languages';
import { i18n } from '../index';
import type { AttendeeMessages } from './en-GB';

/** Every translated language's words, loaded on demand (a unit test checks each against the English keys). */
export const ATTENDEE_MESSAGES: Readonly<Record<TranslatedLanguage, () => Promise<AttendeeMessages>>> = {
  pl: () => import('./pl').then((m) => m.plAttendee),
  ur: () => import('./ur').then((m) => m.urAttendee),
  ro: () => import('./ro').then((m) => m.roAttendee),
};

/** Fonts a language needs beyond the app's own (Latin): loaded with its words. */
const FONTS: Readonly<Partial<Record<TranslatedLanguage, () => Promise<unknown>>>> = {
  ur: () =>
    Promise.all([
      import('@fontsource/noto-sans-arabic/400.css'),
      import('@fontsource/noto-sans-arabic/700.css'),
    ]),
};

const loading = new Map<TranslatedLanguage, Promise<void>>();

/** Loads a language's attendee words (and its font) once; later calls share the first. */
export function loadAttendeeLanguage(language: TranslatedLanguage): Promise<void> {
  let done = loading.get(language);
  if (!done) {
    done = Promise.all([
      ATTENDEE_MESSAGES[language]().then((messages) =>
        i18n.addResourceBundle(language, 'translation', messages, true, true),
      ),
      FONTS[language]?.(),
    ]).then(() => undefined);
    loading.set(language, done);
  }
  return done;
}

export function isAttendeeLanguageLoaded(language: TranslatedLanguage): boolean {
  return i18n.hasResourceBundle(language, 'translation');
}
