/** Issue 16: wrong PINs cost growing waits; a forgotten PIN is reset with a one-time admin code, offline. */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it } from 'vitest';
import { matchResetCode, normaliseResetCode, RESET_WINDOW, resetCodeFor } from '../../src/sealing/pinReset';
import { createDb, type KioskDb } from '../../src/storage/db';
import { savePin } from '../../src/storage/pin';
import {
  afterWrongPin,
  FREE_ATTEMPTS,
  NO_ATTEMPTS,
  type PinAttempts,
  waitAfter,
  waitRemaining,
} from '../../src/storage/pinAttempts';
import {
  canResetPin,
  checkPin,
  checkResetCode,
  pinWait,
  resetPinWithCode,
  storeResetSecret,
} from '../../src/storage/pinGuard';
import { enrol } from '../../src/sync/enrolment';

describe('waits after wrong PINs', () => {
  it('a few slips cost nothing; then each wrong PIN doubles the wait, up to an hour', () => {
    const waits = Array.from({ length: 16 }, (_, i) => waitAfter(i));
    expect(waits.slice(0, FREE_ATTEMPTS + 1).every((w) => w === 0)).toBe(true);
    expect(waits[FREE_ATTEMPTS + 1]).toBe(30_000);
    expect(waits[FREE_ATTEMPTS + 2]).toBe(60_000);
    for (let i = FREE_ATTEMPTS + 2; i < waits.length; i++)
      expect(waits[i]).toBeGreaterThanOrEqual(waits[i - 1] as number);
    expect(waits.at(-1)).toBe(60 * 60_000);
  });

  it('the wait runs from the last wrong PIN, and setting the clock back does not shorten it', () => {
    let attempts: PinAttempts = NO_ATTEMPTS;
    const t0 = Date.parse('2026-12-02T10:00:00Z');
    for (let i = 0; i < FREE_ATTEMPTS + 1; i++) attempts = afterWrongPin(attempts, t0);
    expect(waitRemaining(attempts, t0)).toBe(30_000);
    expect(waitRemaining(attempts, t0 + 20_000)).toBe(10_000);
    expect(waitRemaining(attempts, t0 + 30_000)).toBe(0);
    expect(waitRemaining(attempts, t0 - 3_600_000)).toBe(30_000);
  });
});

