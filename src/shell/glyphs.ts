/**
 * Fonts for the words the screens will show, found while the tablet is idle. A character the app's font
 * lacks (🔊 on the read-aloud button, ✓ on an answer) is drawn with a fallback font that the browser looks
 * for the first time a layout meets it, and each new size and weight of a font is set up on first use. On
 * a slow tablet that search is tens of milliseconds spent inside a layout: traced at CPU x4, the tap that
 * handed the tablet to the signer spent 38 ms of its 56 ms layout in FontCache (matching Arial, Times New
 * Roman, then the fallback for 🔊). Laying those characters out once, unseen, while nobody is waiting does
 * that work before any tap needs it.
 *
 * Only the characters the app's font lacks are laid out (with a Latin sample for each new face): the first
 * version laid out every character of the language's bundle in five faces, and that idle layout (117 ms at
 * CPU x4, profiled with bench/taptrace.ts) ran just before the chair's next tap and held it up.
 */

import { whenIdle } from './paint';

/**
 * The app's font (Atkinson Hyperlegible, latin and latin-ext) has Basic Latin, Latin-1 and Latin Extended-A
 * (to U+017F), and the general punctuation a sentence uses (U+2000 to U+206F: dashes, quotes, ellipsis).
 */
const hasOwnGlyph = (c: string) => {
  const code = c.codePointAt(0) ?? 0;
  return code <= 0x17f || (code >= 0x2000 && code <= 0x206f);
};

/** A sample the app's font has, so that each face it is set in is also set up. */
export const LATIN_SAMPLE = 'Aa';

/**
 * The characters of the strings in `resources` (an i18n bundle) that the app's font lacks (✓, ✗, 🔊: each
 * needs a fallback font found), each once, after a Latin sample.
 */
export function charactersOf(resources: unknown): string {
  const seen = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      for (const c of value) if (!hasOwnGlyph(c)) seen.add(c);
    } else if (value && typeof value === 'object') {
      for (const v of Object.values(value)) walk(v);
    }
  };
  walk(resources);
  return seen.size === 0 ? '' : LATIN_SAMPLE + [...seen].join('');
}

/**
 * The sizes (rem) and weights the attendees' screens set text in: body, headings, and the large answer
 * buttons (src/shell/styles.css). Others are set up when first used; these are the ones a tap waits for.
 */
const FACES: ReadonlyArray<{ size: string; weight: number }> = [
  { size: '1rem', weight: 400 },
  { size: '1rem', weight: 700 },
  { size: '1.15rem', weight: 700 },
  { size: '1.6rem', weight: 700 },
  { size: '1.8rem', weight: 700 },
];

/**
 * Lays `parts` out once in a box that is hidden and gone in the same task (never painted, never announced,
 * never focused): reading a size makes the browser lay them out now.
 */
function layOutUnseen(parts: readonly HTMLElement[]): void {
  if (parts.length === 0 || typeof document === 'undefined' || !document.body) return;
  const box = document.createElement('div');
  box.setAttribute('aria-hidden', 'true');
  box.setAttribute('inert', '');
  box.style.cssText =
    'position:fixed;top:0;left:0;width:1px;height:1px;overflow:hidden;visibility:hidden;pointer-events:none';
  box.append(...parts);
  document.body.append(box);
  for (const part of parts) part.getBoundingClientRect();
  box.remove();
}

/** Lays `text` out once in each face, unseen, finding a font for every character. */
export function layOut(text: string): void {
  if (text === '' || typeof document === 'undefined') return;
  layOutUnseen(
    FACES.map((face) => {
      const line = document.createElement('span');
      line.style.cssText = `font-size:${face.size};font-weight:${face.weight};white-space:nowrap`;
      line.textContent = text;
      return line;
    }),
  );
}

/**
 * The first date-and-time field a page lays out makes the browser build its parts for the locale: at CPU
 * x4, 390 ms for the first and under 30 ms for the next (measured in Chromium). The meeting's set-up screen
 * has one (when the meeting is), so one is laid out unseen while the home screen is idle, and "Set up a new
 * meeting" does not pay for it in its frame.
 */
export function layOutDateField(): void {
  if (typeof document === 'undefined') return;
  const field = document.createElement('input');
  field.type = 'datetime-local';
  field.tabIndex = -1;
  layOutUnseen([field]);
}

/** Finds the fonts for `text` while the tablet is idle; returns a function that calls it off. */
export function prepareGlyphs(text: string): () => void {
  return whenIdle(() => layOut(text));
}
