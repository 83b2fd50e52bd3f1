/**
 * The minute entry and the signed undertaking as PDF documents (pdf-lib). This module is loaded lazily
 * (`import('./pdf')`), so the tablet's first load does not carry pdf-lib. The PDFs are drawn from the
 * same projection (minuteEntry) as the text and JSON exports, so they can never disagree. Text is drawn
 * in embedded fonts chosen per run of text (fonts.ts, textRuns.ts), so every name prints as it was typed,
 * in any of the scripts the catalogue has (fontCatalogue.ts).
 */
import { PDFDocument, type PDFPage, rgb } from 'pdf-lib';
import { dateOf, timeOf } from '../domain/dates';
import type { EventEnvelope } from '../domain/events';
import { type MinuteEntry, minuteEntry } from '../domain/minutes';
import { type PolicyProfile, PROFILES } from '../domain/profiles';
import { fitTransform, strokePathData } from '../signature/strokes';
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
const INK = rgb(0.08, 0.09, 0.12);
const MUTED = rgb(0.3, 0.32, 0.38);

/** Where the PDF code gets its font files: fetched on the tablet, read from disk in the records service. */
export interface PdfOptions {
  fonts: FontFileLoader;
}

/** A run of text placed on a page, drawn once every face it uses is embedded. */
interface Placed {
  page: PDFPage;
  text: string;
  face: Face;
  x: number;
  y: number;
  size: number;
  color: typeof INK;
}

class Writer {
  private page: PDFPage;
  private y: number;
  private readonly placed: Placed[] = [];

  constructor(
    private readonly doc: PDFDocument,
    private readonly fonts: FontSet,
    private readonly footer: string,
  ) {
    this.page = this.newPage();
    this.y = A4[1] - MARGIN;
  }

  private newPage(): PDFPage {
    const page = this.doc.addPage(A4);
    this.y = A4[1] - MARGIN;
    return page;
  }

