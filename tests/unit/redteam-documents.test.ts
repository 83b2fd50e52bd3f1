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
    const old = PROFILES.hertfordshire.undertaking.superseded[0];
    if (!old) throw new Error('no earlier version');
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
});
