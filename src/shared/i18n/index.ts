/**
 * The i18n layer: every word the screens show comes from a resource file here. British English now;
 * another language is one more file beside en-GB.ts, registered below.
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
