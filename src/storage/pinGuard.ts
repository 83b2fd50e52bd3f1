/**
 * Every check of the chair's PIN, and of an admin's PIN reset code, goes through here (issue 16): a try is
 * refused while a wait runs, a wrong one makes the next wait longer, and the right PIN clears the count.
 * The count is written BEFORE the slow check and cleared after a right answer, so reloading the page in
 * the middle of a check does not make a wrong try free.
 *
 * A forgotten PIN is reset with a one-time code from an administrator, checked offline against the secret
 * shared at enrolment; the new PIN, the number of the code taken and the cleared count are written in one
 * transaction, and nothing else on the tablet is touched.
 */
import type { KioskDb } from './db';
import { hashPin, isAcceptablePin, loadPinRecord, type PinRecord, savePinRecord, verifyPin } from './pin';
import { afterWrongPin, isPinAttempts, NO_ATTEMPTS, type PinAttempts, waitRemaining } from './pinAttempts';
import { isRecord, setting } from './settings';

/** Wrong PINs and wrong reset codes, counted together. */
const attemptsSetting = setting('pinAttempts', isPinAttempts);

/** What the tablet keeps to check reset codes: the secret from enrolment, and the last code number taken. */
export interface PinResetKey {
  secret: Uint8Array<ArrayBuffer>;
  /** The records service's id for this tablet: codes are derived from it. */
  deviceId: string;
  /** The number of the last code used (0: none yet); it and every earlier code no longer work. */
  lastUsed: number;
}

const resetKeySetting = setting(
  'pinReset',
  (value): value is PinResetKey =>
    isRecord(value) &&
    value.secret instanceof Uint8Array &&
    value.secret.length === 32 &&
    typeof value.deviceId === 'string' &&
    typeof value.lastUsed === 'number' &&
    Number.isInteger(value.lastUsed) &&
    value.lastUsed >= 0,
);

export type GuardOutcome =
  | { ok: true }
  /** `waitMs`: how long before the next try (0: now). `refused`: a wait was running, nothing was checked. */
  | { ok: false; waitMs: number; refused: boolean };

/**
 * The attempts as they stand at `now`. A clock set back (now before the last wrong try) restarts the wait
 * from now: the wait is not shortened, and it does not last until the clock catches up either.
 */
async function attemptsAt(db: KioskDb, now: number): Promise<PinAttempts> {
  const attempts = (await attemptsSetting.read(db)) ?? NO_ATTEMPTS;
  if (attempts.lastFailureAt === null || now >= attempts.lastFailureAt) return attempts;
  const moved = { ...attempts, lastFailureAt: now };
  await attemptsSetting.write(db, moved);
  return moved;
}

/** Milliseconds before the PIN (or a reset code) may be tried again; 0: now. */
export async function pinWait(db: KioskDb, now: number): Promise<number> {
  return waitRemaining(await attemptsAt(db, now), now);
}

/**
 * Counts a try as wrong before it is checked (so it cannot be dodged by a reload), unless a wait is
 * running: then the try is refused and nothing is counted.
 */
async function beginTry(db: KioskDb, now: number): Promise<GuardOutcome | PinAttempts> {
  return db.transaction('rw', db.settings, async () => {
    const attempts = await attemptsAt(db, now);
    const waitMs = waitRemaining(attempts, now);
    if (waitMs > 0) return { ok: false, waitMs, refused: true } as const;
    const counted = afterWrongPin(attempts, now);
    await attemptsSetting.write(db, counted);
    return counted;
  });
}

/** Counts one wrong try at `now`, whatever wait runs. */
async function countWrongTry(db: KioskDb, now: number): Promise<void> {
  await db.transaction('rw', db.settings, async () => {
    await attemptsSetting.write(db, afterWrongPin(await attemptsAt(db, now), now));
  });
}

const isOutcome = (v: GuardOutcome | PinAttempts): v is GuardOutcome => 'ok' in v;

/** Checks the chair's PIN against the stored one, with the waits. */
export async function checkPin(db: KioskDb, pin: string, now: number): Promise<GuardOutcome> {
  const started = await beginTry(db, now);
  if (isOutcome(started)) return started;
  const record = await loadPinRecord(db);
  if (record && (await verifyPin(pin, record))) {
    await attemptsSetting.remove(db);
    return { ok: true };
  }
  return { ok: false, waitMs: waitRemaining(started, now), refused: false };
}

/** Whether this tablet can check reset codes: only one enrolled with a service that shares a secret. */
export async function canResetPin(db: KioskDb): Promise<boolean> {
  return (await resetKeySetting.read(db)) !== undefined;
}

/** Keeps the secret given at enrolment (a new enrolment's secret starts its numbers again), or forgets it. */
export async function storeResetSecret(
  db: KioskDb,
  key: { secret: Uint8Array<ArrayBuffer>; deviceId: string } | null,
): Promise<void> {
  if (key) await resetKeySetting.write(db, { ...key, lastUsed: 0 });
  else await resetKeySetting.remove(db);
}

export type CodeOutcome =
  | { ok: true; number: number }
  | (GuardOutcome & { ok: false })
  /** The tablet has no secret: it was never enrolled, or enrolled with a service without PIN reset. */
  | { ok: false; notEnrolled: true };

/** Checks an admin's reset code (a wrong one counts like a wrong PIN); nothing is changed by a right one. */
export async function checkResetCode(db: KioskDb, typed: string, now: number): Promise<CodeOutcome> {
  const key = await resetKeySetting.read(db);
  if (!key) return { ok: false, notEnrolled: true };
  const started = await beginTry(db, now);
  if (isOutcome(started)) return started as GuardOutcome & { ok: false };
  const { matchResetCode } = await import('../sealing/pinReset');
  const number = await matchResetCode(key.secret, key.deviceId, typed, key.lastUsed);
  if (number !== null) return { ok: true, number };
  return { ok: false, waitMs: waitRemaining(started, now), refused: false };
}

export type ResetOutcome = { ok: true; record: PinRecord } | { ok: false; reason: 'weak-pin' | 'used-code' };

/**
 * Sets a new PIN with a reset code (checked again, so a code used meanwhile in another tab is refused):
 * the new PIN, the code's number (it and every earlier code stop working) and a cleared count, at once.
 */
export async function resetPinWithCode(db: KioskDb, typed: string, newPin: string): Promise<ResetOutcome> {
  if (!isAcceptablePin(newPin)) return { ok: false, reason: 'weak-pin' };
  const before = await resetKeySetting.read(db);
  const { matchResetCode } = await import('../sealing/pinReset');
  const number = before && (await matchResetCode(before.secret, before.deviceId, typed, before.lastUsed));
  if (!before || !number) {
    // A caller that guesses codes here, skipping checkResetCode, still pays for each wrong one.
    if (before) await countWrongTry(db, Date.now());
    return { ok: false, reason: 'used-code' };
  }
  const record = await hashPin(newPin);
  const isDone = await db.transaction('rw', db.settings, async () => {
    const key = await resetKeySetting.read(db);
    if (!key || key.lastUsed !== before.lastUsed || key.deviceId !== before.deviceId) return false;
    await savePinRecord(db, record);
    await resetKeySetting.write(db, { ...key, lastUsed: number });
    await attemptsSetting.remove(db);
    return true;
  });
  return isDone ? { ok: true, record } : { ok: false, reason: 'used-code' };
}
