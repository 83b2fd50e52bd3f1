/**
 * The minute entry and the signed undertaking as PDF documents (pdf-lib). This module is loaded lazily
 * (`import('./pdf')`), so the tablet's first load does not carry pdf-lib. The PDFs are drawn from the
 * same projection (minuteEntry) as the text and JSON exports, so they can never disagree. Text is drawn
 * in embedded fonts chosen per run of text (fonts.ts, textRuns.ts), so every name prints as it was typed,
 * in any of the scripts the catalogue has (fontCatalogue.ts).
 *
 * Every page carries the council's protective marking at its top and bottom, and a footer with the page
 * number and a short record check (the first 12 hex digits of the head hash). The full hash, the meeting
 * id, a QR code and the address of the records service's verify page are in one "Record check" block.
 */
import { PDFDocument, type PDFPage, rgb } from 'pdf-lib';
import { encode } from 'uqr';
import { dateOf, timeOf } from '../domain/dates';
import type { MinuteEntry } from '../domain/minutes';
import {
  type Branding,
  brandingOf,
  type Logo,
  type PolicyProfile,
  PROFILES,
  profileById,
  undertakingVersionOf,
  verifyUrlOf,
} from '../domain/profiles';
import { fitTransform, strokePathData } from '../signature/strokes';
import { EASY_READ_PICTURES, type EasyReadPicture } from './easyReadPictures';
import {
  EmbeddedFaces,
  type Face,
  type FontFileLoader,
  type FontSet,
  loadFonts,
  widthAtSizeOne,
} from './fonts';
import { BIDI_CONTROLS, splitByFont, visualRuns } from './textRuns';

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;
const WIDTH = A4[0] - 2 * MARGIN;
/** Where content starts and must end, leaving room for the marking and footer on every page. */
const CONTENT_TOP = A4[1] - 50;
const CONTENT_BOTTOM = 62;
const INK = rgb(0.08, 0.09, 0.12);
const MUTED = rgb(0.3, 0.32, 0.38);
const LINE = rgb(0.62, 0.64, 0.68);
const SHADE = rgb(0.93, 0.94, 0.96);
const WHITE = rgb(1, 1, 1);
type Colour = typeof INK;

/** Where the PDF code gets its font files, and the records service's own address when it has one. */
export interface PdfOptions {
  fonts: FontFileLoader;
  /**
   * The records service's address for verification (its configuration, or the address a tablet syncs to);
   * without it, the policy profile's branding gives it.
   */
  verifyBaseUrl?: string;
  /** A council's own branding (the service's configuration); without it, the policy profile's. */
  branding?: Branding;
}

/** A run of text placed on a page, drawn once every face it uses is embedded. */
interface Placed {
  page: PDFPage;
  text: string;
  face: Face;
  x: number;
  y: number;
  size: number;
  color: Colour;
}

interface TextStyle {
  size?: number;
  isBold?: boolean;
  indent?: number;
  color?: Colour;
  gap?: number;
}

