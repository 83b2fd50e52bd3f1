/**
 * What was signed stays what was signed (HCS 1.3, 3.3): a signature given under an earlier approved version
 * of the undertaking stays valid, and its documents print the words of that version, not today's.
 */

import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sealEvent, undertakingSha256 } from '../../src/domain/chain';
import type { DomainEvent, EventEnvelope } from '../../src/domain/events';
import { minuteEntry, renderMinuteText } from '../../src/domain/minutes';
import { PROFILES, undertakingVersionOf } from '../../src/domain/profiles';
import { nodeFontFiles } from '../../src/export/nodeFontFiles';
import { undertakingPdf } from '../../src/export/pdf';
import * as s from '../support/scenario';
import { opening, rejectionOf, stepped } from '../support/steps';

const BEFORE_SIGNING: DomainEvent[] = [
  ...opening([s.people.chair, s.people.mother, s.people.socialWorker]),
  s.requested('mother'),
  s.eligible(),
];
const signedAs = (textVersion: string, textSha256: string): DomainEvent => {
  const event = s.signed('mother');
  if (event.type !== 'undertaking.signed') throw new Error('not a signature');
  return { ...event, payload: { ...event.payload, textVersion, textSha256 } };
};

async function sealAll(events: readonly DomainEvent[]): Promise<EventEnvelope[]> {
  const log: EventEnvelope[] = [];
  for (const [i, event] of events.entries()) {
    const at = new Date(Date.parse('2026-11-23T09:58:00+00:00') + i * 60_000)
      .toISOString()
      .replace('.000Z', '+00:00');
    log.push(await sealEvent(log.at(-1) ?? null, event, { meetingId: 'm-1', deviceId: 'dev_a', at }));
  }
  return log;
}

describe('earlier versions of the undertaking', () => {
  it('each superseded version names the hash of the words it showed (the full text alone, before plain and Easy read)', async () => {
    for (const profile of Object.values(PROFILES)) {
      for (const old of profile.undertaking.superseded) {
        const { plain, easyRead } = old.versions;
        const sha =
          plain === undefined
            ? createHash('sha256').update(old.versions.full, 'utf8').digest('hex')
            : await undertakingSha256({ ...old.versions, plain, easyRead: easyRead ?? [] });
        expect(sha, old.version).toBe(old.sha256);
        expect(old.version).not.toBe(profile.undertaking.version);
      }
    }
  });

  it('the version before the check of understanding keeps its words and hash: only the questions were added', () => {
    for (const profile of Object.values(PROFILES)) {
      const { questions, ...words } = profile.undertaking.versions;
      const before = profile.undertaking.superseded[0];
      expect(questions?.length, profile.id).toBe(3);
      expect(before?.versions, profile.id).toEqual(words);
      expect(before?.versions.questions, profile.id).toBeUndefined();
    }
  });

  it('a signature under an earlier approved version is accepted and the minute names that version', async () => {
    const old = PROFILES.hertfordshire.undertaking.superseded[0];
    if (!old) throw new Error('no earlier version');
    const events = [...BEFORE_SIGNING, signedAs(old.version, old.sha256)];
    expect(() => stepped(events)).not.toThrow();
    const text = renderMinuteText(minuteEntry(await sealAll(events)));
    expect(text).toContain(`(version ${old.version})`);
  });

  it('a version the council never approved, or a real version with another hash, is refused', () => {
    const before = stepped(BEFORE_SIGNING);
    const current = PROFILES.hertfordshire.undertaking;
    const old = current.superseded[0];
    if (!old) throw new Error('no earlier version');
    for (const [version, sha] of [
      ['hcs-2099-1', current.sha256],
      [old.version, current.sha256],
      [current.version, old.sha256],
      // The other council's text is not this council's.
      [
        PROFILES['staffordshire-stoke'].undertaking.version,
        PROFILES['staffordshire-stoke'].undertaking.sha256,
      ],
    ] as const) {
      expect(rejectionOf(before, signedAs(version, sha))?.code).toBe('undertaking-text-mismatch');
    }
    expect(undertakingVersionOf(PROFILES.hertfordshire, 'hcs-2099-1')).toBeNull();
  });

  it("the signed undertaking's PDF prints the words of the version signed, not today's plain English", async () => {
    const old = PROFILES.hertfordshire.undertaking.superseded.at(-1);
    if (!old) throw new Error('no earlier version');
    const entry = minuteEntry(await sealAll([...BEFORE_SIGNING, signedAs(old.version, old.sha256)]));
    const bytes = await undertakingPdf(entry, { fonts: nodeFontFiles });
    const file = join(mkdtempSync(join(tmpdir(), 'ck-old-undertaking-')), 'u.pdf');
    writeFileSync(file, bytes);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' }).replace(
      /\s+/g,
      ' ',
    );
    const firstSentence = (old.versions.full.split('.')[0] ?? '').replace(/\s+/g, ' ').trim();
    expect(text).toContain(firstSentence);
    expect(text).toContain(`Text version: ${old.version}`);
    expect(text).not.toContain('The same promise in plain English');
  }, 60_000);
});
