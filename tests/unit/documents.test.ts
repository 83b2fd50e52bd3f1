/**
 * Documents (HCS 2.10, 1.3, 3.3): the minute entry and the signed undertaking as PDF, checked by
 * extracting their text with poppler's pdftotext; pages are rendered to PNG in test-results/pdf/ so a
 * reviewer can look at them. Verification names the altered event.
 */
import { spawn } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { hashOf } from '../../src/domain/chain';
import type { DomainEvent, EventEnvelope } from '../../src/domain/events';
import { minuteEntry } from '../../src/domain/minutes';
import { HERTFORDSHIRE, verifyUrlOf } from '../../src/domain/profiles';
import { verifyRecord } from '../../src/domain/verify';
import { nodeFontFiles } from '../../src/export/nodeFontFiles';
import { easyReadUndertakingPdf, minuteEntryPdf, undertakingPdf } from '../../src/export/pdf';
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

const squash = (text: string) => text.replace(/\s+/g, ' ').trim();
const options = { fonts: nodeFontFiles };

const conference: DomainEvent[] = [
  s.opened('child-protection-conference'),
  s.added(s.people.chair),
  s.added(s.people.mother),
  s.added(s.people.socialWorker),
  s.added(s.people.police),
  s.requested('mother'),
  s.eligible(),
  s.signed('mother'),
  ...s.agrees('chair'),
  ...s.agrees('sw'),
  ...s.declines('police', 'An investigation is ongoing.'),
  ...s.screened(),
  {
    type: 'chair.decided',
    payload: {
      outcome: 'permitted',
      reason: 'An exact record is needed.',
      disagreements: 'DC Webb disagreed.',
    },
  },
  s.started,
  s.recordingStarted,
  s.joined(s.people.interpreter),
  ...s.agrees('interp'),
  // HCS 2.11: the outcome is decided again, and the professionals still disagree (HCS 2.12).
  {
    type: 'chair.decided',
    payload: {
      outcome: 'permitted',
      reason: 'Nothing has changed for the police.',
      disagreements: 'DC Webb disagreed.',
    },
  },
  s.recordingResumed,
  ...s.confirmedAndClosed,
];

async function pdfText(name: string, bytes: Uint8Array): Promise<string> {
  const dir = join('test-results', 'pdf');
  await mkdir(dir, { recursive: true });
  const file = join(dir, `${name}.pdf`);
  await writeFile(file, bytes);
  await run('pdftoppm', ['-png', '-r', '60', file, join(dir, name)]);
  return run('pdftotext', ['-enc', 'UTF-8', '-layout', file, '-']);
}

/** Each page's text, as pdftotext separates pages (form feed). */
const pagesOf = (text: string) => text.split('\f').filter((page) => page.trim() !== '');
const noSpaces = (text: string) => text.replace(/\s+/g, '');

/** Renders the last page at 150 dpi (as a phone's camera might see a printed page) and decodes its QR code. */
async function qrOnLastPage(name: string): Promise<string | null> {
  const dir = join('test-results', 'pdf');
  const pages = pagesOf(await run('pdftotext', ['-enc', 'UTF-8', join(dir, `${name}.pdf`), '-'])).length;
  const prefix = join(dir, `${name}-qr`);
  await run('pdftoppm', [
    '-png',
    '-r',
    '150',
    '-f',
    `${pages}`,
    '-l',
    `${pages}`,
    '-singlefile',
    join(dir, `${name}.pdf`),
    prefix,
  ]);
  const png = PNG.sync.read(await readFile(`${prefix}.png`));
  return jsQR(new Uint8ClampedArray(png.data), png.width, png.height)?.data ?? null;
}

const PLACEHOLDER = HERTFORDSHIRE.branding.verifyBaseUrl;