const hexColour = (hex: string): Colour => {
  const n = Number.parseInt(hex.replace('#', ''), 16);
  return rgb(((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255);
};

const listJoin = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;

const shortCheck = (headHash: string) => headHash.slice(0, 12);

class Writer {
  private page: PDFPage;
  private y = CONTENT_TOP;
  private readonly placed: Placed[] = [];
  /** Called on each new page after the first (e.g. to repeat a table's header row). */
  private onNewPage: (() => void) | null = null;

  constructor(
    private readonly doc: PDFDocument,
    private readonly fonts: FontSet,
    private readonly branding: Branding,
    /** Left of the footer: what the document is. Right: "Page x of y" and the short record check. */
    private readonly footer: { title: string; check: string },
  ) {
    this.page = this.newPage();
  }

  private newPage(): PDFPage {
    const page = this.doc.addPage(A4);
    this.y = CONTENT_TOP;
    return page;
  }

  /** Room for `height` more points on this page, or a new page. Returns whether a page was started. */
  ensure(height: number): boolean {
    if (this.y - height >= CONTENT_BOTTOM) return false;
    this.page = this.newPage();
    this.onNewPage?.();
    return true;
  }

  /** Letters drawn that no font of the app has (printed as boxes; the document says which). */
  private readonly unprintable = new Set<string>();

  private runs(text: string, isBold: boolean) {
    const faces = isBold ? this.fonts.bold : this.fonts.regular;
    const fallback = isBold ? this.fonts.fallback.bold : this.fonts.fallback.regular;
    return splitByFont<Face>(text, faces, (face, cp) => face.codePoints.has(cp), fallback);
  }

  private noteUnprintable(line: string) {
    for (const ch of line.replace(BIDI_CONTROLS, '')) {
      const cp = ch.codePointAt(0) ?? 0;
      if (/[\s\p{M}\p{Cf}]/u.test(ch)) continue;
      if (!this.fonts.regular.some((face) => face.codePoints.has(cp))) this.unprintable.add(ch);
    }
  }

  /** Widths at size 1, per face and text: shaping a word is the costly part of wrapping. */
  private readonly widths = new Map<Face, Map<string, number>>();

  widthOf(text: string, isBold: boolean, size: number): number {
    let width = 0;
    for (const run of this.runs(text, isBold)) {
      const part = text.slice(run.start, run.end).replace(BIDI_CONTROLS, '');
      if (!part) continue;
      const known = this.widths.get(run.face) ?? new Map<string, number>();
      this.widths.set(run.face, known);
      const unit = known.get(part) ?? widthAtSizeOne(run.face, part);
      known.set(part, unit);
      width += unit * size;
    }
    return width;
  }

  /** A word wider than the line (a URL, a hash) is broken between letters. */
  private pieces(word: string, isBold: boolean, size: number, width: number): string[] {
    if (this.widthOf(word, isBold, size) <= width) return [word];
    const out: string[] = [];
    let piece = '';
    for (const ch of word) {
      if (piece && this.widthOf(piece + ch, isBold, size) > width) {
        out.push(piece);
        piece = '';
      }
      piece += ch;
    }
    if (piece) out.push(piece);
    return out;
  }

  wrap(text: string, isBold: boolean, size: number, width: number): string[] {
    const lines: string[] = [];
    const space = this.widthOf(' ', isBold, size);
    for (const paragraph of text.split('\n')) {
      let line = '';
      let lineWidth = 0;
      for (const word of paragraph.split(/\s+/).flatMap((w) => this.pieces(w, isBold, size, width))) {
        const wordWidth = this.widthOf(word, isBold, size);
        if (!line || lineWidth + space + wordWidth <= width) {
          lineWidth = line ? lineWidth + space + wordWidth : wordWidth;
          line = line ? `${line} ${word}` : word;
        } else {
          lines.push(line);
          line = word;
          lineWidth = wordWidth;
        }
      }
      lines.push(line);
    }
    return lines;
  }

  /** One line, its runs in the order they are seen, each in its own font. */
  drawLine(
    page: PDFPage,
    line: string,
    at: { x: number; y: number },
    style: { size: number; isBold: boolean; color: Colour },
  ) {
    this.noteUnprintable(line);
    let x = at.x;
    for (const run of visualRuns(line, this.runs(line, style.isBold))) {
      this.placed.push({
        page,
        text: run.text,
        face: run.face,
        x,
        y: at.y,
        size: style.size,
        color: style.color,
      });
      x += widthAtSizeOne(run.face, run.text) * style.size;
    }
  }

  text(text: string, options: TextStyle = {}) {
    const size = options.size ?? 10.5;
    const isBold = options.isBold ?? false;
    const indent = options.indent ?? 0;
    const lineHeight = size * 1.35;
    for (const line of this.wrap(text, isBold, size, WIDTH - indent)) {
      this.ensure(lineHeight);
      this.drawLine(
        this.page,
        line,
        { x: MARGIN + indent, y: this.y - size },
        { size, isBold, color: options.color ?? INK },
      );
      this.y -= lineHeight;
    }
    this.y -= options.gap ?? 4;
  }

  heading(text: string) {
    // A heading is never the last line of a page.
    this.ensure(60);
    this.y -= 6;
    this.text(text, { size: 12.5, isBold: true, gap: 6 });
  }

  space(points: number) {
    this.y -= points;
  }

  rule() {
    this.ensure(12);
    this.page.drawLine({
      start: { x: MARGIN, y: this.y - 4 },
      end: { x: A4[0] - MARGIN, y: this.y - 4 },
      thickness: 0.7,
      color: LINE,
    });
    this.y -= 14;
  }

  /** The council's logo, name and the document's title: the top of the first page. */
  letterhead(title: string, subtitle: string) {
    const logoSize = 42;
    drawLogo(this.page, this.branding.logo, { x: MARGIN, y: this.y, size: logoSize });
    const x = MARGIN + logoSize + 12;
    const nameLines = this.wrap(this.branding.councilName, true, 14, WIDTH - logoSize - 12);
    let y = this.y - 15;
    for (const line of nameLines) {
      this.drawLine(this.page, line, { x, y }, { size: 14, isBold: true, color: INK });
      y -= 17;
    }
    this.drawLine(this.page, subtitle, { x, y: y + 2 }, { size: 9.5, isBold: false, color: MUTED });
    this.y = Math.min(this.y - logoSize, y - 4) - 10;
    this.page.drawLine({
      start: { x: MARGIN, y: this.y },
      end: { x: A4[0] - MARGIN, y: this.y },
      thickness: 1.4,
      color: hexColour('#1d3f72'),
    });
    this.y -= 14;
    this.text(title, { size: 16, isBold: true, gap: 8 });
  }

  /** Label and value pairs, the labels in a narrow column. */
  facts(rows: ReadonlyArray<[string, string]>, labelWidth = 96) {
    const size = 10.5;
    const lineHeight = size * 1.35;
    for (const [label, value] of rows) {
      const lines = this.wrap(value, false, size, WIDTH - labelWidth);
      this.ensure(lineHeight * Math.min(lines.length, 3));
      this.drawLine(
        this.page,
        `${label}:`,
        { x: MARGIN, y: this.y - size },
        { size, isBold: true, color: MUTED },
      );
      for (const line of lines) {
        this.ensure(lineHeight);
        this.drawLine(
          this.page,
          line,
          { x: MARGIN + labelWidth, y: this.y - size },
          { size, isBold: false, color: INK },
        );
        this.y -= lineHeight;
      }
      this.y -= 2;
    }
    this.y -= 4;
  }

  /** A table with a shaded header row, repeated on each page it runs onto; cells wrap. */
  table(columns: ReadonlyArray<{ title: string; width: number }>, rows: ReadonlyArray<readonly string[]>) {
    const size = 9.5;
    const lineHeight = size * 1.3;
    const pad = 4;
    const scale = WIDTH / columns.reduce((sum, c) => sum + c.width, 0);
    const widths = columns.map((c) => c.width * scale);
    // Lines of a row a page can hold under the repeated header row.
    const pageLines = Math.floor((CONTENT_TOP - CONTENT_BOTTOM - 2 * pad) / lineHeight) - 2;
    const row = (cells: readonly string[], isHeader: boolean) => {
      const wrapped = cells.map((cell, i) => this.wrap(cell, isHeader, size, (widths[i] ?? 0) - 2 * pad));
      const total = Math.max(...wrapped.map((l) => l.length));
      // A row that fits on a page is kept whole; a longer one (a long reason) runs on to the next page,
      // under the header row again, rather than off the foot of this one.
      if (!isHeader && this.ensure(Math.min(total, pageLines) * lineHeight + 2 * pad)) header();
      for (let from = 0; from < total; ) {
        if (from > 0) {
          this.ensure(Number.POSITIVE_INFINITY);
          header();
        }
        const fit = Math.max(1, Math.floor((this.y - CONTENT_BOTTOM - 2 * pad) / lineHeight));
        const count = isHeader ? total : Math.min(total - from, fit);
        const height = count * lineHeight + 2 * pad;
        if (isHeader) {
          this.page.drawRectangle({ x: MARGIN, y: this.y - height, width: WIDTH, height, color: SHADE });
        }
        let x = MARGIN;
        wrapped.forEach((lines, i) => {
          lines.slice(from, from + count).forEach((line, n) => {
            this.drawLine(
              this.page,
              line,
              { x: x + pad, y: this.y - pad - size - n * lineHeight + 1 },
              { size, isBold: isHeader, color: INK },
            );
          });
          x += widths[i] ?? 0;
        });
        this.page.drawLine({
          start: { x: MARGIN, y: this.y - height },
          end: { x: MARGIN + WIDTH, y: this.y - height },
          thickness: 0.5,
          color: LINE,
        });
        this.y -= height;
        from += count;
      }
    };
    const header = () =>
      row(
        columns.map((c) => c.title),
        true,
      );
    this.ensure(lineHeight * 4);
    header();
    for (const cells of rows) row(cells, false);
    this.y -= 8;
  }

  /** Text in a framed, shaded box kept on one page: the outcome, the record check. */
  box(
    title: string,
    lines: ReadonlyArray<{ text: string; isBold?: boolean; size?: number; color?: Colour }>,
    aside?: { size: number; draw: (page: PDFPage, x: number, y: number) => void },
  ) {
    const pad = 10;
    const asideWidth = aside ? aside.size + pad : 0;
    const textWidth = WIDTH - 2 * pad - asideWidth;
    const laid = [
      { text: title, isBold: true, size: 11.5, color: INK },
      ...lines.map((l) => ({ isBold: false, size: 10.5, color: INK, ...l })),
    ].flatMap((l) => this.wrap(l.text, l.isBold, l.size, textWidth).map((line) => ({ ...l, text: line })));
    const textHeight = laid.reduce((sum, l) => sum + l.size * 1.35, 0);
    const height = Math.max(textHeight, aside?.size ?? 0) + 2 * pad;
    this.ensure(height + 8);
    const top = this.y;
    this.page.drawRectangle({
      x: MARGIN,
      y: top - height,
      width: WIDTH,
      height,
      color: SHADE,
      borderColor: LINE,
      borderWidth: 0.8,
    });
    let y = top - pad;
    for (const l of laid) {
      this.drawLine(this.page, l.text, { x: MARGIN + pad, y: y - l.size }, l);
      y -= l.size * 1.35;
    }
    aside?.draw(this.page, MARGIN + WIDTH - pad - aside.size, top - pad);
    this.y = top - height - 10;
  }

  /** Draws a signature from its stroke data, fitted into a box of the given height. */
  signature(signature: NonNullable<MinuteEntry['undertaking']>['signature'], height: number) {
    this.ensure(height + 10);
    const box = { x: MARGIN, y: this.y - height, width: WIDTH, height };
    this.page.drawRectangle({ ...box, borderColor: LINE, borderWidth: 0.7 });
    const { scale, dx, dy } = fitTransform(
      { width: signature.width, height: signature.height },
      { width: WIDTH - 16, height: height - 16 },
    );
    for (const stroke of signature.strokes) {
      this.page.drawSvgPath(strokePathData(stroke.points), {
        x: box.x + 8 + dx,
        y: box.y + height - 8 - dy,
        scale,
        borderColor: INK,
        borderWidth: 1.6 / Math.max(scale, 0.1),
        borderLineCap: 1,
      });
    }
    this.y -= height + 10;
  }

  /** An Easy read line: its picture on the left, the words large on the right. */
  pictureLine(picture: EasyReadPicture, text: string, pictureSize: number) {
    const size = 16;
    const lineHeight = size * 1.4;
    const gap = 16;
    const lines = this.wrap(text, false, size, WIDTH - pictureSize - gap);
    const height = Math.max(pictureSize, lines.length * lineHeight);
    this.ensure(height + 10);
    drawPicture(this.page, picture, { x: MARGIN, y: this.y, size: pictureSize });
    let y = this.y - (height - lines.length * lineHeight) / 2;
    for (const line of lines) {
      this.drawLine(
        this.page,
        line,
        { x: MARGIN + pictureSize + gap, y: y - size },
        { size, isBold: false, color: INK },
      );
      y -= lineHeight;
    }
    this.y -= height + 10;
  }

  /** Marking top and bottom, footers, then the text itself: only the faces drawn with are embedded. */
  async finish() {
    if (this.fonts.missing.length) {
      this.text(
        `Some letters could not be printed on this device (no ${this.fonts.missing.join(', ')} font here); the records service's copy prints them.`,
        { size: 9, isBold: true },
      );
    } else if (this.unprintable.size) {
      const letters = [...this.unprintable]
        .slice(0, 12)
        .map((ch) => `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`);
      this.text(
        `Some letters are printed as boxes: this version of the app has no font for them (${letters.join(', ')}). The record itself holds them as typed.`,
        { size: 9, isBold: true },
      );
    }
    const pages = this.doc.getPages();
    const marking = this.branding.protectiveMarking;
    const markingWidth = this.widthOf(marking, true, 10);
    pages.forEach((page, i) => {
      for (const y of [A4[1] - 30, 16]) {
        this.drawLine(
          page,
          marking,
          { x: (A4[0] - markingWidth) / 2, y },
          { size: 10, isBold: true, color: INK },
        );
      }
      page.drawLine({
        start: { x: MARGIN, y: 44 },
        end: { x: A4[0] - MARGIN, y: 44 },
        thickness: 0.5,
        color: LINE,
      });
      const right = `Page ${i + 1} of ${pages.length}  ·  Record check ${this.footer.check}`;
      const rightWidth = this.widthOf(right, false, 8);
      const titleLines = this.wrap(this.footer.title, false, 8, WIDTH - rightWidth - 24);
      const left = `${titleLines[0] ?? ''}${titleLines.length > 1 ? '…' : ''}`;
      this.drawLine(page, left, { x: MARGIN, y: 34 }, { size: 8, isBold: false, color: MUTED });
      this.drawLine(
        page,
        right,
        { x: A4[0] - MARGIN - rightWidth, y: 34 },
        { size: 8, isBold: false, color: MUTED },
      );
    });
    const embedded = new EmbeddedFaces(this.doc);
    for (const p of this.placed) {
      const font = await embedded.fontFor(p.face);
      p.page.drawText(p.text, { x: p.x, y: p.y, size: p.size, font, color: p.color });
    }
  }

  /** The record check block: what to compare, and the QR code and address that open the verify page. */
  recordCheck(lines: ReadonlyArray<string>, url: string) {
    const qr = encode(url, { ecc: 'M', border: 0 });
    const size = 104;
    this.box(
      'Record check',
      [
        ...lines.map((text) => ({ text, size: 9.5 })),
        { text: 'To check this document against the records service, scan the code or open:', size: 9.5 },
        { text: url, size: 8.5, color: MUTED },
      ],
      { size, draw: (page, x, y) => drawQr(page, qr.data, { x, y, size }) },
    );
  }
}

/** The QR code's dark modules as rectangles (one per run of dark modules in a row), on a white ground. */
function drawQr(page: PDFPage, data: boolean[][], at: { x: number; y: number; size: number }) {
  const quiet = 4;
  const cells = data.length + 2 * quiet;
  const module = at.size / cells;
  page.drawRectangle({ x: at.x, y: at.y - at.size, width: at.size, height: at.size, color: WHITE });
  data.forEach((row, r) => {
    let start = -1;
    row.forEach((isDark, c) => {
      if (isDark && start < 0) start = c;
      if ((!isDark || c === row.length - 1) && start >= 0) {
        const end = isDark ? c + 1 : c;
        page.drawRectangle({
          x: at.x + (quiet + start) * module,
          y: at.y - (quiet + r + 1) * module,
          width: (end - start) * module,
          height: module,
          color: INK,
        });
        start = -1;
      }
    });
  });
}

/** The logo, `size` points square, its top-left at (x, y). */
function drawLogo(page: PDFPage, logo: Logo, at: { x: number; y: number; size: number }) {
  if (logo.kind === 'svg') {
    const scale = at.size / Math.max(logo.viewBox.width, logo.viewBox.height);
    for (const path of logo.paths) {
      page.drawSvgPath(path.d, { x: at.x, y: at.y, scale, color: hexColour(path.fill) });
    }
  }
  // A PNG logo is embedded when the document is finished (embedPng is asynchronous): see drawPngLogo.
}

async function drawPngLogo(
  doc: PDFDocument,
  page: PDFPage,
  logo: Logo,
  at: { x: number; y: number; size: number },
) {
  if (logo.kind !== 'png') return;
  const image = await doc.embedPng(logo.base64);
  const { width, height } = image.scaleToFit(at.size, at.size);
  page.drawImage(image, { x: at.x, y: at.y - height, width, height });
}

/** An Easy read picture, `size` points square, its top-left at (x, y). */
function drawPicture(page: PDFPage, picture: EasyReadPicture, at: { x: number; y: number; size: number }) {
  const scale = at.size / picture.viewBox;
  page.drawRectangle({
    x: at.x,
    y: at.y - at.size,
    width: at.size,
    height: at.size,
    borderColor: LINE,
    borderWidth: 0.6,
  });
  for (const shape of picture.shapes) {
    page.drawSvgPath(shape.d, {
      x: at.x,
      y: at.y,
      scale,
      ...(shape.fill ? { color: hexColour(shape.fill) } : {}),
      ...(shape.stroke
        ? { borderColor: hexColour(shape.stroke), borderWidth: shape.strokeWidth ?? 2, borderLineCap: 1 }
        : {}),
    });
  }
}

/**
 * A new document with the fonts for every text it will hold (`content`: the entry and anything else
 * drawn; only the font files whose letters occur in it are loaded).
 */
async function newDocument(title: string, subject: string, options: PdfOptions, ...content: unknown[]) {
  const doc = await PDFDocument.create();
  doc.setTitle(title);
  doc.setSubject(subject);
  doc.setLanguage('en-GB');
  doc.setProducer('Consent Kiosk');
  doc.setCreator('Consent Kiosk');
  const text = [title, ...content].map((c) => (typeof c === 'string' ? c : JSON.stringify(c))).join('\n');
  const fonts = await loadFonts(text, options.fonts);
  return { doc, fonts };
}

/** "Wednesday 2 December 2026 at 10:06": the time as written in its own offset (the tablet's when signed). */
export const timeInWords = (at: string) => `${dateOf(at)} at ${timeOf(at)}`;

/** The branding a document of this entry is printed with, and the verify page for its head hash. */
function documentBranding(entry: MinuteEntry, options: PdfOptions) {
  const profile = profileById(entry.meeting.profileId);
  const branding = brandingOf(options.branding ? { ...profile, branding: options.branding } : profile, {
    ...(options.verifyBaseUrl ? { verifyBaseUrl: options.verifyBaseUrl } : {}),
  });
  return { branding, url: verifyUrlOf(branding.verifyBaseUrl, entry.meeting.id, entry.headHash) };
}

/** The lines of the record check that identify the record (the meeting and its head hash). */
function recordLines(entry: MinuteEntry): string[] {
  return [
    `Meeting: ${entry.meeting.id}`,
    `Events recorded: ${entry.eventCount}`,
    `Head hash (SHA-256): ${entry.headHash}`,
  ];
}

/** "from the start", "10:20", or the date too when it is not the meeting's. */
function presence(entry: MinuteEntry, a: MinuteEntry['attendees'][number]): string {
  const when = (at: string) => (dateOf(at) === entry.meeting.date ? timeOf(at) : timeInWords(at));
  if (!a.didAttend) return 'Expected; did not attend';
  const moves = a.moves.filter((m) => m.at !== a.leftAt || m.move !== 'left');
  const away = moves.length ? `; ${moves.map((m) => `${m.move} ${when(m.at)}`).join(', ')}` : '';
  if (!a.joinedAt && !a.leftAt) return `Throughout${away}`;
  const from = a.joinedAt ? when(a.joinedAt) : 'the start';
  const to = a.leftAt ? when(a.leftAt) : 'the end';
  return `From ${from} to ${to}${away}`;
}

function meetingFacts(entry: MinuteEntry): Array<[string, string]> {
  const m = entry.meeting;
  return [
    ['Meeting', m.title],
    ['Type', m.kindLabel],
    ['Date', m.scheduledAt ? `${m.date}, ${timeOf(m.scheduledAt)}` : m.date],
    ...(m.place ? ([['Place', m.place]] as Array<[string, string]>) : []),
    ...(entry.chair ? ([['Chair', entry.chair]] as Array<[string, string]>) : []),
    ...(entry.subjectChildren.length
      ? ([
          [
            entry.subjectChildren.length === 1 ? 'Subject child' : 'Subject children',
            entry.subjectChildren.join(', '),
          ],
        ] as Array<[string, string]>)
      : []),
    ['Policy', m.profile],
  ];
}

export async function minuteEntryPdf(entry: MinuteEntry, options: PdfOptions): Promise<Uint8Array> {
  const { branding, url } = documentBranding(entry, options);
  const { doc, fonts } = await newDocument(
    entry.title,
    'Request to record and its outcome (HCS 2.10)',
    options,
    entry,
    branding,
    url,
  );
  const w = new Writer(doc, fonts, branding, {
    title: `${branding.councilName} · ${entry.title}`,
    check: shortCheck(entry.headHash),
  });
  const m = entry.meeting;
  w.letterhead(entry.title, m.source);
  w.facts(meetingFacts(entry));

  w.heading('Attendees');
  w.table(
    [
      { title: 'Name', width: 150 },
      { title: 'Role', width: 130 },
      { title: 'Agency', width: 100 },
      { title: 'Present', width: 110 },
    ],
    entry.attendees.map((a) => [
      a.name,
      a.parentalResponsibility ? `${a.roleLabel} (${a.parentalResponsibility})` : a.roleLabel,
      a.agency,
      presence(entry, a),
    ]),
  );

  w.heading('The request to record and its outcome');
  w.table(
    [
      // A date is written out where it is not the meeting's: the column widens for it.
      { title: 'Time', width: entry.items.some((item) => item.date) ? 125 : 60 },
      { title: 'What happened', width: entry.items.some((item) => item.date) ? 365 : 430 },
    ],
    entry.items.map((item) => [
      item.date ? `${item.date}, ${item.time}` : item.time,
      `${item.text}${item.ref ? ` [${item.ref}]` : ''}`,
    ]),
  );

  // A time on another day than the meeting's carries its date, as in the record above.
  const onTheDay = (at: string) => dateOf(at) === m.date;
  const clock = (at: string) => (onTheDay(at) ? timeOf(at) : timeInWords(at));
  const periods = entry.recordingPeriods.map((p) =>
    p.to ? `from ${clock(p.from)} to ${clock(p.to)}` : `from ${clock(p.from)}`,
  );
  const outcome = entry.isDiscarded
    ? 'The record was discarded, as it was opened in error.'
    : entry.outcome
      ? `${entry.outcome.text}.`
      : 'No request to record was decided.';
  w.box('Outcome', [
    { text: outcome, isBold: true },
    ...(periods.length
      ? [{ text: `Recording took place ${listJoin(periods)}.` }]
      : entry.outcome
        ? [{ text: 'No recording took place.' }]
        : []),
    ...entry.undertakings.map((u) => ({
      text: `${u.signerName} signed the undertaking ${onTheDay(u.at) ? 'at' : 'on'} ${clock(u.at)} (text version ${u.textVersion}).`,
    })),
  ]);
  if (!entry.isComplete)
    w.text('Warning: the record could not be read to its end; this entry is incomplete.', { isBold: true });

  w.heading(m.kind === 'conversation' ? 'Confirmation' : "Chair's confirmation");
  w.text(
    entry.confirmation
      ? `Confirmed by ${entry.confirmation.name}, ${entry.confirmation.roleLabel}, on ${timeInWords(entry.confirmation.at)}.`
      : `Not yet confirmed by the ${m.kind === 'conversation' ? 'professional who held the conversation' : 'chair'}.`,
    { gap: 10 },
  );

  w.recordCheck(recordLines(entry), url);
  w.text(branding.contact, { size: 9, color: MUTED });
  await drawPngLogo(doc, doc.getPages()[0] as PDFPage, branding.logo, {
    x: MARGIN,
    y: CONTENT_TOP,
    size: 42,
  });
  await w.finish();
  return doc.save();
}

function profileForVersion(version: string): PolicyProfile | undefined {
  return Object.values(PROFILES).find((p) => undertakingVersionOf(p, version) !== null);
}

export async function undertakingPdf(entry: MinuteEntry, options: PdfOptions): Promise<Uint8Array> {
  const u = entry.undertaking;
  if (!u) throw new Error('This meeting has no signed undertaking.');
  const profile = profileForVersion(u.textVersion);
  // The words of the version signed (an earlier version's, if that is what was signed), never today's.
  const signed = profile ? undertakingVersionOf(profile, u.textVersion) : null;
  const { branding, url } = documentBranding(entry, options);
  const title = profile?.undertaking.documentTitle ?? 'Signed undertaking';
  const { doc, fonts } = await newDocument(
    `${title}: ${entry.meeting.title}`,
    'Signed undertaking (HCS 1.3, 3.3)',
    options,
    entry,
    branding,
    url,
    signed?.versions.full ?? '',
  );
  const w = new Writer(doc, fonts, branding, {
    title: `${branding.councilName} · ${title}`,
    check: shortCheck(entry.headHash),
  });
  w.letterhead(title, entry.meeting.source);
  w.facts([
    ['Meeting', `${entry.meeting.title}, ${entry.meeting.date}`],
    ['Type', entry.meeting.kindLabel],
    ['Policy', entry.meeting.profile],
  ]);
  w.heading('The text shown and signed');
  w.text(
    signed ? signed.versions.full : `(text version ${u.textVersion} is not known to this version of the app)`,
    { indent: 10 },
  );
  w.text(`Text version: ${u.textVersion}`, { size: 9.5, color: MUTED, indent: 10, gap: 8 });
  if (signed?.versions.plain) {
    // Shown with the approved text and signed with it (the text's SHA-256 covers all three versions).
    w.heading('The same promise in plain English, shown with it');
    w.text(signed.versions.plain, { indent: 10, gap: 8 });
  }
  if (signed?.versions.easyRead) {
    w.heading('The same promise in Easy read, shown with pictures');
    for (const line of signed.versions.easyRead) w.text(`•  ${line.text}`, { indent: 10, gap: 2 });
    w.space(6);
  }

  // The signature, its heading and who signed stay together.
  w.ensure(240);
  w.heading('Signature');
  w.signature(u.signature, 120);
  const signer = entry.attendees.find((a) => a.id === u.signerId);
  w.facts([
    ['Signed by', u.signerName],
    ...(signer ? ([['Role', signer.roleLabel]] as Array<[string, string]>) : []),
    ['Signed on', timeInWords(u.at)],
    [
      'Language shown',
      u.translation
        ? `${u.translation.languageName}, with the English text beside it (translation ${u.translation.isApproved ? 'approved' : 'not yet approved'} by the council)`
        : 'English',
    ],
    ['Meeting', entry.meeting.id],
    ['Device', u.deviceId],
  ]);
  const copy = profile?.undertaking.copyNotice;
  if (copy) {
    w.box('Copies of the recording', [
      { text: `${copy.text} [${copy.ref}]` },
      { text: 'You may keep a copy of this signed undertaking.' },
    ]);
  }
  w.recordCheck(
    [
      ...recordLines(entry),
      `SHA-256 of the text signed: ${u.textSha256}`,
      ...(u.translation
        ? [`SHA-256 of the ${u.translation.languageName} text signed with it: ${u.translation.textSha256}`]
        : []),
    ],
    url,
  );
  w.text(branding.contact, { size: 9, color: MUTED });
  await drawPngLogo(doc, doc.getPages()[0] as PDFPage, branding.logo, {
    x: MARGIN,
    y: CONTENT_TOP,
    size: 42,
  });
  await w.finish();
  return doc.save();
}

/** One page in Easy read, for the parent to keep: each line of the signed version beside its picture. */
export async function easyReadUndertakingPdf(entry: MinuteEntry, options: PdfOptions): Promise<Uint8Array> {
  const u = entry.undertaking;
  const profile = (u && profileForVersion(u.textVersion)) ?? profileById(entry.meeting.profileId);
  // The Easy read lines of the version signed: an earlier version without them prints none of today's.
  const lines = u
    ? (undertakingVersionOf(profile, u.textVersion)?.versions.easyRead ?? [])
    : profile.undertaking.versions.easyRead;
  const heading = 'Your promise about the recording';
  const { branding, url } = documentBranding(entry, options);
  const { doc, fonts } = await newDocument(heading, 'Easy read', options, entry, lines, branding, url);
  const w = new Writer(doc, fonts, branding, {
    title: `${branding.councilName} · Easy read`,
    check: shortCheck(entry.headHash),
  });
  w.letterhead(heading, `${entry.meeting.title}, ${entry.meeting.date}`);
  const pictureSize = lines.length > 7 ? 42 : 50;
  for (const line of lines) w.pictureLine(EASY_READ_PICTURES[line.picture], line.text, pictureSize);
  if (u && !lines.length) {
    w.text(
      `The promise you signed (version ${u.textVersion}) had no Easy read version. Ask for a copy of the signed undertaking.`,
      { size: 16, gap: 8 },
    );
  }
  if (u) {
    w.text(`Your name: ${u.signerName}`, { size: 16, gap: 2 });
    w.text(`You signed this on ${timeInWords(u.at)}.`, { size: 16, gap: 8 });
  }
  w.recordCheck(recordLines(entry), url);
  await drawPngLogo(doc, doc.getPages()[0] as PDFPage, branding.logo, {
    x: MARGIN,
    y: CONTENT_TOP,
    size: 42,
  });
  await w.finish();
  return doc.save();
}
