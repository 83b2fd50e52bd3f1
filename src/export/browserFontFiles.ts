/**
 * The tablet's font loader: the build emits the PDF font files as assets (the service worker precaches
 * those of the council's scripts, see fontCatalogue.ts) and this fetches one by its Fontsource name.
 * Loaded only with the PDF code.
 */
import type { FontFileLoader } from './fonts';

// Only these files are emitted; the patterns follow FAMILIES in fontCatalogue.ts. Never inlined: a font
// piece inlined into this chunk would be precached whatever scripts the council chose.
const URLS = import.meta.glob<string>(
  [
    '/node_modules/@fontsource/atkinson-hyperlegible/files/atkinson-hyperlegible-{latin,latin-ext}-{400,700}-normal.woff',
    '/node_modules/@fontsource/noto-sans/files/noto-sans-{latin,latin-ext,vietnamese,greek,greek-ext,cyrillic,cyrillic-ext}-{400,700}-normal.woff',
    '/node_modules/@fontsource/noto-sans-arabic/files/noto-sans-arabic-arabic-{400,700}-normal.woff',
    '/node_modules/@fontsource/noto-sans-devanagari/files/noto-sans-devanagari-devanagari-{400,700}-normal.woff',
    '/node_modules/@fontsource/noto-sans-bengali/files/noto-sans-bengali-bengali-{400,700}-normal.woff',
    '/node_modules/@fontsource/noto-sans-gurmukhi/files/noto-sans-gurmukhi-gurmukhi-{400,700}-normal.woff',
    '/node_modules/@fontsource/noto-sans-sc/files/noto-sans-sc-[0-9]*-400-normal.woff',
  ],
  { query: '?no-inline', import: 'default', eager: true },
);

export const browserFontFiles: FontFileLoader = async (family, file) => {
  const url = URLS[`/node_modules/@fontsource/${family}/files/${file}`];
  if (!url) throw new Error(`No such PDF font: ${file}`);
  const response = await fetch(url);
  if (!response.ok) throw new Error(`The PDF font ${file} could not be loaded (${response.status}).`);
  return new Uint8Array(await response.arrayBuffer());
};

/** How many font files the build carries (checked by a test against the catalogue). */
export const FONT_FILE_COUNT = Object.keys(URLS).length;
