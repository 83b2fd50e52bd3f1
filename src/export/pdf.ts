/**
 * The minute entry and the signed undertaking as PDF documents (pdf-lib). This module is loaded lazily
 * (`import('./pdf')`), so the tablet's first load does not carry pdf-lib. The PDFs are drawn from the
 * same projection (minuteEntry) as the text and JSON exports, so they can never disagree.
 */
import { PDFDocument, type PDFFont, type PDFPage, rgb, StandardFonts } from 'pdf-lib';
import type { EventEnvelope } from '../domain/events';
import { type MinuteEntry, minuteEntry } from '../domain/minutes';
import { type PolicyProfile, PROFILES } from '../domain/profiles';
import { fitTransform, strokePathData } from '../signature/strokes';

const A4: [number, number] = [595.28, 841.89];
const MARGIN = 56;
const INK = rgb(0.08, 0.09, 0.12);
const MUTED = rgb(0.3, 0.32, 0.38);

/**
 * The standard PDF fonts cover Windows-1252 only. Letters with accents outside it are written without
 * the accent (NFD), anything else as "?", so that a name never stops a document from being made.
 */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
export function toWinAnsi(text: string): string {
  let out = '';
  for (const ch of text) {
    const code = ch.codePointAt(0) ?? 0;
    if (
      ch === '\n' ||
      (code >= 0x20 && code <= 0x7e) ||
      (code >= 0xa0 && code <= 0xff) ||
      WIN_ANSI_EXTRA.has(ch)
    ) {
      out += ch;
      continue;
    }
    const stripped = ch.normalize('NFD').replace(/\p{M}/gu, '');
    out += [...stripped].every((c) => (c.codePointAt(0) ?? 0) < 0x100) && stripped ? stripped : '?';
  }
  return out;
}

class Writer {
  private page: PDFPage;
  private y: number;

  constructor(
    private readonly doc: PDFDocument,
    private readonly font: PDFFont,
    private readonly bold: PDFFont,
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

  private wrap(text: string, font: PDFFont, size: number, width: number): string[] {
    const lines: string[] = [];
    for (const paragraph of toWinAnsi(text).split('\n')) {
      let line = '';
      for (const word of paragraph.split(/\s+/)) {
        const candidate = line ? `${line} ${word}` : word;
        if (font.widthOfTextAtSize(candidate, size) <= width || !line) line = candidate;
        else {
          lines.push(line);
          line = word;
        }
      }
      lines.push(line);
    }
    return lines;
  }

  text(
    text: string,
    options: { size?: number; isBold?: boolean; indent?: number; color?: typeof INK; gap?: number } = {},
  ) {
    const size = options.size ?? 11;
    const font = options.isBold ? this.bold : this.font;
    const indent = options.indent ?? 0;
    const lineHeight = size * 1.35;
    for (const line of this.wrap(text, font, size, A4[0] - 2 * MARGIN - indent)) {
      this.ensure(lineHeight);
      this.page.drawText(line, {
        x: MARGIN + indent,
        y: this.y - size,
        size,
        font,
        color: options.color ?? INK,
      });
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

  finish() {
    const pages = this.doc.getPages();
    pages.forEach((page, i) => {
      const footer = toWinAnsi(`${this.footer}  ·  Page ${i + 1} of ${pages.length}`);
      for (const [n, line] of this.wrap(footer, this.font, 8, A4[0] - 2 * MARGIN).entries()) {
        page.drawText(line, { x: MARGIN, y: MARGIN - 10 - n * 10, size: 8, font: this.font, color: MUTED });
      }
    });
  }
}

async function newDocument(title: string, subject: string) {
  const doc = await PDFDocument.create();
  doc.setTitle(toWinAnsi(title));
  doc.setSubject(toWinAnsi(subject));
  doc.setLanguage('en-GB');
  doc.setProducer('Consent Kiosk');
  doc.setCreator('Consent Kiosk');
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  return { doc, font, bold };
}

const hhmm = (at: string) => at.slice(11, 16);

/** How a reader checks a printed minute against the records service. */
export function verificationNote(entry: MinuteEntry): string {
  return `Record check: meeting ${entry.meeting.id}, ${entry.eventCount} events, head hash ${entry.headHash}. To verify, open the records service's "Verify a record" page and enter the meeting id and this hash.`;
}

export async function minuteEntryPdf(entry: MinuteEntry): Promise<Uint8Array> {
  const { doc, font, bold } = await newDocument(entry.title, 'Request to record and its outcome (HCS 2.10)');
  const w = new Writer(doc, font, bold, `Consent Kiosk · ${entry.meeting.id} · ${entry.headHash}`);
  const m = entry.meeting;
  w.text(entry.title, { size: 17, isBold: true, gap: 8 });
  w.text(`${m.kindLabel}: ${m.title}`, { size: 12, isBold: true });
  w.text(`Date: ${m.date}, ${hhmm(m.scheduledAt)}${m.place ? `, ${m.place}` : ''}`);
  w.text(`Policy: ${m.profile}`);
  if (entry.subjectChildren.length) w.text(`Subject: ${entry.subjectChildren.join(', ')}`);
  w.rule();
  w.text('Attendees', { size: 13, isBold: true });
  for (const a of entry.attendees) {
    const times = [a.joinedAt ? `joined ${hhmm(a.joinedAt)}` : '', a.leftAt ? `left ${hhmm(a.leftAt)}` : '']
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
  w.finish();
  return doc.save();
}

function profileForVersion(version: string): PolicyProfile | undefined {
  return Object.values(PROFILES).find((p) => p.undertaking.version === version);
}

export async function undertakingPdf(entry: MinuteEntry): Promise<Uint8Array> {
  const u = entry.undertaking;
  if (!u) throw new Error('This meeting has no signed undertaking.');
  const profile = profileForVersion(u.textVersion);
  const { doc, font, bold } = await newDocument(
    `Undertaking not to share a recording: ${entry.meeting.title}`,
    'Signed undertaking (HCS 1.3, 3.3)',
  );
  const w = new Writer(doc, font, bold, `Consent Kiosk · undertaking · ${entry.meeting.id}`);
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
  w.text(`Signed at: ${u.at}`);
  w.text(`Meeting: ${entry.meeting.id}`);
  w.text(`Device: ${u.deviceId}`);
  w.rule();
  w.text(verificationNote(entry), { size: 9, color: MUTED });
  w.finish();
  return doc.save();
}

/** One page in plain words, for the parent to keep (the signed text is in the undertaking PDF). */
export async function easyReadUndertakingPdf(
  entry: MinuteEntry,
  lines: readonly string[],
  heading: string,
): Promise<Uint8Array> {
  const { doc, font, bold } = await newDocument(heading, 'Easy read');
  const w = new Writer(doc, font, bold, `Consent Kiosk · ${entry.meeting.title}`);
  w.text(heading, { size: 24, isBold: true, gap: 14 });
  for (const line of lines) w.text(`•  ${line}`, { size: 18, gap: 12 });
  if (entry.undertaking) {
    w.rule();
    w.text(`You signed this on ${entry.meeting.date} at ${hhmm(entry.undertaking.at)}.`, { size: 16 });
  }
  w.finish();
  return doc.save();
}

/** Convenience for callers holding a log. */
export const minuteEntryPdfFromLog = (log: readonly EventEnvelope[]) => minuteEntryPdf(minuteEntry(log));
