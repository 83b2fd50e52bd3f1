import fc from 'fast-check';
import type { BasicPoint, PointGroup } from 'signature_pad';
import { describe, expect, it } from 'vitest';
import { type Signature, signatureSchema } from '../../src/domain/model';
import { isSignatureSubstantial } from '../../src/domain/rules';
import {
  fromPadData,
  PAD_STYLE,
  signatureToSvg,
  signatureToSvgDataUrl,
  toPadData,
} from '../../src/signature/strokes';

const W = 600;
const H = 240;

const group = (points: [number, number][], t0 = 1_000): PointGroup => ({
  ...PAD_STYLE,
  points: points.map(([x, y], i) => ({ x, y, time: t0 + i * 16, pressure: 0.5 })),
});

/** A wavy stroke across most of the pad, as signature_pad records one (CSS px, 5+ px apart). */
const wave = (): PointGroup =>
  group(
    Array.from({ length: 40 }, (_, i): [number, number] => [
      60 + i * 12,
      Math.round((120 + 60 * Math.sin(i / 3)) * 100) / 100,
    ]),
  );

const allPoints = (s: Signature) => s.strokes.flatMap((k) => k.points);
const xy = (p: BasicPoint) => ({ x: p.x, y: p.y });
/** arr[i], failing the test if it is missing (noUncheckedIndexedAccess). */
const at = <T>(arr: readonly T[], i: number): T => {
  const v = arr[i];
  if (v === undefined) throw new Error(`no element ${i}`);
  return v;
};
const dist = (a: { x: number; y: number }, b: { x: number; y: number }) => Math.hypot(a.x - b.x, a.y - b.y);

describe('fromPadData', () => {
  it('keeps the pad points in CSS px and records the pad size', () => {
    const data = [group([[10.5, 20.25]]), wave()];
    const signature = fromPadData(data, W, H);
    expect(signature.width).toBe(W);
    expect(signature.height).toBe(H);
    expect(signature.strokes).toHaveLength(2);
    expect(signature.strokes[0]?.points).toEqual([{ x: 10.5, y: 20.25, time: 1_000, pressure: 0.5 }]);
    expect(signatureSchema.safeParse(signature).success).toBe(true);
  });

  it('copies the points rather than aliasing the pad’s live toData() array', () => {
    const data = [wave()];
    const signature = fromPadData(data, W, H);
    data[0]?.points.push({ x: 1, y: 1, time: 0, pressure: 0 });
    (data[0]?.points[0] as BasicPoint).x = 999;
    expect(signature.strokes[0]?.points).toHaveLength(40);
    expect(signature.strokes[0]?.points[0]?.x).toBe(60);
  });

  it('clamps points dragged off the pad, normalises pressure and drops empty strokes', () => {
    const data: PointGroup[] = [
      { ...PAD_STYLE, points: [] },
      {
        ...PAD_STYLE,
        points: [
          { x: -12, y: 300, time: 1, pressure: 1.7 },
          { x: 700, y: -3, time: 2, pressure: Number.NaN },
          { x: Number.NaN, y: 5, time: 3, pressure: 0.5 },
        ],
      },
    ];
    const signature = fromPadData(data, W, H);
    expect(signature.strokes).toEqual([
      {
        points: [
          { x: 0, y: H, time: 1, pressure: 1 },
          { x: W, y: 0, time: 2, pressure: 0 },
        ],
      },
    ]);
    expect(signatureSchema.safeParse(signature).success).toBe(true);
  });

  it('refuses a pad with no size (a hidden canvas)', () => {
    expect(() => fromPadData([wave()], 0, H)).toThrow(RangeError);
  });
});