  private ensure(height: number) {
    if (this.y - height < MARGIN + 40) {
      this.page = this.newPage();
    }
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

  private widthOf(text: string, isBold: boolean, size: number): number {
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

  private wrap(text: string, isBold: boolean, size: number, width: number): string[] {
    const lines: string[] = [];
    for (const paragraph of text.split('\n')) {
      let line = '';
      let lineWidth = 0;
      const space = this.widthOf(' ', isBold, size);
      for (const word of paragraph.split(/\s+/)) {
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
  private drawLine(
    page: PDFPage,
    line: string,
    at: { x: number; y: number },
    style: { size: number; isBold: boolean; color: typeof INK },
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

  text(
    text: string,
    options: { size?: number; isBold?: boolean; indent?: number; color?: typeof INK; gap?: number } = {},
  ) {
    const size = options.size ?? 11;
    const isBold = options.isBold ?? false;
    const indent = options.indent ?? 0;
    const lineHeight = size * 1.35;
    for (const line of this.wrap(text, isBold, size, A4[0] - 2 * MARGIN - indent)) {
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

  rule() {
    this.ensure(12);
    this.page.drawLine({
      start: { x: MARGIN, y: this.y - 4 },
      end: { x: A4[0] - MARGIN, y: this.y - 4 },
      thickness: 0.7,
      color: MUTED,
    });
    this.y -= 14;
  }

  /** Draws a signature from its stroke data, fitted into a box of the given height. */
  signature(signature: NonNullable<MinuteEntry['undertaking']>['signature'], height: number) {
    const width = A4[0] - 2 * MARGIN;
    this.ensure(height + 10);
    const box = { x: MARGIN, y: this.y - height, width, height };
    this.page.drawRectangle({ ...box, borderColor: MUTED, borderWidth: 0.7 });
    const { scale, dx, dy } = fitTransform(
      { width: signature.width, height: signature.height },
      { width: width - 16, height: height - 16 },
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

  /** Footers, then the text itself: only the faces drawn with are embedded. */
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
    pages.forEach((page, i) => {
      const footer = `${this.footer}  ·  Page ${i + 1} of ${pages.length}`;
      for (const [n, line] of this.wrap(footer, false, 8, A4[0] - 2 * MARGIN).entries()) {
        this.drawLine(
          page,
          line,
          { x: MARGIN, y: MARGIN - 10 - n * 10 },
          { size: 8, isBold: false, color: MUTED },
        );
      }
    });
    const embedded = new EmbeddedFaces(this.doc);
    for (const p of this.placed) {
      const font = await embedded.fontFor(p.face);
      p.page.drawText(p.text, { x: p.x, y: p.y, size: p.size, font, color: p.color });
    }
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

const hhmm = (at: string) => timeOf(at);

/** "Wednesday 2 December 2026 at 10:06": the time as written in its own offset (the tablet's when signed). */
export const timeInWords = (at: string) => `${dateOf(at)} at ${timeOf(at)}`;

/** How a reader checks a printed minute against the records service. */
export function verificationNote(entry: MinuteEntry): string {
  return `Record check: meeting ${entry.meeting.id}, ${entry.eventCount} events, head hash ${entry.headHash}. To verify, open the records service's "Verify a record" page and enter the meeting id and this hash.`;
}

export async function minuteEntryPdf(entry: MinuteEntry, options: PdfOptions): Promise<Uint8Array> {
  const { doc, fonts } = await newDocument(
    entry.title,
    'Request to record and its outcome (HCS 2.10)',
    options,
    entry,
  );
  const w = new Writer(doc, fonts, `Consent Kiosk · ${entry.meeting.id} · ${entry.headHash}`);
  const m = entry.meeting;
  w.text(entry.title, { size: 17, isBold: true, gap: 8 });
  w.text(`${m.kindLabel}: ${m.title}`, { size: 12, isBold: true });
  w.text(`Date: ${m.date}, ${hhmm(m.scheduledAt)}${m.place ? `, ${m.place}` : ''}`);
  w.text(`Policy: ${m.profile}`);
  if (entry.subjectChildren.length) w.text(`Subject: ${entry.subjectChildren.join(', ')}`);
  w.rule();
  w.text('Attendees', { size: 13, isBold: true });
  for (const a of entry.attendees) {
    const times = [
      a.didAttend === false ? 'expected, did not attend' : '',
      a.joinedAt ? `joined ${hhmm(a.joinedAt)}` : '',
      a.leftAt ? `left ${hhmm(a.leftAt)}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    const details = [a.parentalResponsibility, times].filter(Boolean).join('; ');
    w.text(`${a.name}, ${a.roleLabel}${a.agency ? `, ${a.agency}` : ''}${details ? ` (${details})` : ''}`, {
      indent: 10,
    });
  }
  w.rule();
  w.text('The request to record and its outcome', { size: 13, isBold: true });
  for (const item of entry.items) {
    w.text(`${item.time}  ${item.text}${item.ref ? ` [${item.ref}]` : ''}`, { indent: 10 });
  }
  w.rule();
  w.text(`Outcome: ${entry.outcome ? `${entry.outcome.text}.` : 'no request to record was decided.'}`, {
    isBold: true,
  });
  if (entry.undertaking) {
    w.text(
      `Undertaking signed by ${entry.undertaking.signerName} at ${hhmm(entry.undertaking.at)} (text ${entry.undertaking.textVersion}, SHA-256 ${entry.undertaking.textSha256}).`,
    );
  }
  if (!entry.isComplete)
    w.text('Warning: the record could not be read to its end; this entry is incomplete.', { isBold: true });
  w.rule();
  w.text(verificationNote(entry), { size: 9, color: MUTED });
  await w.finish();
  return doc.save();
}

function profileForVersion(version: string): PolicyProfile | undefined {
  return Object.values(PROFILES).find((p) => p.undertaking.version === version);
}

export async function undertakingPdf(entry: MinuteEntry, options: PdfOptions): Promise<Uint8Array> {
  const u = entry.undertaking;
  if (!u) throw new Error('This meeting has no signed undertaking.');
  const profile = profileForVersion(u.textVersion);
  const { doc, fonts } = await newDocument(
    `Undertaking not to share a recording: ${entry.meeting.title}`,
    'Signed undertaking (HCS 1.3, 3.3)',
    options,
    entry,
    profile?.undertaking.text ?? '',
  );
  const w = new Writer(doc, fonts, `Consent Kiosk · undertaking · ${entry.meeting.id}`);
  w.text('Undertaking not to share the recording', { size: 17, isBold: true, gap: 8 });
  w.text(`${entry.meeting.kindLabel}: ${entry.meeting.title}, ${entry.meeting.date}`);
  w.text(`Policy: ${entry.meeting.profile}`);
  w.rule();
  w.text('The text shown and signed:', { isBold: true });
  w.text(
    profile
      ? profile.undertaking.text
      : `(text version ${u.textVersion} is not known to this version of the app)`,
    {
      indent: 10,
    },
  );
  w.text(`Text version ${u.textVersion}; SHA-256 of the text: ${u.textSha256}`, { size: 9, color: MUTED });
  w.rule();
  w.text('Signature', { isBold: true });
  w.signature(u.signature, 140);
  w.text(`Signed by: ${u.signerName}`);
  w.text(`Signed on: ${timeInWords(u.at)}`);
  w.text(`Meeting: ${entry.meeting.id}`);
  w.text(`Device: ${u.deviceId}`);
  w.rule();
  w.text(verificationNote(entry), { size: 9, color: MUTED });
  await w.finish();
  return doc.save();
}

/** One page in plain words, for the parent to keep (the signed text is in the undertaking PDF). */
export async function easyReadUndertakingPdf(
  entry: MinuteEntry,
  lines: readonly string[],
  heading: string,
  options: PdfOptions,
): Promise<Uint8Array> {
  const { doc, fonts } = await newDocument(heading, 'Easy read', options, entry.meeting, lines);
  const w = new Writer(doc, fonts, `Consent Kiosk · ${entry.meeting.title}`);
  w.text(heading, { size: 24, isBold: true, gap: 14 });
  for (const line of lines) w.text(`•  ${line}`, { size: 18, gap: 12 });
  if (entry.undertaking) {
    w.rule();
    w.text(`You signed this on ${timeInWords(entry.undertaking.at)}.`, { size: 16 });
  }
  await w.finish();
  return doc.save();
}

/** Convenience for callers holding a log. */
export const minuteEntryPdfFromLog = (log: readonly EventEnvelope[], options: PdfOptions) =>
  minuteEntryPdf(minuteEntry(log), options);
