/**
 * The fonts of one PDF document: only the font files its text needs are loaded (by the caller's loader:
 * fetched on the tablet, read from disk in the records service) and handed to the writer as faces in
 * order of preference; only the faces actually drawn with are embedded, as subsets (only the glyphs
 * used). Shaping (Arabic joining, Indic reordering and conjuncts) is fontkit's, through pdf-lib.
 */
// fontkit's Indic and Universal shapers are compiled to generator code that expects this global.
import 'regenerator-runtime/runtime.js';
import atkinson from '@fontsource/atkinson-hyperlegible/unicode.json';
import notoSans from '@fontsource/noto-sans/unicode.json';
import notoArabic from '@fontsource/noto-sans-arabic/unicode.json';
import notoBengali from '@fontsource/noto-sans-bengali/unicode.json';
import notoDevanagari from '@fontsource/noto-sans-devanagari/unicode.json';
import notoGurmukhi from '@fontsource/noto-sans-gurmukhi/unicode.json';
import notoSc from '@fontsource/noto-sans-sc/unicode.json';
import fontkit from '@pdf-lib/fontkit';
import type { PDFDocument, PDFFont } from 'pdf-lib';
import { FAMILIES, type FaceSource, fileName, type PdfScript } from './fontCatalogue';
import { woffToSfnt } from './woff';

/** Gives the bytes of a Fontsource file, e.g. ("noto-sans-arabic", "noto-sans-arabic-arabic-400-normal.woff"). */
export type FontFileLoader = (family: string, file: string) => Promise<Uint8Array>;

export interface Face {
  source: FaceSource;
  /** The font as OpenType (sfnt) bytes, for embedding. */
  bytes: Uint8Array;
  /** The same font parsed, for measuring and for its coverage. */
  metrics: MeasuredFont;
  codePoints: ReadonlySet<number>;
}

interface MeasuredFont {
  unitsPerEm: number;
  characterSet: number[];
  layout(text: string, features: Record<string, boolean>): { glyphs: { advanceWidth: number }[] };
}

export interface FontSet {
  regular: Face[];
  bold: Face[];
  /** Draws what no face has (as the font's "missing letter" box, so the gap is seen, not hidden). */
  fallback: { regular: Face; bold: Face };
  /** Scripts some of whose letters the document needed but whose font could not be loaded. */
  missing: PdfScript[];
}

const UNICODE_RANGES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'atkinson-hyperlegible': atkinson,
  'noto-sans': notoSans,
  'noto-sans-arabic': notoArabic,
  'noto-sans-bengali': notoBengali,
  'noto-sans-devanagari': notoDevanagari,
  'noto-sans-gurmukhi': notoGurmukhi,
  'noto-sans-sc': notoSc,
};

/** "U+0600-06FF,U+200C" as [low, high] pairs. */
export function parseUnicodeRange(value: string): [number, number][] {
  return value.split(',').map((part) => {
    const [low = '', high] = part.trim().replace(/^U\+/i, '').split('-');
    return [Number.parseInt(low, 16), Number.parseInt(high ?? low, 16)];
  });
}

interface Candidate {
  source: FaceSource;
  ranges: [number, number][];
  /** Chinese comes in numbered pieces that also repeat common Latin letters: used only when nothing else has a letter. */
  isLastResort: boolean;
}

const CANDIDATES: readonly Candidate[] = FAMILIES.flatMap(({ family, subsets, hasBold }) => {
  const table = UNICODE_RANGES[family] ?? {};
  return Object.entries(subsets).flatMap(([script, names]) => {
    const keys = names === 'numbered' ? Object.keys(table).filter((k) => /^\[\d+\]$/.test(k)) : names;
    return keys.map((subset) => ({
      source: { script: script as PdfScript, family, subset, hasBold },
      ranges: parseUnicodeRange(table[subset] ?? ''),
      isLastResort: names === 'numbered',
    }));
  });
});

const inRanges = (ranges: readonly [number, number][], cp: number) =>
  ranges.some(([lo, hi]) => cp >= lo && cp <= hi);

/**
 * The font files a text needs: every file whose unicode range has one of its letters (a Latin letter may
 * be in both Atkinson's and Noto's files: which one draws it is decided per word, by the fonts' real
 * coverage), Atkinson's Latin always, and a Chinese piece only for letters no other file has.
 */
export function facesFor(text: string): FaceSource[] {
  const codePoints = new Set<number>();
  for (const ch of text) codePoints.add(ch.codePointAt(0) ?? 0);
  const needed = new Set<Candidate>(CANDIDATES.slice(0, 1));
  const regular = CANDIDATES.filter((c) => !c.isLastResort);
  const lastResort = CANDIDATES.filter((c) => c.isLastResort);
  for (const cp of codePoints) {
    const covering = regular.filter((c) => inRanges(c.ranges, cp));
    for (const c of covering) needed.add(c);
    if (!covering.length) {
      const piece = lastResort.find((c) => inRanges(c.ranges, cp));
      if (piece) needed.add(piece);
    }
  }
  return CANDIDATES.filter((c) => needed.has(c)).map((c) => c.source);
}

