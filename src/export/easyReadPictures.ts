/**
 * The pictures of the Easy read undertaking: one per idea (the points a-e of HCS 3.3, and asking and
 * signing), drawn as SVG path data in a 64 x 64 box so that the one-page PDF (pdf-lib's drawSvgPath) and
 * the tablet's screens (<svg><path/></svg>) draw the same picture. Plain data, no imports: the tablet
 * can import it without pulling in the PDF code. Drawn for this app (no third-party symbol set).
 */
import type { EasyReadPictureId } from '../domain/profiles';

export interface EasyReadShape {
  d: string;
  fill?: string;
  stroke?: string;
  strokeWidth?: number;
}

export interface EasyReadPicture {
  /** Width and height of the square box the paths are drawn in. */
  viewBox: 64;
  /** What the picture shows, for a screen reader (the words beside it say what it means). */
  alt: string;
  shapes: readonly EasyReadShape[];
}

const NAVY = '#1d3f72';
const RED = '#c62828';
const GREEN = '#2e7d32';
const WHITE = '#ffffff';

const circle = (cx: number, cy: number, r: number) =>
  `M${cx - r} ${cy}A${r} ${r} 0 1 0 ${cx + r} ${cy}A${r} ${r} 0 1 0 ${cx - r} ${cy}Z`;

export const EASY_READ_PICTURES: Readonly<Record<EasyReadPictureId, EasyReadPicture>> = {
  recording: {
    viewBox: 64,
    alt: 'A phone recording',
    shapes: [
      {
        d: 'M21 5H43A4 4 0 0 1 47 9V55A4 4 0 0 1 43 59H21A4 4 0 0 1 17 55V9A4 4 0 0 1 21 5Z',
        fill: WHITE,
        stroke: NAVY,
        strokeWidth: 3,
      },
      { d: circle(32, 29, 9), fill: RED },
      { d: 'M28 51H36', stroke: NAVY, strokeWidth: 3 },
    ],
  },
  'childrens-services': {
    viewBox: 64,
    alt: 'A family in a house',
    shapes: [
      { d: 'M6 30L32 8L58 30', stroke: NAVY, strokeWidth: 3.5 },
      { d: 'M13 26V57H51V26', stroke: NAVY, strokeWidth: 3.5 },
      { d: circle(26, 35, 4.5), fill: NAVY },
      { d: 'M19 56C19 44 33 44 33 56Z', fill: NAVY },
      { d: circle(40, 42, 3.5), fill: GREEN },
      { d: 'M35 56C35 47 45 47 45 56Z', fill: GREEN },
    ],
  },
  'give-copy': {
    viewBox: 64,
    alt: 'A recording given to a person',
    shapes: [
      {
        d: 'M5 18H21A2 2 0 0 1 23 20V46A2 2 0 0 1 21 48H5A2 2 0 0 1 3 46V20A2 2 0 0 1 5 18Z',
        fill: WHITE,
        stroke: NAVY,
        strokeWidth: 2.5,
      },
      { d: circle(13, 31, 4), fill: RED },
      { d: 'M27 33H41', stroke: GREEN, strokeWidth: 3.5 },
      { d: 'M36 27L42 33L36 39', stroke: GREEN, strokeWidth: 3.5 },
      { d: circle(53, 24, 6), fill: NAVY },
      { d: 'M44 50C44 35 62 35 62 50Z', fill: NAVY },
    ],
  },
  'no-internet': {
    viewBox: 64,
    alt: 'The internet, crossed out',
    shapes: [
      { d: circle(32, 32, 17), stroke: NAVY, strokeWidth: 2.5 },
      { d: 'M15 32H49M32 15V49M19 23H45M19 41H45', stroke: NAVY, strokeWidth: 2 },
      { d: 'M32 15C22 22 22 42 32 49C42 42 42 22 32 15Z', stroke: NAVY, strokeWidth: 2 },
      { d: circle(32, 32, 27), stroke: RED, strokeWidth: 5 },
      { d: 'M13 13L51 51', stroke: RED, strokeWidth: 5 },
    ],
  },
  court: {
    viewBox: 64,
    alt: 'A court building',
    shapes: [
      { d: 'M6 21L32 6L58 21Z', fill: NAVY },
      { d: 'M11 25H17V50H11ZM23 25H29V50H23ZM35 25H41V50H35ZM47 25H53V50H47Z', fill: NAVY },
      { d: 'M5 53H59V59H5Z', fill: NAVY },
    ],
  },
  'legal-advice': {
    viewBox: 64,
    alt: 'Scales of justice',
    shapes: [
      { d: 'M32 9V53M20 56H44M10 17H54', stroke: NAVY, strokeWidth: 3 },
      { d: 'M10 17L3 35M10 17L17 35M54 17L47 35M54 17L61 35', stroke: NAVY, strokeWidth: 1.8 },
      { d: 'M2 35Q10 45 18 35Z', fill: NAVY },
      { d: 'M46 35Q54 45 62 35Z', fill: NAVY },
      { d: circle(32, 9, 3), fill: NAVY },
    ],
  },
  sign: {
    viewBox: 64,
    alt: 'A pen signing',
    shapes: [
      { d: 'M6 54H58', stroke: NAVY, strokeWidth: 2.5 },
      { d: 'M8 46C14 34 18 52 24 42S34 48 38 40', stroke: NAVY, strokeWidth: 2.5 },
      { d: 'M40 42L56 12L62 16L46 45Z', fill: NAVY },
      { d: 'M40 42L46 45L39 49Z', fill: GREEN },
    ],
  },
};
