/**
 * Which fonts the PDF documents draw with, per script, and which of them the tablet keeps for offline use.
 * No imports: the build configuration (vite.config.ts) reads it to decide what the service worker
 * precaches. Fonts are the Fontsource packages' WOFF files (SIL Open Font License 1.1): WOFF rather than
 * WOFF2 because fontkit cannot subset a WOFF2 font.
 */

/** The scripts the documents can print, each with its own font files. */
export const PDF_SCRIPTS = [
  'latin',
  'greek',
  'cyrillic',
  'arabic',
  'devanagari',
  'bengali',
  'gurmukhi',
  'chinese',
] as const;
export type PdfScript = (typeof PDF_SCRIPTS)[number];

/**
 * The scripts whose fonts the tablet precaches, so that it can make every PDF offline. Chinese is left out
 * by default: its font files add about 3 MB to the precache (measured with the build). A council that needs it sets KIOSK_PDF_SCRIPTS at build time
 * (e.g. "latin,greek,cyrillic,arabic,devanagari,bengali,gurmukhi,chinese"). The records service always has
 * every script. Latin is always included (every document's own words are Latin).
 */
export const DEFAULT_OFFLINE_SCRIPTS: readonly PdfScript[] = [
  'latin',
  'greek',
  'cyrillic',
  'arabic',
  'devanagari',
  'bengali',
  'gurmukhi',
];

/** Reads the build's list of offline scripts ("latin,arabic"); an unknown name is an error, not ignored. */
export function offlineScripts(value: string | undefined): PdfScript[] {
  if (value === undefined || value.trim() === '') return [...DEFAULT_OFFLINE_SCRIPTS];
  const names = value
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  const unknown = names.filter((n) => !(PDF_SCRIPTS as readonly string[]).includes(n));
  if (unknown.length) {
    throw new Error(
      `KIOSK_PDF_SCRIPTS: unknown script ${unknown.join(', ')}; known scripts are ${PDF_SCRIPTS.join(', ')}.`,
    );
  }
  return [...new Set<PdfScript>(['latin', ...(names as PdfScript[])])];
}

/**
 * One font file set: a Fontsource package's unicode subset, in regular and (except Chinese, whose bold
 * would double its size) bold. `subset` is the key in the package's unicode.json.
 */
export interface FaceSource {
  script: PdfScript;
  /** Fontsource package name without the scope, e.g. "noto-sans-arabic". */
  family: string;
  subset: string;
  hasBold: boolean;
}

/** Fontsource's file name for a subset: "noto-sans-arabic-arabic-400-normal.woff", "noto-sans-sc-57-400-normal.woff". */
export function fileName(face: Pick<FaceSource, 'family' | 'subset'>, weight: 400 | 700): string {
  const subset = face.subset.replace(/^\[(\d+)\]$/, '$1');
  return `${face.family}-${subset}-${weight}-normal.woff`;
}

/**
 * The font families in order of preference. Latin is drawn in the app's own Atkinson Hyperlegible where
 * it has every letter of a word, otherwise in Noto Sans (which also has Vietnamese, Greek and Cyrillic).
 */
export const FAMILIES: readonly {
  family: string;
  subsets: Partial<Record<PdfScript, readonly string[] | 'numbered'>>;
  hasBold: boolean;
}[] = [
  { family: 'atkinson-hyperlegible', subsets: { latin: ['latin', 'latin-ext'] }, hasBold: true },
  {
    family: 'noto-sans',
    subsets: {
      latin: ['latin', 'latin-ext', 'vietnamese'],
      greek: ['greek', 'greek-ext'],
      cyrillic: ['cyrillic', 'cyrillic-ext'],
    },
    hasBold: true,
  },
  { family: 'noto-sans-arabic', subsets: { arabic: ['arabic'] }, hasBold: true },
  { family: 'noto-sans-devanagari', subsets: { devanagari: ['devanagari'] }, hasBold: true },
  { family: 'noto-sans-bengali', subsets: { bengali: ['bengali'] }, hasBold: true },
  { family: 'noto-sans-gurmukhi', subsets: { gurmukhi: ['gurmukhi'] }, hasBold: true },
  // Chinese comes in about a hundred numbered pieces by frequency; only those a document needs are loaded.
  { family: 'noto-sans-sc', subsets: { chinese: 'numbered' }, hasBold: false },
];

/**
 * Globs (relative to the build's output) of the font files of the given scripts, for the service
 * worker's precache. Built assets keep their source name before the content hash.
 */
export function precacheGlobs(scripts: readonly PdfScript[]): string[] {
  const globs: string[] = [];
  for (const { family, subsets, hasBold } of FAMILIES) {
    for (const script of scripts) {
      const names = subsets[script];
      if (!names) continue;
      const weights = hasBold ? '{400,700}' : '400';
      if (names === 'numbered') globs.push(`assets/${family}-*-${weights}-normal-*.woff`);
      else for (const subset of names) globs.push(`assets/${family}-${subset}-${weights}-normal-*.woff`);
    }
  }
  return globs;
}