/**
 * fontkit's TrueType subsetter writes glyphs unpadded but may pick the short 'loca' format, which can
 * only point at even offsets: a glyph of odd length then shifts every glyph after it, and the font draws
 * nothing (seen with Noto Sans Arabic). Padding each glyph to an even length keeps the offsets exact.
 */
interface SubsetInternals {
  glyf: Uint8Array[];
  offset: number;
  _addGlyph(gid: number): number;
}
type FontkitFont = { createSubset(): unknown };
const paddedFontkit = {
  create(bytes: Uint8Array, postscriptName?: string) {
    const font = fontkit.create(bytes, postscriptName) as unknown as FontkitFont;
    const createSubset = font.createSubset.bind(font);
    font.createSubset = () => {
      const subset = createSubset() as SubsetInternals;
      const addGlyph = subset._addGlyph;
      subset._addGlyph = function (this: SubsetInternals, gid: number) {
        const index = addGlyph.call(this, gid);
        const data = this.glyf[index];
        if (data && data.length % 2 === 1) {
          const Bytes = data.constructor as new (length: number) => Uint8Array;
          const padded = new Bytes(data.length + 1);
          padded.fill(0);
          padded.set(data);
          this.glyf[index] = padded;
          this.offset += 1;
        }
        return index;
      };
      return subset;
    };
    return font;
  },
};

/**
 * pdf-lib draws each glyph at its advance and ignores glyph positioning (GPOS), so positioning is turned
 * off: this also avoids a fontkit crash on mark anchors that a font leaves empty (Noto Sans Gurmukhi).
 */
const NO_POSITIONING = {
  kern: false,
  mark: false,
  mkmk: false,
  abvm: false,
  blwm: false,
  dist: false,
  curs: false,
};

/**
 * Loads the faces `text` needs. A font that cannot be loaded (offline, not precached) or read is
 * reported in `missing`, not thrown: its letters are drawn as boxes and the document says so.
 */
export async function loadFonts(text: string, load: FontFileLoader): Promise<FontSet> {
  const sources = facesFor(text);
  const missing = new Set<PdfScript>();
  const open = async (source: FaceSource, weight: 400 | 700): Promise<Face | undefined> => {
    try {
      const bytes = woffToSfnt(await load(source.family, fileName(source, weight)));
      const metrics = fontkit.create(bytes) as unknown as MeasuredFont;
      return { source, bytes, metrics, codePoints: new Set(metrics.characterSet) };
    } catch {
      if (weight === 400) missing.add(source.script);
      return undefined;
    }
  };
  const regular = await Promise.all(sources.map((s) => open(s, 400)));
  const bold = await Promise.all(sources.map((s) => (s.hasBold ? open(s, 700) : undefined)));
  const regularFaces = regular.filter((f): f is Face => f !== undefined);
  // A family without bold (Chinese) draws bold text in its regular weight.
  const boldFaces = sources.map((_, i) => bold[i] ?? regular[i]).filter((f): f is Face => f !== undefined);
  const first = regularFaces[0];
  const firstBold = boldFaces[0];
  if (!first || !firstBold) throw new Error('The PDF fonts could not be loaded.');
  return {
    regular: regularFaces,
    bold: boldFaces,
    fallback: { regular: first, bold: firstBold },
    missing: [...missing],
  };
}

/** The width of `text` in `face` at size 1 (as pdf-lib measures it: the shaped glyphs' advances). */
export function widthAtSizeOne(face: Face, text: string): number {
  const { glyphs } = face.metrics.layout(text, NO_POSITIONING);
  let units = 0;
  for (const glyph of glyphs) units += glyph.advanceWidth;
  return units / face.metrics.unitsPerEm;
}

/** Embeds faces into one document when they are first drawn with, so unused faces add nothing. */
export class EmbeddedFaces {
  private readonly fonts = new Map<Face, Promise<PDFFont>>();

  constructor(private readonly doc: PDFDocument) {
    doc.registerFontkit(paddedFontkit as unknown as Parameters<PDFDocument['registerFontkit']>[0]);
  }

  fontFor(face: Face): Promise<PDFFont> {
    let font = this.fonts.get(face);
    if (!font) {
      font = this.doc.embedFont(face.bytes, { subset: true, features: NO_POSITIONING });
      this.fonts.set(face, font);
    }
    return font;
  }
}
