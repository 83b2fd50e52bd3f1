/**
 * Splitting a line of text into runs that one font can draw, and putting the runs in the order they are
 * seen. PDF text is drawn glyph by glyph from left to right in one font at a time: a name in Arabic inside
 * an English sentence needs its own font and must be laid out right to left, and a Vietnamese name must not
 * have its letters from two different fonts. Pure: the fonts are given as "does it cover this code point".
 */
import bidiFactory from 'bidi-js';

/** A run of text in logical (typed) order, [start, end) in UTF-16 code units, with the face that draws it. */
export interface FontRun<F> {
  start: number;
  end: number;
  face: F;
}

/**
 * Characters every face may draw (or that are dropped when drawn): joiners and variation selectors. They
 * never decide the font of the word they are in.
 */
const isIgnorable = (cp: number) =>
  (cp >= 0x200b && cp <= 0x200d) || cp === 0x2060 || (cp >= 0xfe00 && cp <= 0xfe0f) || cp === 0xfeff;
/** Bidi controls: used to work out the order, then not drawn (a font would draw them as a box). */
export const BIDI_CONTROLS = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/gu;
/** Combining marks (variation selectors among them) and the joiners ZWNJ and ZWJ. */
const isMark = (ch: string) => /^\p{M}$/u.test(ch) || ch === '\u200c' || ch === '\u200d';
const SPACE = /^\s$/u;
/** Letters of no particular script: punctuation, digits, symbols. */
const NEUTRAL = /^[\p{Script=Common}\p{Script=Inherited}]$/u;

interface Cluster {
  start: number;
  end: number;
  codePoints: number[];
  isSpace: boolean;
  isNeutral: boolean;
}

/** A base letter with the marks and joiners that follow it: never split between fonts. */
function clustersOf(text: string): Cluster[] {
  const clusters: Cluster[] = [];
  let index = 0;
  for (const ch of text) {
    const cp = ch.codePointAt(0) ?? 0;
    const last = clusters.at(-1);
    if (last && isMark(ch) && !last.isSpace) {
      last.end = index + ch.length;
      last.codePoints.push(cp);
      last.isNeutral &&= NEUTRAL.test(ch);
    } else {
      clusters.push({
        start: index,
        end: index + ch.length,
        codePoints: [cp],
        isSpace: SPACE.test(ch),
        isNeutral: NEUTRAL.test(ch),
      });
    }
    index += ch.length;
  }
  return clusters;
}

/**
 * Assigns each part of `text` a face from `faces` (in order of preference): a whole word goes to the first
 * face that has every one of its letters (so "Nguyễn" is not drawn in two fonts); a word no face covers
 * whole is split by letter, punctuation staying with the letters beside it; spaces go with the word before
 * them. A letter no face covers goes to `fallback` (which draws its "missing letter" box).
 */
export function splitByFont<F>(
  text: string,
  faces: readonly F[],
  covers: (face: F, codePoint: number) => boolean,
  fallback: F,
): FontRun<F>[] {
  const coversAll = (face: F, codePoints: readonly number[]) =>
    codePoints.every((cp) => isIgnorable(cp) || covers(face, cp));
  const firstCovering = (codePoints: readonly number[]) => faces.find((face) => coversAll(face, codePoints));

  const clusters = clustersOf(text);
  const faceOf: (F | undefined)[] = new Array(clusters.length);
  // Words: maximal sequences of clusters that are not spaces.
  let i = 0;
  while (i < clusters.length) {
    if (clusters[i]?.isSpace) {
      i++;
      continue;
    }
    let j = i;
    while (j < clusters.length && !clusters[j]?.isSpace) j++;
    const word = clusters.slice(i, j);
    const whole = firstCovering(word.flatMap((c) => c.codePoints));
    if (whole !== undefined) {
      for (let k = i; k < j; k++) faceOf[k] = whole;
    } else {
      // Letters first; then punctuation and digits join a neighbour's face where it can draw them.
      for (let k = i; k < j; k++) {
        const c = clusters[k] as Cluster;
        if (!c.isNeutral) faceOf[k] = firstCovering(c.codePoints) ?? fallback;
      }
      for (let k = i; k < j; k++) {
        const c = clusters[k] as Cluster;
        if (!c.isNeutral) continue;
        const before = k > i ? faceOf[k - 1] : undefined;
        let after: F | undefined;
        for (let n = k + 1; n < j && after === undefined; n++) {
          if (!(clusters[n] as Cluster).isNeutral) after = faceOf[n];
        }
        faceOf[k] =
          [before, after].find((f) => f !== undefined && coversAll(f, c.codePoints)) ??
          firstCovering(c.codePoints) ??
          fallback;
      }
    }
    i = j;
  }
  // Spaces: with the word before them if its face has a space, else with the word after.
  for (let k = 0; k < clusters.length; k++) {
    const c = clusters[k] as Cluster;
    if (!c.isSpace) continue;
    const before = k > 0 ? faceOf[k - 1] : undefined;
    const after = clusters.slice(k + 1).find((n) => !n.isSpace);
    const afterFace = after ? faceOf[clusters.indexOf(after)] : undefined;
    faceOf[k] =
      [before, afterFace].find((f) => f !== undefined && coversAll(f, c.codePoints)) ??
      firstCovering(c.codePoints) ??
      fallback;
  }

  const runs: FontRun<F>[] = [];
  clusters.forEach((c, k) => {
    const face = faceOf[k] as F;
    const last = runs.at(-1);
    if (last && last.face === face) last.end = c.end;
    else runs.push({ start: c.start, end: c.end, face });
  });
  return runs;
}

