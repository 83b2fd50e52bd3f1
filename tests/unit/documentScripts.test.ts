/**
 * Every name printed as typed: a meeting whose attendees' names are in Latin (Polish, Czech, Romanian,
 * Turkish, Vietnamese), Greek, Cyrillic, Arabic, Urdu, Devanagari, Bengali, Gurmukhi and Chinese. The text
 * is checked with poppler's pdftotext; the pages are rendered to PNG in test-results/pdf/ to be looked at
 * (shaping and right-to-left order are visual facts that text extraction cannot show).
 */
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../src/domain/events';
import { minuteEntry } from '../../src/domain/minutes';
import type { Attendee } from '../../src/domain/model';
import type { FontFileLoader } from '../../src/export/fonts';
import { nodeFontFiles } from '../../src/export/nodeFontFiles';
import { easyReadUndertakingPdf, minuteEntryPdf, timeInWords, undertakingPdf } from '../../src/export/pdf';
import * as s from '../support/scenario';

function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args);
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString('utf8');
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString('utf8');
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve(out) : reject(new Error(`${command} exited ${code}: ${err}`)),
    );
  });
}

/** Writes the PDF and its pages as PNG (150 dpi, to be looked at), and returns its text and its fonts. */
async function inspect(name: string, bytes: Uint8Array) {
  const dir = join('test-results', 'pdf');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${name}.pdf`);
  await writeFile(file, bytes);
  await run('pdftoppm', ['-png', '-r', '150', file, join(dir, name)]);
  const text = await run('pdftotext', ['-enc', 'UTF-8', file, '-']);
  const fonts = await run('pdffonts', [file]);
  return { text: text.normalize('NFC'), fonts };
}

/** Names as a person would type them; the first one signs the undertaking. */
const NAMES = {
  polish: 'Łukasz Nowak-Żółć',
  czech: 'Jiří Dvořák',
  romanian: 'Ștefan Țăranu',
  turkish: 'Ayşe Gündoğdu',
  turkishDotted: 'İsmail Işık',
  vietnamese: 'Nguyễn Thị Phương',
  greek: 'Γιώργος Παπαδόπουλος',
  russian: 'Дмитрий Иванов',
  ukrainian: 'Олена Шевченко',
  arabic: 'محمد عبد الله',
  urdu: 'عائشہ خان',
  hindi: 'प्रिया शर्मा',
  bengali: 'সুমিত্রা দাস',
  punjabi: 'ਗੁਰਪ੍ਰੀਤ ਕੌਰ',
  chinese: '王小明',
} as const;
type Script = keyof typeof NAMES;

const LATIN_GREEK_CYRILLIC: Script[] = [
  'polish',
  'czech',
  'romanian',
  'turkish',
  'turkishDotted',
  'vietnamese',
  'greek',
  'russian',
  'ukrainian',
];

const chair: Attendee = { id: 'chair', name: NAMES.greek, role: 'chair', agency: "Children's Services" };
const signer: Attendee = {
  id: 'parent',
  name: NAMES.polish,
  role: 'parent-carer',
  parentalResponsibility: { 'child-1': true },
};
const others: Attendee[] = (Object.keys(NAMES) as Script[])
  .filter((k) => k !== 'polish' && k !== 'greek')
  .map((k) => ({ id: k.toLowerCase(), name: NAMES[k], role: 'family-member' }));

const meeting: DomainEvent[] = [
  s.opened('child-protection-conference'),
  s.added(chair),
  s.added(signer),
  ...others.map(s.added),
  s.requested('parent'),
  s.eligible(),
  s.signed('parent'),
  ...s.agrees('chair'),
  ...others.flatMap((a) => s.agrees(a.id)),
  ...s.screened(),
  s.started,
  s.recordingStarted,
  ...s.confirmedAndClosed,
];

const options = { fonts: nodeFontFiles };

describe('documents print every name as typed', () => {
  it('the minute entry: every Latin, Greek and Cyrillic name is extracted exactly, and every script has its font', async () => {
    const entry = minuteEntry(await s.sealAll(meeting));
    const { text, fonts } = await inspect('names-minute-entry', await minuteEntryPdf(entry, options));
    expect(text).not.toContain('\ufffd');
    for (const script of LATIN_GREEK_CYRILLIC) expect(text).toContain(NAMES[script]);
    // No name lost a letter to "?": the only question marks are those of the document's own words.
    const questionMarks = (t: string) => [...t].filter((c) => c === '?').length;
    // (and the one of the verify address's query, in the record check).
    expect(questionMarks(text)).toBe(questionMarks(JSON.stringify(entry)) + 1);
    expect(text).toContain(NAMES.chinese);
    // The shaped scripts: their letters are all there (the order on the page is checked by looking at the
    // PNGs: text extraction gives Indic glyphs in visual order and Arabic in poppler's own order).
    for (const script of ['arabic', 'urdu', 'hindi', 'bengali', 'punjabi'] as const) {
      for (const letter of NAMES[script].replace(/\s/g, '')) expect(text).toContain(letter);
    }
    for (const family of [
      'AtkinsonHyperlegible-Regular',
      'NotoSans-Regular',
      'NotoSansArabic-Regular',
      'NotoSansDevanagari-Regular',
      'NotoSansBengali-Regular',
      'NotoSansGurmukhi-Regular',
      'NotoSansSC-Regular',
    ]) {
      expect(fonts).toContain(family);
    }
    // Only the glyphs used are embedded: the whole document stays small.
  });

  it('the signed undertaking names its signer exactly and gives the time in words', async () => {
    // Events are a minute apart: start so that the undertaking is signed at 10:06.
    const signedIndex = meeting.findIndex((e) => e.type === 'undertaking.signed');
    const start = new Date(Date.parse('2026-12-02T10:06:00Z') - signedIndex * 60_000);
    const log = await s.sealAll(meeting, start.toISOString().replace('.000Z', '+00:00'));
    const entry = minuteEntry(log);
    const u = entry.undertaking;
    expect(u?.at.slice(11, 16)).toBe('10:06');
    const { text } = await inspect('names-undertaking', await undertakingPdf(entry, options));
    const squashed = text.replace(/\s+/g, ' ');
    expect(squashed).toContain(`Signed by: ${NAMES.polish}`);
    expect(squashed).toContain('Signed on: Wednesday 2 December 2026 at 10:06');
    expect(text).not.toContain('2026-12-02T');
  });

  it('the Easy read page prints a name in any script', async () => {
    const entry = minuteEntry(await s.sealAll(meeting));
    const { text } = await inspect('names-easy-read', await easyReadUndertakingPdf(entry, options));
    expect(text).toContain(`Your name: ${entry.undertaking?.signerName}`);
    expect(text).toContain(
      `You signed this on Monday 23 November 2026 at ${entry.undertaking?.at.slice(11, 16)}.`,
    );
  });

  it('a document is still made when a font cannot be loaded, and says which letters it could not print', async () => {
    const offline: FontFileLoader = (family, file) =>
      family === 'noto-sans-sc' ? Promise.reject(new Error('offline')) : nodeFontFiles(family, file);
    const entry = minuteEntry(await s.sealAll(meeting));
    const { text } = await inspect(
      'names-minute-entry-no-chinese',
      await minuteEntryPdf(entry, { fonts: offline }),
    );
    expect(text.replace(/\s+/g, ' ')).toContain(
      "Some letters could not be printed on this device (no chinese font here); the records service's copy prints them.",
    );
    expect(text).toContain(NAMES.polish);
  });

  it('a name in a script the app has no font for prints as boxes, and the document says so', async () => {
    const amharic: Attendee = { id: 'abebe', name: 'አበበ ቢቂላ', role: 'family-member' };
    const withAmharic = [...meeting.slice(0, 2), s.added(amharic), ...meeting.slice(2)];
    const entry = minuteEntry(await s.sealAll(withAmharic));
    const { text } = await inspect('names-minute-entry-unprintable', await minuteEntryPdf(entry, options));
    expect(text.replace(/\s+/g, ' ')).toContain(
      'Some letters are printed as boxes: this version of the app has no font for them (U+12A0, U+1260, U+1262, U+1242, U+120B).',
    );
    expect(text).toContain(NAMES.polish);
  });

  it('the signing time is written as it was on the tablet, in its own offset', () => {
    expect(timeInWords('2026-06-02T10:06:00+01:00')).toBe('Tuesday 2 June 2026 at 10:06');
    expect(timeInWords('2026-12-02T23:30:00-05:00')).toBe('Wednesday 2 December 2026 at 23:30');
  });
});
