/**
 * Documents as data: the JSON export of a minute entry is a versioned object with stable field names, whose
 * JSON Schema is published (docs/minute-export.schema.json) from its zod schema; a case management system
 * validating an export against that published file must accept every export the app makes.
 */
import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { minuteEntry } from '../../src/domain/minutes';
import { minuteExport } from '../../src/export/json';
import { minuteExportJsonSchema, minuteExportSchema } from '../../src/export/minuteExportSchema';
import * as s from '../support/scenario';
import { scenarios } from './golden/scenarios';

const PUBLISHED = new URL('../../docs/minute-export.schema.json', import.meta.url);

function validator() {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(PUBLISHED, 'utf8')));
}

/** Several golden meetings: permission and notice models, a decline, a correction, a conversation, two requesters. */
const GOLDEN = [
  'all-agree',
  'one-declines',
  'a-name-corrected',
  'two-requesters',
  'conversation-professional-declines',
  'staffordshire-objection-noted',
  'advance-request-decided-the-day-before',
  'newcomer-joins-mid-recording',
] as const;

describe('the minute entry as data', () => {
  it('the published JSON Schema is the one the zod schema generates (run `npm run schema:write` after changing it)', () => {
    const committed = readFileSync(PUBLISHED, 'utf8');
    expect(committed).toBe(`${JSON.stringify(minuteExportJsonSchema(), null, 2)}\n`);
  });

  for (const name of GOLDEN) {
    it(`the export of the golden meeting "${name}" validates against the published JSON Schema`, async () => {
      const events = scenarios[name];
      if (!events) throw new Error(`no golden scenario ${name}`);
      const exported = JSON.parse(JSON.stringify(minuteExport(minuteEntry(await s.sealAll(events)))));
      const validate = validator();
      expect(validate(exported), JSON.stringify(validate.errors)).toBe(true);
      expect(minuteExportSchema.safeParse(exported).success).toBe(true);
    });
  }

  it('an export missing a field, or with a field renamed, fails the published schema', async () => {
    const exported = minuteExport(minuteEntry(await s.sealAll(scenarios['all-agree'] ?? [])));
    const validate = validator();
    const { headHash: _dropped, ...withoutHash } = exported.recordCheck;
    expect(validate({ ...exported, recordCheck: withoutHash })).toBe(false);
    const { record, ...rest } = exported;
    expect(validate({ ...rest, items: record })).toBe(false);
    expect(validate({ ...exported, schemaVersion: 2 })).toBe(false);
  });

  it('the export carries the same facts as the PDF: council, marking, attendees, the record, outcome, undertaking, record check', async () => {
    const log = await s.sealAll(scenarios['all-agree'] ?? []);
    const entry = minuteEntry(log);
    const exported = minuteExport(entry, { verifyBaseUrl: 'https://records.herts.example' });
    expect(exported.schemaVersion).toBe(1);
    expect(exported.council).toEqual({
      name: 'Hertfordshire County Council',
      protectiveMarking: 'OFFICIAL-SENSITIVE',
    });
    expect(exported.meeting.policy.id).toBe('hertfordshire');
    expect(exported.attendees.map((a) => a.name)).toEqual(entry.attendees.map((a) => a.name));
    expect(exported.record.map((r) => r.text)).toEqual(entry.items.map((i) => i.text));
    expect(exported.outcome?.text).toBe(entry.outcome?.text);
    expect(exported.undertakings[0]?.textSha256).toBe(entry.undertaking?.textSha256);
    expect(exported.recordCheck).toEqual({
      eventCount: log.length,
      headHash: log.at(-1)?.hash,
      verifyUrl: `https://records.herts.example/admin/verify?meeting=${entry.meeting.id}&hash=${log.at(-1)?.hash}`,
    });
  });
});
