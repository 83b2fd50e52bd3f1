/** Issue 16: wrong PINs cost growing waits; a forgotten PIN is reset with a one-time admin code, offline. */
import { describe, expect, it } from 'vitest';
import { matchResetCode, normaliseResetCode, RESET_WINDOW, resetCodeFor } from '../../src/sealing/pinReset';
import {
  afterWrongPin,
  FREE_ATTEMPTS,
  NO_ATTEMPTS,
  type PinAttempts,
  waitAfter,
  waitRemaining,
} from '../../src/storage/pinAttempts';

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
