/**
 * Resetting a forgotten chair's PIN without wiping records (issue 16): at enrolment the tablet and the
 * records service share a secret; an admin issues one-time reset codes from it (numbered, the service keeps
 * the count), and the tablet checks a code offline by trying the next numbers after the last one it took.
 * A code is HMAC-SHA-256(secret, device id and number), 40 bits, as eight unambiguous characters: used once,
 * it does not work again, and a code for one tablet does not work on another.
 */

/** Crockford's base32: no I, L, O or U, so a code read aloud or typed is not misread. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
/** How far past the last code taken the tablet looks (codes issued but never used are skipped over). */
export const RESET_WINDOW = 50;

const encoder = new TextEncoder();

async function hmac(secret: Uint8Array<ArrayBuffer>, message: string): Promise<Uint8Array> {
  const key = await globalThis.crypto.subtle.importKey(
    'raw',
    secret,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  return new Uint8Array(await globalThis.crypto.subtle.sign('HMAC', key, encoder.encode(message)));
}

/** The reset code number `counter` of a device, as "XXXX-XXXX". */
export async function resetCodeFor(
  secret: Uint8Array<ArrayBuffer>,
  deviceId: string,
  counter: number,
): Promise<string> {
  const mac = await hmac(secret, `consent-kiosk/pin-reset/1/${deviceId}/${counter}`);
  let bits = 0n;
  for (const byte of mac.slice(0, 5)) bits = (bits << 8n) | BigInt(byte);
  let code = '';
  for (let i = 0; i < 8; i++) {
    code = (ALPHABET[Number(bits & 31n)] as string) + code;
    bits >>= 5n;
  }
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** What a person types, as a code: case, spaces and hyphens do not matter; O is 0, I and L are 1. */
export function normaliseResetCode(typed: string): string | null {
  const plain = typed.toUpperCase().replace(/[\s-]/g, '').replace(/O/g, '0').replace(/[IL]/g, '1');
  if (!/^[0-9A-HJKMNP-TV-Z]{8}$/.test(plain)) return null;
  return `${plain.slice(0, 4)}-${plain.slice(4)}`;
}

/**
 * The number of the code typed, if it is one of the next RESET_WINDOW codes after `lastUsed` (0 when none
 * was used yet), else null. The tablet then stores that number as the last used.
 */
export async function matchResetCode(
  secret: Uint8Array<ArrayBuffer>,
  deviceId: string,
  typed: string,
  lastUsed: number,
): Promise<number | null> {
  const code = normaliseResetCode(typed);
  if (code === null) return null;
  let found: number | null = null;
  // Every number in the window is tried, whether or not one matched, so the time taken says nothing.
  for (let n = lastUsed + 1; n <= lastUsed + RESET_WINDOW; n++) {
    if ((await resetCodeFor(secret, deviceId, n)) === code && found === null) found = n;
  }
  return found;
}
