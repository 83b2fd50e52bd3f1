/**
 * The languages the attendee and signer screens are shipped in (issue 18): BCP-47 tag, English name, the
 * language's own name, and its direction. The chair's screens stay in the chair's language; an attendee's
 * own screens, the undertaking and read-aloud use the attendee's. Whether the council has approved a
 * translation is the policy profile's (`translationApproval`), never this list's.
 */
import { z } from 'zod/mini';

export type Direction = 'ltr' | 'rtl';

export interface Language {
  /** BCP-47 tag. */
  code: ShippedLanguage;
  englishName: string;
  ownName: string;
  direction: Direction;
}

export const SOURCE_LANGUAGE = 'en-GB' as const;

export const LANGUAGES = [
  { code: 'en-GB', englishName: 'English', ownName: 'English', direction: 'ltr' },
  { code: 'pl', englishName: 'Polish', ownName: 'Polski', direction: 'ltr' },
  { code: 'ur', englishName: 'Urdu', ownName: 'اردو', direction: 'rtl' },
  { code: 'ro', englishName: 'Romanian', ownName: 'Română', direction: 'ltr' },
] as const satisfies readonly { code: string; englishName: string; ownName: string; direction: Direction }[];

export type ShippedLanguage = (typeof LANGUAGES)[number]['code'];

/** The shipped languages other than the source language: each is a translation the council approves. */
export const TRANSLATED_LANGUAGES = LANGUAGES.map((l) => l.code).filter(
  (c): c is Exclude<ShippedLanguage, typeof SOURCE_LANGUAGE> => c !== SOURCE_LANGUAGE,
);
export type TranslatedLanguage = (typeof TRANSLATED_LANGUAGES)[number];

/**
 * A language tag as synced: any well-formed BCP-47 tag, not only today's list, so a log written by a newer
 * app that ships another language still reads here (a screen shows English for a tag it does not know).
 */
export const languageTagSchema = z
  .string()
  .check(z.minLength(2), z.maxLength(35), z.regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$/));

/** Whether a language tag is well formed and spelt as Intl spells it (one spelling per language: "pl", never "PL"). */
export function isCanonicalLanguageTag(tag: string): boolean {
  try {
    return Intl.getCanonicalLocales(tag)[0] === tag;
  } catch {
    return false;
  }
}

/**
 * The language an interpreter interprets (issue 18): any language the chair names, shipped here or not
 * (an interpreter for Tigrinya or British Sign Language needs no screens in it), recorded in its one
 * canonical spelling so that the same language is always the same tag in the minute and the export.
 */
export const interpretedLanguageSchema = languageTagSchema.check(
  z.refine(isCanonicalLanguageTag, { message: 'a language is a BCP-47 tag, such as "pl" or "pa-Arab"' }),
);

/** English itself (any "en" tag): the meeting is held in it, so nobody interprets into or from it. */
export const isEnglish = (tag: string): boolean => tag === 'en' || tag.startsWith('en-');

const englishNames = new Map<string, string>();
/**
 * A language's English name, as the minute prints it: the registry's for a shipped language ("Polish"),
 * otherwise the name Intl gives in British English ("Tigrinya", "Punjabi (Arabic)"), and the tag itself for
 * one neither knows. Found once per tag.
 */
export function englishNameOf(tag: string): string {
  if (isShippedLanguage(tag)) return languageOf(tag).englishName;
  let name = englishNames.get(tag);
  if (name === undefined) {
    try {
      name = new Intl.DisplayNames([SOURCE_LANGUAGE], { type: 'language', fallback: 'code' }).of(tag) ?? tag;
    } catch {
      name = tag;
    }
    englishNames.set(tag, name);
  }
  return name;
}

export function isShippedLanguage(tag: unknown): tag is ShippedLanguage {
  return typeof tag === 'string' && LANGUAGES.some((l) => l.code === tag);
}

/** The shipped language for a tag, or English for one this app does not ship. */
export function languageOf(tag: string | undefined): Language {
  return LANGUAGES.find((l) => l.code === tag) ?? LANGUAGES[0];
}

export function isTranslated(tag: string | undefined): tag is TranslatedLanguage {
  return tag !== undefined && tag !== SOURCE_LANGUAGE && isShippedLanguage(tag);
}