describe('toPadData', () => {
  it('round-trips fromPadData on a pad of the same size, point for point', () => {
    const data = [
      group([[10.5, 20.25]]),
      group([
        [3, 4],
        [30, 40],
      ]),
      wave(),
    ];
    const back = toPadData(fromPadData(data, W, H), W, H);
    expect(back).toEqual(data);
    expect(fromPadData(back, W, H)).toEqual(fromPadData(data, W, H));
  });

  it('gives each stroke the pad’s drawing options, as fromData() expects', () => {
    const [stroke] = toPadData(fromPadData([wave()], W, H), 300, 120);
    expect(stroke).toMatchObject(PAD_STYLE);
  });

  it('fits a rotated pad: every point inside, the shape kept and centred', () => {
    const signature = fromPadData([wave(), group([[0, 0]]), group([[W, H]])], W, H);
    const [tw, th] = [H, W]; // landscape 600 x 240 turned to portrait 240 x 600
    const rescaled = toPadData(signature, tw, th);
    const before = allPoints(signature).map(xy);
    const after = rescaled.flatMap((g) => g.points).map(xy);
    expect(after).toHaveLength(before.length);
    for (const p of after) {
      expect(p.x).toBeGreaterThanOrEqual(0);
      expect(p.x).toBeLessThanOrEqual(tw);
      expect(p.y).toBeGreaterThanOrEqual(0);
      expect(p.y).toBeLessThanOrEqual(th);
    }
    // Uniform scale (aspect ratio kept): every distance shrinks by the same factor, 240 / 600.
    const scale = Math.min(tw / W, th / H);
    for (let i = 1; i < before.length; i += 1) {
      expect(dist(at(after, i - 1), at(after, i))).toBeCloseTo(
        scale * dist(at(before, i - 1), at(before, i)),
        6,
      );
    }
    // The pad's corners map to a box centred in the new pad.
    expect(after.at(-2)).toEqual({ x: 0, y: (th - H * scale) / 2 });
    expect(after.at(-1)).toEqual({ x: tw, y: (th + H * scale) / 2 });
    // Times and pressures are untouched.
    expect(rescaled[0]?.points.map((p) => p.time)).toEqual(wave().points.map((p) => p.time));
  });

  it('keeps any signature inside any pad, with one scale for all of it (property)', () => {
    const size = fc.integer({ min: 40, max: 2_000 });
    const arb = fc.tuple(size, size).chain(([width, height]) =>
      fc.record({
        width: fc.constant(width),
        height: fc.constant(height),
        points: fc.array(
          fc.record({
            x: fc.double({ min: 0, max: width, noNaN: true }),
            y: fc.double({ min: 0, max: height, noNaN: true }),
          }),
          { minLength: 2, maxLength: 30 },
        ),
      }),
    );
    fc.assert(
      fc.property(arb, size, size, (src, tw, th) => {
        const signature: Signature = {
          width: src.width,
          height: src.height,
          strokes: [{ points: src.points.map((p, i) => ({ ...p, time: i, pressure: 0.5 })) }],
        };
        const out = toPadData(signature, tw, th).flatMap((g) => g.points);
        const scale = Math.min(tw / src.width, th / src.height);
        out.forEach((p, i) => {
          expect(p.x).toBeGreaterThanOrEqual(0);
          expect(p.x).toBeLessThanOrEqual(tw);
          expect(p.y).toBeGreaterThanOrEqual(0);
          expect(p.y).toBeLessThanOrEqual(th);
          if (i > 0) {
            const d = dist(at(src.points, i - 1), at(src.points, i)) * scale;
            expect(Math.abs(dist(at(out, i - 1), p) - d)).toBeLessThan(1e-6 * Math.max(1, d));
          }
        });
      }),
    );
  });

  it('gives nothing for a pad with no size', () => {
    expect(toPadData(fromPadData([wave()], W, H), 0, 0)).toEqual([]);
  });
});

describe('signatureToSvg', () => {
  const signature = fromPadData(
    [
      group([[10, 10]]),
      group([
        [5, 5],
        [50, 60],
      ]),
      wave(),
    ],
    W,
    H,
  );

  it('draws one path per stroke, in the pad’s CSS px, with round caps', () => {
    const svg = signatureToSvg(signature, { title: 'Signature of Sam' });
    expect(svg.match(/<path /g)).toHaveLength(3);
    expect(svg).toContain('viewBox="0 0 600 240"');
    expect(svg).toContain('stroke-linecap="round"');
    expect(svg).toContain('stroke-width="2.5"');
    expect(svg).toContain('<path d="M10 10 L10 10"/>'); // a dot: a zero-length line, capped round
    expect(svg).toContain('<path d="M5 5 L50 60"/>');
    expect(svg).toMatch(/<path d="M60 120 Q72 [\d.]+ [\d.]+ [\d.]+ Q/); // curves through the midpoints
  });

  it('is an accessible image named by an escaped title', () => {
    const svg = signatureToSvg(signature, { title: `Sam <b>"O'Neil"</b> & co` });
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" role="img" /);
    expect(svg).toContain('<title>Sam &lt;b&gt;&quot;O&apos;Neil&quot;&lt;/b&gt; &amp; co</title>');
    expect(svg).not.toContain('<b>');
  });

  it('makes a data URL that keeps a title in any script', () => {
    const title = 'Llofnod Siôn — Подпись';
    const url = signatureToSvgDataUrl(signature, { title });
    expect(url.startsWith('data:image/svg+xml;charset=utf-8,')).toBe(true);
    expect(decodeURIComponent(url.slice(url.indexOf(',') + 1))).toBe(signatureToSvg(signature, { title }));
  });
});

describe('a pad’s strokes and isSignatureSubstantial', () => {
  it('an empty pad is not a signature', () => {
    const signature = fromPadData([], W, H);
    expect(signature.strokes).toEqual([]);
    expect(isSignatureSubstantial(signature)).toBe(false);
    expect(signatureSchema.safeParse(signature).success).toBe(false);
  });

  it('a single dot is not a signature', () => {
    expect(isSignatureSubstantial(fromPadData([group([[300, 120]])], W, H))).toBe(false);
  });

  it('a short scratch is not a signature', () => {
    const scratch = group(Array.from({ length: 12 }, (_, i): [number, number] => [300 + i * 2, 120]));
    expect(isSignatureSubstantial(fromPadData([scratch], W, H))).toBe(false);
  });

  it('a real stroke is, and still is on the rotated pad', () => {
    const signature = fromPadData([wave()], W, H);
    expect(isSignatureSubstantial(signature)).toBe(true);
    expect(isSignatureSubstantial(fromPadData(toPadData(signature, H, W), H, W))).toBe(true);
  });
});
