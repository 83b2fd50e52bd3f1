/**
 * Red team on the documents (issue 14): each test tries to make a document state something false or
 * unreadable, and is named after what must hold.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DomainEvent } from '../../src/domain/events';
import { minuteEntry, ROLE_LABELS } from '../../src/domain/minutes';
import { PROFILES } from '../../src/domain/profiles';
import { nodeFontFiles } from '../../src/export/nodeFontFiles';
import { easyReadUndertakingPdf, minuteEntryPdf, undertakingPdf } from '../../src/export/pdf';
import * as s from '../support/scenario';
import { rejectionOf, stepped } from '../support/steps';

const options = { fonts: nodeFontFiles };
const squash = (text: string) => text.replace(/\s+/g, ' ').trim();

function pdfText(bytes: Uint8Array): string {
  const file = join(mkdtempSync(join(tmpdir(), 'ck-redteam-doc-')), 'd.pdf');
  writeFileSync(file, bytes);
  return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
}

const BEFORE_SIGNING: DomainEvent[] = [
  s.opened('child-protection-conference'),
  s.added(s.people.chair),
  s.added(s.people.mother),
  s.added(s.people.socialWorker),
  s.requested('mother'),
  s.eligible(),
];

const signedAs = (textVersion: string, textSha256: string): DomainEvent => {
  const event = s.signed('mother');
  if (event.type !== 'undertaking.signed') throw new Error('not a signature');
  return { ...event, payload: { ...event.payload, textVersion, textSha256 } };
};

describe('red team: documents say only what was shown and signed', () => {
  it('the Easy read PDF of a signature under an earlier version never prints Easy read lines that were not shown', async () => {
    // An earlier version that had no Easy read (before Easy read was part of the undertaking).
    const old = PROFILES.hertfordshire.undertaking.superseded.find((v) => !v.versions.easyRead);
    if (!old) throw new Error('no earlier version without Easy read');
    const entry = minuteEntry(await s.sealAll([...BEFORE_SIGNING, signedAs(old.version, old.sha256)]));
    const text = squash(pdfText(await easyReadUndertakingPdf(entry, options)));
    for (const line of PROFILES.hertfordshire.undertaking.versions.easyRead) {
      expect(text).not.toContain(squash(line.text));
    }
    expect(text).toContain(old.version);
  }, 60_000);

  it("the signed undertaking names the signer's own role, even when a professional has the same name", async () => {
    const namesake = { ...s.people.socialWorker, name: s.people.mother.name };
    const entry = minuteEntry(
      await s.sealAll([
        s.opened('child-protection-conference'),
        s.added(s.people.chair),
        s.added(namesake),
        s.added(s.people.mother),
        s.requested('mother'),
        s.eligible(),
        s.signed('mother'),
      ]),
    );
    const text = squash(pdfText(await undertakingPdf(entry, options)));
    expect(text).toContain(`Role: ${ROLE_LABELS['parent-carer']}`);
    expect(text).not.toContain(`Role: ${ROLE_LABELS['social-worker']}`);
  }, 60_000);

  it('the signed undertaking still names the role of a signer whose name was corrected after signing', async () => {
    const entry = minuteEntry(
      await s.sealAll([...BEFORE_SIGNING, s.signed('mother'), s.corrected('mother', { name: 'Sara Doe' })]),
    );
    const text = squash(pdfText(await undertakingPdf(entry, options)));
    expect(text).toContain(`Role: ${ROLE_LABELS['parent-carer']}`);
  }, 60_000);

  it('a decision whose reason and disagreements fill more than a page is printed whole, inside the pages, above the footer', async () => {
    const words = (stem: string) =>
      Array.from({ length: 330 }, (_, i) => `${stem}${String(i).padStart(4, '0')}`).join(' ');
    const reason = words('reason');
    const disagreements = words('dissent');
    expect(disagreements.length).toBeLessThanOrEqual(4000);
    const entry = minuteEntry(
      await s.sealAll([
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
        { type: 'chair.decided', payload: { outcome: 'permitted', reason, disagreements } },
      ]),
    );
    const file = join(mkdtempSync(join(tmpdir(), 'ck-redteam-long-')), 'm.pdf');
    writeFileSync(file, await minuteEntryPdf(entry, options));
    const html = execFileSync('pdftotext', ['-bbox', file, '-'], { encoding: 'utf8' });
    const placed = [...html.matchAll(/yMin="([\d.-]+)" xMax="[\d.-]+" yMax="([\d.-]+)">([^<]+)</g)].map(
      (m) => ({ yMax: Number(m[2]), word: m[3] ?? '' }),
    );
    const pages = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' })
      .split('\f')
      .filter((page) => page.trim() !== '');
    expect(pages.length).toBeGreaterThan(1);
    pages.forEach((page, i) => {
      expect(page).toContain(`Page ${i + 1} of ${pages.length}`);
    });
    for (const stem of ['reason', 'dissent']) {
      for (const n of [0, 329]) {
        const word = `${stem}${String(n).padStart(4, '0')}`;
        const at = placed.find((p) => p.word.includes(word));
        expect(at, word).toBeDefined();
        // The footer rule is 44 points above the page's foot (841.89 high): the text stays above it.
        expect(at?.yMax ?? 0, word).toBeLessThan(841.89 - 44);
      }
    }
  }, 60_000);

  it("the outcome box dates a signature given on another day than the meeting's, as the record does", async () => {
    // A request made and signed the afternoon before the meeting (HCS 2.5: asked in advance).
    const entry = minuteEntry(
      await s.sealAll([...BEFORE_SIGNING, s.signed('mother')], '2026-11-22T15:50:00+00:00'),
    );
    const u = entry.undertaking;
    if (!u) throw new Error('not signed');
    expect(u.at.slice(0, 10)).toBe('2026-11-22');
    expect(entry.meeting.date).not.toContain('22 November');
    const text = squash(pdfText(await minuteEntryPdf(entry, options)));
    const outcome = text.slice(text.indexOf('Outcome'));
    expect(outcome).toContain('signed the undertaking on Sunday 22 November 2026 at');
  }, 60_000);

  it("a name with '<', '&' and quotes prints as typed, and a name with a line break is refused", async () => {
    const name = `Zoë <O'Brien> & "Co"`;
    const entry = minuteEntry(
      await s.sealAll([
        s.opened('child-protection-conference'),
        s.added(s.people.chair),
        s.added({ ...s.people.mother, name }),
        s.requested('mother'),
        s.eligible(),
        s.signed('mother'),
      ]),
    );
    expect(squash(pdfText(await minuteEntryPdf(entry, options)))).toContain(name);
    expect(squash(pdfText(await undertakingPdf(entry, options)))).toContain(`Signed by: ${name}`);
    const before = stepped([s.opened('child-protection-conference'), s.added(s.people.chair)]);
    expect(rejectionOf(before, s.added({ ...s.people.mother, name: 'Sarah\nDoe' }))).not.toBeNull();
  }, 60_000);
});
