/**
 * Documents (HCS 2.10, 1.3, 3.3): the minute entry and the signed undertaking as PDF, checked by
 * extracting their text with poppler's pdftotext; pages are rendered to PNG in test-results/pdf/ so a
 * reviewer can look at them. Verification names the altered event.
 */
import { spawn } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { hashOf } from '../../src/domain/chain';
import type { DomainEvent, EventEnvelope } from '../../src/domain/events';
import { minuteEntry } from '../../src/domain/minutes';
import { verifyRecord } from '../../src/domain/verify';
import { nodeFontFiles } from '../../src/export/nodeFontFiles';
import { easyReadUndertakingPdf, minuteEntryPdf, undertakingPdf } from '../../src/export/pdf';
import { enGB } from '../../src/shared/i18n/en-GB';
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

describe('documents', () => {
  it('HCS 2.10: the minute entry PDF contains every fact of the minute entry, and the head hash', async () => {
    const log = await s.sealAll(conference);
    const entry = minuteEntry(log);
    const text = squash(await pdfText('minute-entry', await minuteEntryPdf(entry, options)));
    for (const item of entry.items) expect(text).toContain(squash(`${item.time} ${item.text}`));
    for (const a of entry.attendees) expect(text).toContain(a.name);
    expect(text).toContain(entry.headHash);
    expect(text).toContain('Verify a record');
  });

  it('HCS 3.3: the undertaking PDF holds the exact text, its version and SHA-256, signer, time, meeting and device', async () => {
    const log = await s.sealAll(conference);
    const entry = minuteEntry(log);
    const text = squash(await pdfText('undertaking', await undertakingPdf(entry, options)));
    expect(text).toContain(
      'c) I must not share the recording on social media, or on any online or other public forum.',
    );
    expect(text).toContain(`SHA-256 of the text: ${entry.undertaking?.textSha256}`);
    expect(text).toContain(`Signed by: ${s.people.mother.name}`);
    expect(text).toContain(`Device: ${s.DEVICE_ID}`);
    expect(text).toContain(`Meeting: ${s.MEETING_ID}`);
  });

  it('an easy read page of the undertaking is made for the parent', async () => {
    const entry = minuteEntry(await s.sealAll(conference));
    const lines = enGB.undertaking.easy.hertfordshire;
    const text = squash(
      await pdfText(
        'undertaking-easy-read',
        await easyReadUndertakingPdf(entry, lines, enGB.undertaking.title, options),
      ),
    );
    for (const line of lines) expect(text).toContain(squash(line));
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
