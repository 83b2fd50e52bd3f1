import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { createDb, type KioskDb } from '../../src/storage/db';
import {
  hashPin,
  isAcceptablePin,
  isPinRecord,
  loadPinRecord,
  PIN_ITERATIONS,
  savePin,
  verifyPin,
} from '../../src/storage/pin';

const openDbs: KioskDb[] = [];

function newDb(): KioskDb {
  const db = createDb(`pin-test-${crypto.randomUUID()}`);
  openDbs.push(db);
  return db;
}

afterEach(async () => {
  for (const db of openDbs.splice(0)) await db.delete();
});

describe("the chair's PIN", () => {
  it('the right PIN unlocks and a wrong one does not', async () => {
    const record = await hashPin('2580');
    expect(await verifyPin('2580', record)).toBe(true);
    expect(await verifyPin('2581', record)).toBe(false);
    expect(await verifyPin('258', record)).toBe(false);
    expect(await verifyPin('', record)).toBe(false);
    expect(await verifyPin('25800', record)).toBe(false);
  });

  it('is stored as a slow, salted hash that differs each time, even for the same PIN', async () => {
    const a = await hashPin('2580');
    const b = await hashPin('2580');
    expect(a.algorithm).toBe('PBKDF2-SHA-256');
    expect(a.iterations).toBe(PIN_ITERATIONS);
    expect(PIN_ITERATIONS).toBeGreaterThanOrEqual(310_000);
    expect(a.salt).toMatch(/^[0-9a-f]{32}$/);
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.salt).not.toBe(b.salt);
    expect(a.hash).not.toBe(b.hash);
    expect(await verifyPin('2580', b)).toBe(true);
  });

  it('the stored record never contains the PIN', async () => {
    const db = newDb();
    const pin = '73915';
    const saved = await savePin(db, pin);
    const stored = await db.settings.toArray();
    expect(JSON.stringify(stored)).not.toContain(pin);
    expect(JSON.stringify(saved)).not.toContain(pin);
    expect(Object.keys(saved).sort()).toEqual(['algorithm', 'hash', 'iterations', 'salt']);
  });

  it('survives a reload: the saved PIN still unlocks the tablet', async () => {
    const db = newDb();
    expect(await loadPinRecord(db)).toBeNull();
    await savePin(db, '2580');
    db.close();
    const reopened = createDb(db.name);
    openDbs.push(reopened);
    const record = await loadPinRecord(reopened);
    expect(record).not.toBeNull();
    expect(record && (await verifyPin('2580', record))).toBe(true);
    reopened.close();
  });

  it('setting a new PIN replaces the old one', async () => {
    const db = newDb();
    await savePin(db, '2580');
    await savePin(db, '9146');
    const record = await loadPinRecord(db);
    if (!record) throw new Error('no PIN');
    expect(await verifyPin('9146', record)).toBe(true);
    expect(await verifyPin('2580', record)).toBe(false);
  });

  it('a weak PIN cannot be saved', async () => {
    const db = newDb();
    await expect(savePin(db, '1234')).rejects.toThrow(RangeError);
    expect(await loadPinRecord(db)).toBeNull();
  });

  it('something that is not a PIN record is ignored, and never unlocks', async () => {
    const db = newDb();
    await db.settings.put({ key: 'pin', value: '2580' });
    expect(await loadPinRecord(db)).toBeNull();
    const record = await hashPin('2580');
    expect(isPinRecord(record)).toBe(true);
    expect(await verifyPin('2580', { ...record, hash: 'zz' })).toBe(false);
    expect(await verifyPin('2580', { ...record, iterations: 1 })).toBe(false);
  });
});

describe('which PINs are accepted', () => {
  it.each(['2580', '7391', '193746', '55565', '10293847'])('accepts %s', (pin) => {
    expect(isAcceptablePin(pin)).toBe(true);
  });

  it.each([
    ['too short', '258'],
    ['too long', '123456789'],
    ['not only digits', '12a4'],
    ['with a space', '2580 '],
    ['empty', ''],
    ['one digit repeated', '0000'],
    ['one digit repeated, longer', '77777777'],
    ['counting up', '1234'],
    ['counting up from 0', '0123'],
    ['counting up, longer', '3456789'],
    ['counting down', '4321'],
    ['counting down, longer', '98765'],
  ])('refuses a PIN %s (%s)', (_why, pin) => {
    expect(isAcceptablePin(pin)).toBe(false);
  });
});
