/**
 * How long the chair's PIN screen makes a person wait after wrong PINs (issue 16): a few slips cost
 * nothing, then each further wrong PIN doubles the wait, up to an hour. The count survives a reload (it is
 * stored with the PIN) and is cleared by the right PIN or by a reset with an admin's code.
 */

/** Wrong PINs allowed before any wait. */
export const FREE_ATTEMPTS = 4;
const FIRST_WAIT_MS = 30_000;
const LONGEST_WAIT_MS = 60 * 60_000;

export interface PinAttempts {
  failures: number;
  /** When the last wrong PIN was entered (ms since the epoch), or null. */
  lastFailureAt: number | null;
}

export const NO_ATTEMPTS: PinAttempts = { failures: 0, lastFailureAt: null };

/** The wait imposed after `failures` wrong PINs. */
export function waitAfter(failures: number): number {
  if (failures <= FREE_ATTEMPTS) return 0;
  return Math.min(LONGEST_WAIT_MS, FIRST_WAIT_MS * 2 ** (failures - FREE_ATTEMPTS - 1));
}

/** Milliseconds before a PIN may be tried again (0: now). A clock set back does not shorten the wait. */
export function waitRemaining(attempts: PinAttempts, now: number): number {
  if (attempts.lastFailureAt === null) return 0;
  const wait = waitAfter(attempts.failures);
  if (now < attempts.lastFailureAt) return wait;
  return Math.max(0, attempts.lastFailureAt + wait - now);
}

export const afterWrongPin = (attempts: PinAttempts, now: number): PinAttempts => ({
  failures: attempts.failures + 1,
  lastFailureAt: now,
});

export function isPinAttempts(value: unknown): value is PinAttempts {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.failures === 'number' &&
    Number.isInteger(v.failures) &&
    v.failures >= 0 &&
    (v.lastFailureAt === null || typeof v.lastFailureAt === 'number')
  );
}
