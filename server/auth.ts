/**
 * Secrets: the admin password is hashed with scrypt (slow, salted: a guessable secret); device tokens,
 * enrolment codes and session ids are long random strings, so a plain SHA-256 of them suffices to keep a
 * copy of the table from being usable, and lets the service find a row by its hash.
 */
import { createHash, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import pLimit from 'p-limit';

const SCRYPT = { N: 16_384, r: 8, p: 1, keylen: 32 } as const;

/**
 * scrypt runs on libuv's thread pool (4 threads by default), which file and other crypto work share: at
 * most two hashes at a time leave the rest of the pool to them, and a queue longer than MAX_WAITING is
 * refused at once (PasswordHashingBusy) rather than grown.
 */
const hashing = pLimit(2);
const MAX_WAITING = 16;

/** Hashing is refused rather than queued: too many are waiting already. */
export class PasswordHashingBusy extends Error {
  override readonly name = 'PasswordHashingBusy';
}

function scryptAsync(
  password: string,
  salt: Buffer,
  keylen: number,
  params: { N: number; r: number; p: number } = SCRYPT,
): Promise<Buffer> {
  // Checked and queued in one synchronous step, so concurrent callers cannot all slip past the check.
  if (hashing.pendingCount >= MAX_WAITING) return Promise.reject(new PasswordHashingBusy());
  return hashing(
    () =>
      new Promise<Buffer>((resolve, reject) =>
        scrypt(password, salt, keylen, { N: params.N, r: params.r, p: params.p }, (err, key) =>
          err ? reject(err) : resolve(key),
        ),
      ),
  );
}

/** "scrypt$N$r$p$salt$key" (base64url), so the parameters can be raised later without breaking old hashes. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scryptAsync(password, salt, SCRYPT.keylen);
  return ['scrypt', SCRYPT.N, SCRYPT.r, SCRYPT.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  );
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, saltText, keyText] = stored.split('$');
  if (scheme !== 'scrypt' || !saltText || !keyText) return false;
  const expected = Buffer.from(keyText, 'base64url');
  const key = await scryptAsync(password, Buffer.from(saltText, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}

export const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');

/** Enrolment codes are typed by a chair on a tablet: unambiguous letters and digits, grouped by fours. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTVWXYZ23456789';
export function newEnrolmentCode(): string {
  const bytes = randomBytes(12);
  const chars = Array.from(bytes, (b) => CODE_ALPHABET[b % CODE_ALPHABET.length]).join('');
  return chars.match(/.{4}/g)?.join('-') ?? chars;
}
/** Case, spaces and hyphens do not matter when a code is typed in. */
export const normaliseCode = (code: string): string => code.toUpperCase().replace(/[\s-]/g, '');

/** Lower case, like every id the shared schema accepts (a tablet that sends no id of its own gets one). */
export const newDeviceId = (): string => `dev_${randomBytes(12).toString('hex')}`;