/** A piece of a line as it is drawn, left to right: the text to give the font, and its face. */
export interface VisualRun<F> {
  text: string;
  face: F;
  /** True when the text is right to left (drawn mirrored, in the reverse of the typed order). */
  isRtl: boolean;
}

const RTL_SCRIPT =
  /[\p{Script=Arabic}\p{Script=Hebrew}\p{Script=Syriac}\p{Script=Thaana}\p{Script=Nko}\p{Script=Samaritan}\p{Script=Mandaic}\p{Script=Adlam}\p{Script=Hanifi_Rohingya}]/u;
const SCRIPTED = /[^\p{Script=Common}\p{Script=Inherited}\p{Script=Unknown}]/u;

/**
 * Whether the shaping engine (fontkit) lays this text out right to left by itself: it does so when the first
 * letter of a known script in it is of a right-to-left script, and then gives the glyphs in visual order.
 */
export function shaperReverses(text: string): boolean {
  const first = text.match(SCRIPTED)?.[0];
  return first !== undefined && RTL_SCRIPT.test(first);
}

let bidi: ReturnType<typeof bidiFactory> | undefined;

/**
 * The runs of one line in the order they are drawn, left to right, for a paragraph whose base direction
 * is left to right (the documents are in English; a name in Arabic script is a right-to-left island in
 * it). Uses the Unicode Bidirectional Algorithm (bidi-js): runs are reordered, mirrored characters such
 * as brackets swapped, and each run's text is given so that the shaper, which reverses right-to-left
 * script by itself, ends with the glyphs in visual order.
 */
export function visualRuns<F>(line: string, runs: readonly FontRun<F>[]): VisualRun<F>[] {
  bidi ??= bidiFactory();
  const embedding = bidi.getEmbeddingLevels(line, 'ltr');
  const levels = embedding.levels;
  const mirrored = bidi.getMirroredCharactersMap(line, levels);
  const faceAt: F[] = new Array(line.length);
  for (const run of runs) for (let k = run.start; k < run.end; k++) faceAt[k] = run.face;

  // Visual order of code units; keep surrogate pairs and clusters in typed order inside a run below.
  const order = line.length ? bidi.getReorderedIndices(line, embedding, 0, line.length - 1) : [];
  const pieces: { indices: number[]; face: F; isRtl: boolean }[] = [];
  for (const index of order) {
    const face = faceAt[index] as F;
    const isRtl = ((levels[index] ?? 0) & 1) === 1;
    const last = pieces.at(-1);
    const lastIndex = last?.indices.at(-1);
    const follows = lastIndex !== undefined && index === lastIndex + (isRtl ? -1 : 1);
    if (last && last.face === face && last.isRtl === isRtl && follows) last.indices.push(index);
    else pieces.push({ indices: [index], face, isRtl });
  }
  const out: VisualRun<F>[] = [];
  for (const piece of pieces) {
    const logical = [...piece.indices].sort((a, b) => a - b);
    let text = logical.map((k) => (piece.isRtl ? (mirrored.get(k) ?? line[k]) : line[k])).join('');
    text = text.replace(BIDI_CONTROLS, '');
    if (!text) continue;
    // The shaper reverses right-to-left script itself; anything else we reverse (by code point) here.
    if (piece.isRtl !== shaperReverses(text)) text = [...text].reverse().join('');
    out.push({ text, face: piece.face, isRtl: piece.isRtl });
  }
  return out;
}
