/**
 * How document text is split between fonts and ordered for drawing: a word stays in one font, a name in
 * Arabic script is drawn right to left inside an English line, and the font choice follows the fonts'
 * real coverage.
 */
import { describe, expect, it } from 'vitest';
import { offlineScripts, precacheGlobs } from '../../src/export/fontCatalogue';
import { facesFor, parseUnicodeRange } from '../../src/export/fonts';
import { shaperReverses, splitByFont, visualRuns } from '../../src/export/textRuns';

/** Faces for the tests: a Latin font without Vietnamese, a broad Latin one, and an Arabic one. */
type TestFace = 'atkinson' | 'noto' | 'arabic';
const FACES: TestFace[] = ['atkinson', 'noto', 'arabic'];
const covers = (face: TestFace, cp: number) => {
  const ch = String.fromCodePoint(cp);
  if (face === 'atkinson') return cp < 0x180 || ch === ' ';
  if (face === 'noto') return /[\p{Script=Latin}\p{Script=Common}\p{M}]/u.test(ch);
  return /[\p{Script=Arabic} ]/u.test(ch);
};
const split = (text: string) =>
  splitByFont(text, FACES, covers, 'noto' as TestFace).map((r) => [text.slice(r.start, r.end), r.face]);

describe('splitting text between fonts', () => {
  it('a word that the first font cannot draw whole is drawn whole in the next one', () => {
    expect(split('Sarah Nguyễn')).toEqual([
      ['Sarah ', 'atkinson'],
      ['Nguyễn', 'noto'],
    ]);
  });

  it('a Polish name stays in the first font when it has every letter', () => {
    expect(split('Łukasz Nowak-Żółć')).toEqual([['Łukasz Nowak-Żółć', 'atkinson']]);
  });

  it('letters typed as base + combining accent stay with their base letter', () => {
    // "ễ" typed as e + circumflex + tilde (NFD): the marks are not in the first font.
    expect(split('Nguye\u0302\u0303n Thi')).toEqual([
      ['Nguye\u0302\u0303n ', 'noto'],
      ['Thi', 'atkinson'],
    ]);
  });

  it('an Arabic name inside an English line gets its own font, the spaces between its words too', () => {
    // The full stop: the Arabic face has none, so it goes to the first face that has one.
    expect(split('Signed by: محمد عبد الله.')).toEqual([
      ['Signed by: ', 'atkinson'],
      ['محمد عبد الله', 'arabic'],
      ['.', 'atkinson'],
    ]);
  });

  it('a letter no font has goes to the fallback face (drawn as a visible box, not dropped)', () => {
    expect(split('Ann ᚠ')).toEqual([
      ['Ann ', 'atkinson'],
      ['ᚠ', 'noto'],
    ]);
  });
});

describe('ordering a line for drawing', () => {
  const line = (text: string) => visualRuns(text, splitByFont(text, FACES, covers, 'noto' as TestFace));

  it('a left-to-right line is drawn as typed', () => {
    expect(line('Sarah Nguyễn')).toEqual([
      { text: 'Sarah ', face: 'atkinson', isRtl: false },
      { text: 'Nguyễn', face: 'noto', isRtl: false },
    ]);
  });

  it('an Arabic name is handed to the shaper in typed order (the shaper lays it out right to left)', () => {
    const runs = line('Signed by: محمد عبد الله, parent');
    expect(runs.map((r) => [r.text, r.face, r.isRtl])).toEqual([
      ['Signed by: ', 'atkinson', false],
      ['محمد عبد الله', 'arabic', true],
      [', parent', 'atkinson', false],
    ]);
    expect(shaperReverses('محمد عبد الله')).toBe(true);
  });

  it('two right-to-left words split by a font change are drawn in right-to-left order', () => {
    // The Arabic face has no "(" or ")": the brackets are drawn by another face, mirrored, and the
    // pieces are placed right to left: "(علی)" is to the left of "محمد" (whose piece keeps its space,
    // laid out right to left by the shaper, so the space falls between the two).
    const runs = line('Ann محمد (علی) Lee');
    const texts = runs.map((r) => r.text);
    expect(texts[0]).toBe('Ann ');
    expect(texts.at(-1)).toBe(' Lee');
    expect(texts.slice(1, -1).join('|')).toBe('(|علی|)|محمد ');
    // The brackets are mirrored: the typed ")" is drawn as "(" on the left, and the typed "(" as ")".
    expect(runs.filter((r) => r.face !== 'arabic' && r.isRtl).map((r) => r.text)).toEqual(['(', ')']);
  });

  it('digits inside a right-to-left name keep their left-to-right order', () => {
    // As a browser shows it: "Flat 12 34 محمد" (the number after an Arabic word belongs to the
    // right-to-left island, and reads left to right within it).
    const runs = line('Flat 12 محمد 34');
    expect(runs.map((r) => [r.text, r.isRtl])).toEqual([
      ['Flat 12 ', false],
      ['34', false],
      ['محمد ', true],
    ]);
  });
});

describe('which font files a document loads', () => {
  it('reads Fontsource unicode ranges', () => {
    expect(parseUnicodeRange('U+0600-06FF,U+200C')).toEqual([
      [0x600, 0x6ff],
      [0x200c, 0x200c],
    ]);
  });

  it('an English document loads no font for other scripts, and never a Chinese piece for Latin letters', () => {
    const families = new Set(facesFor('Minute entry: Sarah Doe, 10:06 “quoted”').map((f) => f.family));
    expect([...families].sort()).toEqual(['atkinson-hyperlegible', 'noto-sans']);
  });

  it('names in other scripts load their fonts, and Chinese only the pieces with its letters', () => {
    const faces = facesFor('Sarah 王小明 محمد प्रिया');
    expect(new Set(faces.map((f) => f.script))).toEqual(
      new Set(['latin', 'chinese', 'arabic', 'devanagari']),
    );
    expect(faces.filter((f) => f.script === 'chinese').length).toBeLessThanOrEqual(3);
  });
});

describe('the offline fonts a council configures', () => {
  it('defaults to every script but Chinese; Latin is always kept; an unknown script is an error', () => {
    expect(offlineScripts(undefined)).toEqual([
      'latin',
      'greek',
      'cyrillic',
      'arabic',
      'devanagari',
      'bengali',
      'gurmukhi',
    ]);
    expect(offlineScripts('arabic, Chinese')).toEqual(['latin', 'arabic', 'chinese']);
    expect(() => offlineScripts('latin,klingon')).toThrow(/unknown script klingon/);
  });

  it('precaches the WOFF files of the configured scripts only', () => {
    const globs = precacheGlobs(['latin', 'arabic']);
    expect(globs).toContain('assets/noto-sans-arabic-arabic-{400,700}-normal-*.woff');
    expect(globs.some((g) => g.includes('noto-sans-sc'))).toBe(false);
    expect(globs.some((g) => g.includes('devanagari'))).toBe(false);
    expect(precacheGlobs(['chinese'])).toEqual(['assets/noto-sans-sc-*-400-normal-*.woff']);
  });
});