describe('documents', () => {
  it('HCS 2.10: the minute entry PDF contains every fact of the minute entry, and the head hash', async () => {
    const log = await s.sealAll(conference);
    const entry = minuteEntry(log);
    const text = squash(await pdfText('minute-entry', await minuteEntryPdf(entry, options)));
    for (const item of entry.items) expect(text).toContain(squash(item.text));
    for (const a of entry.attendees) expect(text).toContain(a.name);
    expect(text).toContain(`Head hash (SHA-256): ${entry.headHash}`);
    expect(text).toContain(`Meeting: ${entry.meeting.id}`);
  });

  it('the minute entry reads as a council document: council, marking top and bottom of every page, attendees table, outcome, confirmation, page x of y', async () => {
    const entry = minuteEntry(await s.sealAll(conference));
    const raw = await pdfText('minute-entry', await minuteEntryPdf(entry, options));
    const pages = pagesOf(raw);
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((page, i) => {
      const lines = page.split('\n').filter((l) => l.trim());
      // The marking is the first and the last line of every page.
      expect(lines[0]?.trim(), `page ${i + 1}`).toBe('OFFICIAL-SENSITIVE');
      expect(lines.at(-1)?.trim(), `page ${i + 1}`).toBe('OFFICIAL-SENSITIVE');
      expect(squash(page)).toContain(
        `Page ${i + 1} of ${pages.length} · Record check ${entry.headHash.slice(0, 12)}`,
      );
    });
    const text = squash(raw);
    expect(text).toContain('Hertfordshire County Council');
    expect(text).toMatch(/Name Role Agency Present/);
    expect(text).toContain('Maria Silva interpreter From 10:16 to the end');
    expect(text).toContain(`Outcome ${entry.outcome?.text}.`);
    expect(text).toContain('Confirmed by Priya Shah, chair, on Monday 23 November 2026 at');
    expect(noSpaces(raw)).toContain(verifyUrlOf(PLACEHOLDER, entry.meeting.id, entry.headHash));
  });

  it("verification anyone can do: the minute entry's QR code opens the records service's verify page for this meeting and head hash", async () => {
    const entry = minuteEntry(await s.sealAll(conference));
    const bytes = await minuteEntryPdf(entry, {
      ...options,
      verifyBaseUrl: 'https://records.herts.example/',
    });
    const text = await pdfText('minute-entry-configured', bytes);
    const url = `https://records.herts.example/admin/verify?meeting=${entry.meeting.id}&hash=${entry.headHash}`;
    expect(noSpaces(text)).toContain(url);
    expect(await qrOnLastPage('minute-entry-configured')).toBe(url);
  });

  it("a council's own branding (name, PNG logo, marking, contact) prints on its documents", async () => {
    const entry = minuteEntry(await s.sealAll(conference));
    const logo = new PNG({ width: 8, height: 8 });
    logo.data.fill(200);
    const branding = {
      ...HERTFORDSHIRE.branding,
      councilName: 'Anytown Borough Council',
      logo: { kind: 'png' as const, base64: PNG.sync.write(logo).toString('base64') },
      protectiveMarking: 'OFFICIAL',
      contact: 'Questions: Anytown Children’s Services, 01234 000000.',
    };
    const bytes = await minuteEntryPdf(entry, { ...options, branding });
    const raw = await pdfText('minute-entry-own-branding', bytes);
    const text = squash(raw);
    expect(text).toContain('Anytown Borough Council');
    expect(text).toContain('Questions: Anytown Children’s Services, 01234 000000.');
    for (const page of pagesOf(raw)) expect(page.trim().split('\n')[0]?.trim()).toBe('OFFICIAL');
    const images = await run('pdfimages', [
      '-list',
      join('test-results', 'pdf', 'minute-entry-own-branding.pdf'),
    ]);
    expect(images).toMatch(/\n\s*1\s+\d+\s+image\s+8\s+8\s/);
  });

  it('HCS 3.3: the undertaking PDF holds the exact text, its version and SHA-256, signer, time, meeting and device', async () => {
    const log = await s.sealAll(conference);
    const entry = minuteEntry(log);
    const raw = await pdfText('undertaking', await undertakingPdf(entry, options));
    const text = squash(raw);
    expect(text).toContain(squash(HERTFORDSHIRE.undertaking.versions.full));
    expect(text).toContain(squash(HERTFORDSHIRE.undertaking.versions.plain));
    // The version the signature names (the conference is signed under the version before the check of
    // understanding; scenario.signed), with its hash.
    expect(text).toContain(`Text version: ${entry.undertaking?.textVersion}`);
    expect(entry.undertaking?.textVersion).toMatch(/^hcs-2026-\d$/);
    expect(text).toContain(`SHA-256 of the text signed: ${entry.undertaking?.textSha256}`);
    expect(text).toContain(`Signed by: ${s.people.mother.name}`);
    expect(text).toContain('Role: parent or carer');
    expect(text).toContain(`Signed on: Monday 23 November 2026 at ${entry.undertaking?.at.slice(11, 16)}`);
    expect(text).toContain(`Device: ${s.DEVICE_ID}`);
    expect(text).toContain(`Meeting: ${s.MEETING_ID}`);
    // HCS 3.3b: the right to a copy, in the words the profile gives.
    expect(text).toContain(squash(HERTFORDSHIRE.undertaking.copyNotice?.text ?? 'missing'));
    // The text's hash is in the record check, not in the footers.
    for (const page of pagesOf(raw)) {
      const footer =
        page
          .split('\n')
          .filter((l) => l.trim())
          .at(-2) ?? '';
      expect(footer).toContain('Record check');
      expect(footer).not.toContain(entry.undertaking?.textSha256 ?? 'missing');
    }
    expect(await qrOnLastPage('undertaking')).toBe(
      verifyUrlOf(PLACEHOLDER, entry.meeting.id, entry.headHash),
    );
  });

  it('an Easy read page of the undertaking is made for the parent: one page, every Easy read line, and a QR code', async () => {
    const entry = minuteEntry(await s.sealAll(conference));
    const raw = await pdfText('undertaking-easy-read', await easyReadUndertakingPdf(entry, options));
    expect(pagesOf(raw)).toHaveLength(1);
    const text = squash(raw);
    for (const line of HERTFORDSHIRE.undertaking.versions.easyRead) expect(text).toContain(squash(line.text));
    expect(text).toContain('Your name: Sarah Doe');
    expect(await qrOnLastPage('undertaking-easy-read')).toBe(
      verifyUrlOf(PLACEHOLDER, entry.meeting.id, entry.headHash),
    );
  });

  it('verification: the printed head hash matches the synced log', async () => {
    const log = await s.sealAll(conference);
    expect(await verifyRecord(log, log.at(-1)?.hash ?? '')).toMatchObject({ status: 'matches' });
  });

  it('verification: changing one character of a stored event fails and names that event', async () => {
    const log = await s.sealAll(conference);
    const head = log.at(-1)?.hash ?? '';
    const tampered: EventEnvelope[] = structuredClone(log);
    // The police officer's reason for declining: one character changed.
    const target = tampered[13] as EventEnvelope & { payload: { reason: string } };
    expect(target.type).toBe('consent.declined');
    target.payload = { ...target.payload, reason: target.payload.reason.replace('ongoing', 'ongoinG') };
    const result = await verifyRecord(tampered, head);
    expect(result.status).toBe('broken');
    if (result.status === 'broken') {
      expect(result.error.seq).toBe(14);
      expect(result.error.code).toBe('bad-hash');
    }
    // Re-sealing the altered event does not help: the next event no longer follows it.
    target.hash = await hashOf(target);
    const resealed = await verifyRecord(tampered, head);
    expect(resealed.status === 'broken' && resealed.error).toMatchObject({ seq: 15, code: 'bad-prev-hash' });
  });
});
