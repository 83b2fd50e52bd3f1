/**
 * Golden minute entries (HCS 2.10): each scenario's text must equal its reviewed file in golden/. The test
 * only compares; when the wording changes on purpose, `npm run golden:write` writes the files and a person
 * reads every changed one as a chair would before committing it.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { minuteEntry, renderMinuteText } from '../../src/domain/minutes';
import { replay } from '../../src/domain/replay';
import { goldenText, VERIFY_URL } from './golden/render';
import { scenarios } from './golden/scenarios';

describe('HCS 2.10: golden minute entries read like minutes a chair would sign', () => {
  for (const [name, events] of Object.entries(scenarios)) {
    it(name, async () => {
      const { text, log } = await goldenText(events);
      const replayed = await replay(log);
      expect(replayed.ok).toBe(true);
      const entry = minuteEntry(log);
      expect(entry.isComplete).toBe(true);
      expect(entry.headHash).toBe(log.at(-1)?.hash);
      expect(renderMinuteText(entry, { verifyUrl: VERIFY_URL })).toBe(text);
      const golden = readFileSync(new URL(`./golden/${name}.golden.txt`, import.meta.url), 'utf8');
      expect(text).toBe(golden);
    });
  }
});
