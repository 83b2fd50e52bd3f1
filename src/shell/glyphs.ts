/**
 * Fonts for the words the screens will show, found while the tablet is idle. A character the app's font
 * lacks (🔊 on the read-aloud button, ✓ on an answer) is drawn with a fallback font that the browser looks
 * for the first time a layout meets it, and each new size and weight of a font is set up on first use. On
 * a slow tablet that search is tens of milliseconds spent inside a layout: traced at CPU x4, the tap that
 * handed the tablet to the signer spent 38 ms of its 56 ms layout in FontCache (matching Arial, Times New
 * Roman, then the fallback for 🔊). Laying the language's characters out once, unseen, while nobody is
 * waiting does that work before any tap needs it.
 */

import { whenIdle } from './paint';

/** The characters of every string in `resources` (an i18n bundle), each once. */
export function charactersOf(resources: unknown): string {
  const seen = new Set<string>();
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      for (const c of value) seen.add(c);
    } else if (value && typeof value === 'object') {
      for (const v of Object.values(value)) walk(v);
    }
  };
  walk(resources);
  return [...seen].join('');
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

/** Lays `text` out once in each face, hidden and gone in the same task (never painted, never announced). */
export function layOut(text: string): void {
  if (text === '' || typeof document === 'undefined' || !document.body) return;
  const box = document.createElement('div');
  box.setAttribute('aria-hidden', 'true');
  box.style.cssText =
    'position:fixed;top:0;left:0;width:1px;height:1px;overflow:hidden;visibility:hidden;pointer-events:none';
  for (const face of FACES) {
    const line = document.createElement('span');
    line.style.cssText = `font-size:${face.size};font-weight:${face.weight};white-space:nowrap`;
    line.textContent = text;
    box.append(line);
  }
  document.body.append(box);
  // Reading a size makes the browser lay the text out now, finding a font for every character.
  box.getBoundingClientRect();
  box.lastElementChild?.getBoundingClientRect();
  box.remove();
}

/** Finds the fonts for `text` while the tablet is idle; returns a function that calls it off. */
export function prepareGlyphs(text: string): () => void {
  return whenIdle(() => layOut(text));
}
