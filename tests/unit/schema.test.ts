/**
 * The shared schema's texts and ids: what the tablet may write and the records service may store. No
 * control character (a NUL is refused by PostgreSQL's jsonb on every retry) and no lone surrogate in any
 * text; ids in one canonical, lower-case form, as the tablet makes them.
 */
import fc from 'fast-check';
import { v7 as uuidv7 } from 'uuid';
import { describe, expect, it, test } from 'vitest';
import { hashOf, sealEvent } from '../../src/domain/chain';
import { envelopeSchema } from '../../src/domain/events';
import {
  findForbiddenText,
  idSchema,
  nameSchema,
  requiredTextSchema,
  textSchema,
  uuidSchema,
} from '../../src/domain/model';
import * as s from '../support/scenario';

const ok = (schema: { safeParse: (v: unknown) => { success: boolean } }, value: unknown) =>
  schema.safeParse(value).success;

/** Every code unit that is a control character (but tab and line feed) or a surrogate. */
const forbiddenUnit = fc.oneof(
  fc.integer({ min: 0x00, max: 0x08 }),
  fc.integer({ min: 0x0b, max: 0x1f }),
  fc.integer({ min: 0x7f, max: 0x9f }),
  fc.integer({ min: 0xd800, max: 0xdfff }),
);

describe('texts', () => {
  it('a name is refused with a NUL, another control character, a line break or a lone surrogate', () => {
    for (const bad of [
      'Sarah\u0000Doe',
      'Sarah\u0007',
      'Sarah\nDoe',
      'Sarah\rDoe',
      'Sarah\u007f',
      'Sarah\u0085Doe',
      'Sarah\u009f',
      'Sarah \ud83d',
      '\ude00 Sarah',
      'Sa\udc00\ud800rah',
    ]) {
      expect(ok(nameSchema, bad), JSON.stringify(bad)).toBe(false);
    }
  });

  it('a name may hold any letter, accent, emoji (a surrogate pair) or a tab pasted in', () => {
    for (const good of ['Zoë Łukasiewicz', 'Ngozi Ádébáyọ̀', '陈静', 'محمد', 'Sam 🙂', 'Sarah\tDoe']) {
      expect(ok(nameSchema, good), good).toBe(true);
    }
  });

  it('free text may run over lines and hold tabs, but no other control character', () => {
    expect(ok(textSchema, 'First line.\nSecond line:\tindented.')).toBe(true);
    expect(ok(requiredTextSchema, 'Legal advice given.\n\nThe chair decided.')).toBe(true);
    for (const bad of ['a\u0000b', 'a\rb', 'a\u000bb', 'a\u001bb', 'a\u0080b', 'a\ud800b']) {
      expect(ok(textSchema, bad), JSON.stringify(bad)).toBe(false);
      expect(ok(requiredTextSchema, bad), JSON.stringify(bad)).toBe(false);
    }
  });

  test('any text with a forbidden code unit anywhere is refused by every text schema', () => {
    fc.assert(
      fc.property(fc.string(), forbiddenUnit, fc.string(), (before, unit, after) => {
        const text = `x${before}${String.fromCharCode(unit)}${after}x`;
        // A high surrogate right before a low one is a character, not a broken one.
        fc.pre(findForbiddenText(text) !== null);
        expect(ok(nameSchema, text)).toBe(false);
        expect(ok(textSchema, text)).toBe(false);
        expect(ok(requiredTextSchema, text)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  it('findForbiddenText names the path of the first bad string or key, deep in any value', () => {
    expect(findForbiddenText({ a: [1, 'ok', { b: 'x\u0000' }] })).toEqual(['a', 2, 'b']);
    expect(findForbiddenText({ 'k\ud800': 1 })).toEqual(['k\ud800']);
    expect(findForbiddenText({ a: ['line\nline\t', 3, null, true] })).toBeNull();
  });
});

describe('an event envelope', () => {
  const sealed = (event = s.added(s.people.chair), deviceId = s.DEVICE_ID, meetingId = s.MEETING_ID) =>
    sealEvent(null, event, { meetingId, deviceId, at: '2026-11-23T10:00:00+00:00' });

  it('with a NUL or a lone surrogate in an attendee name is refused at that field', async () => {
    // A lone surrogate cannot even be hashed (RFC 8785 has no form for it), so the name is put in after.
    const envelope = await sealed(s.added(s.people.mother));
    for (const name of ['Sarah\u0000Doe', 'Sarah \ud83d']) {
      const bad = { ...envelope, payload: { attendee: { ...s.people.mother, name } } };
      const result = envelopeSchema.safeParse(bad);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual(['payload', 'attendee', 'name']);
    }
  });

  it('with a control character in a string that has no text schema of its own is refused too', async () => {
    const signed = s.signed('mother');
    if (signed.type !== 'undertaking.signed') throw new Error('scenario changed');
    const envelope = await sealed({ ...signed, payload: { ...signed.payload, textVersion: 'v1\u0000' } });
    const result = envelopeSchema.safeParse(envelope);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['payload', 'textVersion']);
  });

  it('with its id, meeting id or device id in upper case is refused: one spelling per id', async () => {
    const envelope = await sealed(s.added(s.people.chair), uuidv7());
    expect(envelopeSchema.safeParse(envelope).success).toBe(true);
    for (const field of ['id', 'meetingId', 'deviceId'] as const) {
      const upper = { ...envelope, [field]: envelope[field].toUpperCase() };
      const rehashed = { ...upper, hash: await hashOf(upper) };
      const result = envelopeSchema.safeParse(rehashed);
      expect(result.success, field).toBe(false);
      expect(result.error?.issues[0]?.path).toEqual([field]);
    }
  });
});

describe('ids', () => {
  it('the ids the tablet makes (crypto.randomUUID, UUIDv7) are accepted as they are', () => {
    for (let i = 0; i < 50; i++) {
      const random = crypto.randomUUID();
      const v7 = uuidv7();
      expect(ok(idSchema, random)).toBe(true);
      expect(ok(idSchema, v7)).toBe(true);
      expect(ok(uuidSchema, random)).toBe(true);
      expect(ok(uuidSchema, v7)).toBe(true);
    }
    for (const id of [s.DEVICE_ID, s.CHILD.id, s.people.chair.id, 'dev_0a1b2c3d4e5f60718293a4b5']) {
      expect(ok(idSchema, id), id).toBe(true);
    }
  });

  it('an id with an upper-case letter, a space or a control character is refused', () => {
    for (const id of ['Chair', 'CHILD-1', 'child 1', 'child\u0000', '']) {
      expect(ok(idSchema, id), JSON.stringify(id)).toBe(false);
    }
    expect(ok(uuidSchema, '0193A1B2-0000-7000-8000-000000000001')).toBe(false);
  });
});
