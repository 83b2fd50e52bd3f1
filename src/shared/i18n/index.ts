/**
 * The i18n layer: every word the screens show comes from a resource file here. The chair's screens are in
 * British English; the attendee and signer screens' words (attendee/) are a defined set shipped in every
 * language of src/domain/languages.ts, each loaded only when an attendee's screen shows it.
 */
import i18next from 'i18next';
import { initReactI18next, useTranslation } from 'react-i18next';
import { enGBShell } from './en-GB.shell';

export const SUPPORTED_LANGUAGES = ['en-GB'] as const;

void i18next.use(initReactI18next).init({
  lng: 'en-GB',
  fallbackLng: 'en-GB',
  resources: { 'en-GB': { translation: enGBShell } },
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});

export const i18n = i18next;

export function useT() {
  return useTranslation().t;
}

/**
 * The meeting's words, added when its screens load (they are not in the first load). Added once; later
 * calls do nothing.
 */
export function addMessages(messages: Record<string, unknown>): void {
  i18next.addResourceBundle('en-GB', 'translation', messages, true, false);
}
