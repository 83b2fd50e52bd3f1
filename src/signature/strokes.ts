/**
 * Pure conversions between signature_pad's stroke data and the domain's `Signature` (no DOM here).
 *
 * Coordinates: signature_pad 5.1.4 records each point as `clientX - canvas.getBoundingClientRect().left`
 * (and likewise for y), so `toData()` points are CSS pixels relative to the canvas's border box, whatever
 * `devicePixelRatio` is; `fromData()` draws them in the context's user space, which is CSS pixels only
 * when the context has been scaled by the device pixel ratio. The strokes are the source of truth:
 * a picture is drawn from them, and a pad of another size gets them rescaled.
 */
import type { BasicPoint, PointGroup, PointGroupOptions } from 'signature_pad';
import type { Signature } from '../domain/model';

/** How the pad draws, and how strokes given back to it are drawn (signature_pad's per-stroke options). */
export const PAD_STYLE: PointGroupOptions = {
  penColor: '#111',
  /** signature_pad widths are radii in CSS px: lines are 1.5 to 6 px wide. */
  minWidth: 0.75,
  maxWidth: 3,
  dotSize: 0,
  velocityFilterWeight: 0.7,
  compositeOperation: 'source-over',
};

type Point = Signature['strokes'][number]['points'][number];

const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));
/** Hundredths of a CSS pixel: finer than any touch screen, and half the JSON of a raw double. */
const round2 = (v: number): number => Math.round(v * 100) / 100;

function toPoint(p: BasicPoint, width: number, height: number): Point | null {
  if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) return null;
  return {
    // A stroke dragged off the pad keeps reporting points outside it; what was seen is the pad.
    x: round2(clamp(p.x, 0, width)),
    y: round2(clamp(p.y, 0, height)),
    time: Number.isFinite(p.time) ? p.time : 0,
    // Touch.force is undefined in some browsers; pointerup reports 0. The schema wants [0, 1].
    pressure: Number.isFinite(p.pressure) ? clamp(p.pressure, 0, 1) : 0,
  };
}

/**
 * The pad's `toData()` as a `Signature` of a pad `padCssWidth` x `padCssHeight` CSS px. Points are
 * copied (toData() returns the pad's live array), clamped to the pad and rounded to 0.01 px; empty
 * strokes are dropped. An empty pad gives `strokes: []`, which `signatureSchema` rejects and
 * `isSignatureSubstantial` reports as not a signature.
 */
export function fromPadData(
  data: readonly PointGroup[],
  padCssWidth: number,
  padCssHeight: number,
): Signature {
  if (!(padCssWidth > 0 && padCssHeight > 0)) {
    throw new RangeError(`A signature pad needs a positive size, not ${padCssWidth} x ${padCssHeight}`);
  }
  const strokes: Signature['strokes'] = [];
  for (const group of data) {
    const points = group.points
      .map((p) => toPoint(p, padCssWidth, padCssHeight))
      .filter((p): p is Point => p !== null);
    if (points.length > 0) strokes.push({ points });
  }
  return { width: padCssWidth, height: padCssHeight, strokes };
}

/** The scale and offsets that fit a `from` box into a `to` box, keeping the aspect ratio, centred. */
export function fitTransform(
  from: { width: number; height: number },
  to: { width: number; height: number },
): { scale: number; dx: number; dy: number } {
  const scale = Math.min(to.width / from.width, to.height / from.height);
  return { scale, dx: (to.width - from.width * scale) / 2, dy: (to.height - from.height * scale) / 2 };
}

/**
 * The signature's strokes for `fromData()` on a pad of `targetCssWidth` x `targetCssHeight` CSS px:
 * scaled uniformly to fit (aspect ratio kept) and centred, so a rotated or resized pad shows the same
 * signature. Times and pressures are kept; `style` sets how the strokes are drawn.
 */
export function toPadData(
  signature: Signature,
  targetCssWidth: number,
  targetCssHeight: number,
  style: PointGroupOptions = PAD_STYLE,
): PointGroup[] {
  if (!(targetCssWidth > 0 && targetCssHeight > 0)) return [];
  const { scale, dx, dy } = fitTransform(signature, { width: targetCssWidth, height: targetCssHeight });
  return signature.strokes
    .filter((s) => s.points.length > 0) // fromData() would throw on a stroke with no point
    .map((s) => ({
      ...style,
      points: s.points.map((p) => ({
        x: clamp(p.x * scale + dx, 0, targetCssWidth),
        y: clamp(p.y * scale + dy, 0, targetCssHeight),
        time: p.time,
        pressure: p.pressure,
      })),
    }));
}

// ---------------------------------------------------------------- pictures

export interface SignatureSvgOptions {
  /** The accessible name of the picture (e.g. "Signature of Sam Smith"); escaped here. */
  title: string;
  /** Line width in CSS px (default 2.5). Finger pressure is 0 or a constant on most tablets, so unused. */
  strokeWidth?: number;
  /** Ink colour (default the pad's). */
  color?: string;
}

const num = (v: number): string => String(round2(v));

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};
/** Escapes text for XML content and attribute values. */
export const escapeXml = (text: string): string => text.replace(/[&<>"']/g, (c) => XML_ESCAPES[c] ?? c);

/**
 * One stroke as SVG path data: a dot is a zero-length line (drawn with round caps), two points a line,
 * more a chain of quadratic curves through the midpoints, with each sampled point as a control point.
 */
export function strokePathData(points: readonly { x: number; y: number }[]): string {
  const [first, ...rest] = points;
  if (!first) return '';
  const p = (q: { x: number; y: number }): string => `${num(q.x)} ${num(q.y)}`;
  if (rest.length === 0) return `M${p(first)} L${p(first)}`;
  if (rest.length === 1) return `M${p(first)} L${p(rest[0] as { x: number; y: number })}`;
  let d = `M${p(first)}`;
  for (let i = 1; i < points.length - 1; i += 1) {
    const c = points[i] as { x: number; y: number };
    const n = points[i + 1] as { x: number; y: number };
    d += ` Q${p(c)} ${p({ x: (c.x + n.x) / 2, y: (c.y + n.y) / 2 })}`;
  }
  return `${d} L${p(points[points.length - 1] as { x: number; y: number })}`;
}

/**
 * A standalone SVG of the signature in its own CSS pixels (viewBox = width x height, so it is the same
 * size at any devicePixelRatio, unlike toSVG() at DPR 2): one `<path>` per stroke,
 * `role="img"` and a `<title>` for its accessible name.
 */
export function signatureToSvg(signature: Signature, options: SignatureSvgOptions): string {
  const { title, strokeWidth = 2.5, color = PAD_STYLE.penColor } = options;
  const w = num(signature.width);
  const h = num(signature.height);
  const paths = signature.strokes
    .map((s) => strokePathData(s.points))
    .filter((d) => d !== '')
    .map((d) => `<path d="${d}"/>`)
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}">` +
    `<title>${escapeXml(title)}</title>` +
    `<g fill="none" stroke="${escapeXml(color)}" stroke-width="${num(strokeWidth)}" ` +
    `stroke-linecap="round" stroke-linejoin="round">${paths}</g></svg>`
  );
}

/**
 * The SVG as a `data:` URL for an `<img src>` (give the img its own alt). Percent-encoded rather than
 * base64 so that a title in any language survives (btoa() throws on characters beyond Latin-1).
 */
export function signatureToSvgDataUrl(signature: Signature, options: SignatureSvgOptions): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(signatureToSvg(signature, options))}`;
}