describe('resetting a forgotten PIN with an admin code, offline', () => {
  const secret = new Uint8Array(32).fill(7);
  const device = 'dev_0123456789abcdef01234567';

  it('the next code issued is accepted once: a used code does not work twice', async () => {
    const code1 = await resetCodeFor(secret, device, 1);
    expect(code1).toMatch(/^[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
    expect(await matchResetCode(secret, device, code1, 0)).toBe(1);
    expect(await matchResetCode(secret, device, code1, 1)).toBeNull();
  });

  it('codes issued and never used are skipped over, within a window', async () => {
    const code7 = await resetCodeFor(secret, device, 7);
    expect(await matchResetCode(secret, device, code7, 2)).toBe(7);
    const far = await resetCodeFor(secret, device, 2 + RESET_WINDOW + 1);
    expect(await matchResetCode(secret, device, far, 2)).toBeNull();
  });

  it('a code works only for its own tablet and secret, and is typed forgivingly', async () => {
    const code = await resetCodeFor(secret, device, 1);
    expect(await matchResetCode(secret, 'dev_other', code, 0)).toBeNull();
    expect(await matchResetCode(new Uint8Array(32).fill(8), device, code, 0)).toBeNull();
    const typed = ` ${code.toLowerCase().replace('-', ' ')} `;
    expect(normaliseResetCode(typed)).toBe(code);
    expect(await matchResetCode(secret, device, typed, 0)).toBe(1);
    expect(normaliseResetCode('short')).toBeNull();
  });
});

describe('the PIN guard on the tablet (every PIN check goes through it)', () => {
  const openDbs: KioskDb[] = [];
  const newDb = (): KioskDb => {
    const db = createDb(`pin-guard-${crypto.randomUUID()}`);
    openDbs.push(db);
    return db;
  };
  const reopen = (db: KioskDb): KioskDb => {
    db.close();
    const again = createDb(db.name);
    openDbs.push(again);
    return again;
  };
  afterEach(async () => {
    for (const db of openDbs.splice(0)) await db.delete();
  });

  const t0 = Date.parse('2026-12-02T10:00:00Z');
  const secret = new Uint8Array(32).fill(9);
  const serverDeviceId = 'tablet-guard';

  async function tabletWithPin(pin = '2580') {
    const db = newDb();
    await savePin(db, pin);
    return db;
  }

  it('wrong PINs: a few are free, then waits grow; a try during a wait is refused unchecked, even the right PIN', async () => {
    const db = await tabletWithPin();
    const waits: number[] = [];
    for (let i = 0; i < FREE_ATTEMPTS + 2; i++) {
      const outcome = await checkPin(db, '1111', t0 + i * 60_000 * 10);
      expect(outcome.ok).toBe(false);
      if (!outcome.ok) waits.push(outcome.waitMs);
    }
    expect(waits).toEqual([0, 0, 0, 0, 30_000, 60_000]);
    const last = t0 + (FREE_ATTEMPTS + 1) * 60_000 * 10;
    expect(await checkPin(db, '2580', last + 59_000)).toEqual({ ok: false, waitMs: 1_000, refused: true });
    expect(await pinWait(db, last + 59_000)).toBe(1_000);
    expect(await checkPin(db, '2580', last + 60_000)).toEqual({ ok: true });
  });

  it('the wait survives a reload, and the right PIN clears the count', async () => {
    let db = await tabletWithPin();
    for (let i = 0; i < FREE_ATTEMPTS + 1; i++) await checkPin(db, '1111', t0);
    db = reopen(db);
    expect(await pinWait(db, t0 + 10_000)).toBe(20_000);
    expect((await checkPin(db, '2580', t0 + 10_000)).ok).toBe(false);
    expect(await checkPin(db, '2580', t0 + 30_000)).toEqual({ ok: true });
    // Cleared: the next wrong PIN is free again.
    expect(await checkPin(db, '1111', t0 + 31_000)).toEqual({ ok: false, waitMs: 0, refused: false });
  });

  it('a try is counted before the slow check, so reloading during it does not make it free', async () => {
    const db = await tabletWithPin();
    for (let i = 0; i < FREE_ATTEMPTS; i++) await checkPin(db, '1111', t0);
    const checking = checkPin(db, '1111', t0);
    // Read from a second connection while the PBKDF2 check runs: the try is already counted.
    const other = createDb(db.name);
    openDbs.push(other);
    expect(await pinWait(other, t0)).toBe(30_000);
    await checking;
  });

  it('a clock set back does not shorten the wait, nor leave the tablet locked until the clock catches up', async () => {
    const db = await tabletWithPin();
    for (let i = 0; i < FREE_ATTEMPTS + 1; i++) await checkPin(db, '1111', t0);
    const dayBefore = t0 - 24 * 3_600_000;
    expect(await pinWait(db, dayBefore)).toBe(30_000);
    expect(await pinWait(db, dayBefore + 10_000)).toBe(20_000);
    expect((await checkPin(db, '2580', dayBefore + 10_000)).ok).toBe(false);
    expect((await checkPin(db, '2580', dayBefore + 30_000)).ok).toBe(true);
  });

  it('a tablet never enrolled cannot reset its PIN, and says so rather than counting a try', async () => {
    const db = await tabletWithPin();
    expect(await canResetPin(db)).toBe(false);
    expect(await checkResetCode(db, 'ABCD-EFGH', t0)).toEqual({ ok: false, notEnrolled: true });
    expect(await pinWait(db, t0)).toBe(0);
  });

  it("the admin's code resets the PIN offline, once; records are untouched and the wait is cleared", async () => {
    const db = await tabletWithPin();
    await storeResetSecret(db, { secret, deviceId: serverDeviceId });
    await db.settings.put({ key: 'unrelated', value: 'kept' });
    for (let i = 0; i < FREE_ATTEMPTS + 1; i++) await checkPin(db, '1111', t0);
    const code = await resetCodeFor(secret, serverDeviceId, 1);
    const later = t0 + 30_000;
    expect(await checkResetCode(db, code.toLowerCase().replace('-', ' '), later)).toEqual({
      ok: true,
      number: 1,
    });
    const reset = await resetPinWithCode(db, code, '9146');
    expect(reset.ok).toBe(true);
    // The count is cleared: the next wrong PIN costs no wait.
    expect(await checkPin(db, '1111', later)).toEqual({ ok: false, waitMs: 0, refused: false });
    expect(await checkPin(db, '9146', later)).toEqual({ ok: true });
    expect(await checkPin(db, '2580', later)).toMatchObject({ ok: false });
    expect((await db.settings.get('unrelated'))?.value).toBe('kept');
    // The same code does not work twice, nor does an earlier one after a later one was taken.
    expect(await checkResetCode(db, code, later)).toMatchObject({ ok: false, refused: false });
    expect(await resetPinWithCode(db, code, '7391')).toEqual({ ok: false, reason: 'used-code' });
    const code3 = await resetCodeFor(secret, serverDeviceId, 3);
    expect((await resetPinWithCode(db, code3, '7391')).ok).toBe(true);
    const code2 = await resetCodeFor(secret, serverDeviceId, 2);
    expect(await checkResetCode(db, code2, later)).toMatchObject({ ok: false });
    expect(await resetPinWithCode(db, code2, '5820')).toEqual({ ok: false, reason: 'used-code' });
  });

  it("another tablet's code is refused, and counts as a wrong try", async () => {
    const db = await tabletWithPin();
    await storeResetSecret(db, { secret, deviceId: serverDeviceId });
    const theirs = await resetCodeFor(secret, 'another-tablet', 1);
    const otherSecret = await resetCodeFor(new Uint8Array(32).fill(1), serverDeviceId, 1);
    for (const code of [theirs, otherSecret])
      expect(await checkResetCode(db, code, t0)).toEqual({ ok: false, waitMs: 0, refused: false });
    expect(await resetPinWithCode(db, theirs, '9146')).toEqual({ ok: false, reason: 'used-code' });
    expect(await checkPin(db, '2580', t0)).toEqual({ ok: true });
  });

  it('a flood of wrong codes meets the same growing waits as wrong PINs; a wait refuses even the right code', async () => {
    const db = await tabletWithPin();
    await storeResetSecret(db, { secret, deviceId: serverDeviceId });
    let at = t0;
    let tried = 0;
    // As fast as the waits allow, for a day: far too few tries to find a 40-bit code.
    while (at < t0 + 24 * 3_600_000) {
      const outcome = await checkResetCode(db, `ZZZZ-${String(tried).padStart(4, '0')}`, at);
      expect(outcome.ok).toBe(false);
      tried += 1;
      at += Math.max(1, await pinWait(db, at));
    }
    expect(tried).toBeLessThan(40);
    const right = await resetCodeFor(secret, serverDeviceId, 1);
    expect(await checkResetCode(db, right, at - 1)).toMatchObject({ ok: false, refused: true });
    expect(await pinWait(db, at)).toBe(0);
  });

  it('a code that does not even look like one counts as a wrong try too', async () => {
    const db = await tabletWithPin();
    await storeResetSecret(db, { secret, deviceId: serverDeviceId });
    for (let i = 0; i < FREE_ATTEMPTS + 1; i++) await checkResetCode(db, 'nonsense', t0);
    expect(await pinWait(db, t0)).toBe(30_000);
  });

  it('a weak new PIN is refused without using the code', async () => {
    const db = await tabletWithPin();
    await storeResetSecret(db, { secret, deviceId: serverDeviceId });
    const code = await resetCodeFor(secret, serverDeviceId, 1);
    expect(await resetPinWithCode(db, code, '1234')).toEqual({ ok: false, reason: 'weak-pin' });
    expect((await resetPinWithCode(db, code, '9146')).ok).toBe(true);
  });

  it('a new enrolment brings a new secret and starts its numbers again', async () => {
    const db = await tabletWithPin();
    await storeResetSecret(db, { secret, deviceId: serverDeviceId });
    expect((await resetPinWithCode(db, await resetCodeFor(secret, serverDeviceId, 1), '9146')).ok).toBe(true);
    const fresh = new Uint8Array(32).fill(4);
    await storeResetSecret(db, { secret: fresh, deviceId: 'tablet-new' });
    expect(await checkResetCode(db, await resetCodeFor(fresh, 'tablet-new', 1), t0)).toEqual({
      ok: true,
      number: 1,
    });
    expect(await checkResetCode(db, await resetCodeFor(secret, serverDeviceId, 2), t0)).toMatchObject({
      ok: false,
    });
    await storeResetSecret(db, null);
    expect(await canResetPin(db)).toBe(false);
  });

  describe('enrolment', () => {
    const answer = (body: Record<string, unknown>) => async () =>
      new Response(JSON.stringify(body), { status: 201, headers: { 'content-type': 'application/json' } });
    const enrolWith = (db: KioskDb, body: Record<string, unknown>) =>
      enrol(
        { db, fetch: answer(body), now: () => new Date(t0), deviceId: 'tablet-own-id' },
        'ENROL-123456',
        'https://records.example',
      );
    const token = 't'.repeat(43);

    it("keeps the service's reset secret, so the service's codes for this tablet work offline", async () => {
      const db = await tabletWithPin();
      const shared = new Uint8Array(32).fill(3);
      const enrolled = await enrolWith(db, {
        deviceId: 'srv-device-1',
        token,
        pinResetSecret: Buffer.from(shared).toString('base64url'),
      });
      expect(enrolled.ok).toBe(true);
      expect(await canResetPin(db)).toBe(true);
      expect(await checkResetCode(db, await resetCodeFor(shared, 'srv-device-1', 1), t0)).toEqual({
        ok: true,
        number: 1,
      });
    });

    it('from a service without PIN reset (or with fields a later one adds), enrols without a secret', async () => {
      const db = await tabletWithPin();
      await storeResetSecret(db, { secret, deviceId: serverDeviceId });
      const enrolled = await enrolWith(db, { deviceId: 'srv-device-2', token, laterField: { any: 1 } });
      expect(enrolled.ok).toBe(true);
      expect(await canResetPin(db)).toBe(false);
    });

    it('a malformed secret is refused with the enrolment, not kept', async () => {
      const db = await tabletWithPin();
      const enrolled = await enrolWith(db, { deviceId: 'srv-device-3', token, pinResetSecret: 'short' });
      expect(enrolled).toMatchObject({ ok: false, code: 'bad-response' });
      expect(await canResetPin(db)).toBe(false);
    });
  });
});
