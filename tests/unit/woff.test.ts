/**
 * The PDF fonts ship as WOFF; they are turned into plain OpenType once per file before fontkit reads them
 * (fontkit would inflate a WOFF table again on every read). The result must be the same font.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import fontkit from '@pdf-lib/fontkit';
import { describe, expect, it } from 'vitest';
import { isWoff, woffToSfnt } from '../../src/export/woff';

const require = createRequire(import.meta.url);
const fontFile = async (family: string, file: string) =>
  new Uint8Array(
    await readFile(join(dirname(require.resolve(`@fontsource/${family}/package.json`)), 'files', file)),
  );

describe('WOFF to OpenType', () => {
  it('gives the same font: same glyphs, same coverage, same shaping', async () => {
    const woff = await fontFile('noto-sans-arabic', 'noto-sans-arabic-arabic-400-normal.woff');
    const sfnt = woffToSfnt(woff);
    expect(isWoff(woff)).toBe(true);
    expect(isWoff(sfnt)).toBe(false);
    const a = fontkit.create(woff);
    const b = fontkit.create(sfnt);
    expect(b.numGlyphs).toBe(a.numGlyphs);
    expect(b.characterSet).toEqual(a.characterSet);
    const ids = (f: typeof a) => f.layout('محمد علی').glyphs.map((g) => g.id);
    expect(ids(b)).toEqual(ids(a));
  });

  it('a damaged file is a clear error, and a font that is not WOFF is passed through', async () => {
    const woff = await fontFile('noto-sans', 'noto-sans-greek-400-normal.woff');
    expect(() => woffToSfnt(woff.slice(0, 200))).toThrow(/Not a valid WOFF font/);
    const sfnt = woffToSfnt(woff);
    expect(woffToSfnt(sfnt)).toBe(sfnt);
  });
});
