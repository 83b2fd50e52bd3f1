/**
 * Sealing a meeting's record to the council (issue 16): once a meeting closes, the events the records
 * service has not yet acknowledged leave the tablet only in a form that the tablet itself cannot read.
 * Each sealed batch is a JWE (RFC 7516, flattened JSON): a fresh AES-256-GCM content key, wrapped with the
 * service's RSA-OAEP-256 public key, whose id (`kid`, the key's RFC 7638 thumbprint) travels in the protected
 * header so a service that has rotated its keys still knows which private key opens it. The meeting, the
 * device and the event numbers are bound in as additional authenticated data: a sealed batch cannot be
 * passed off as another meeting's, another device's, or other events of the same meeting.
 */
import {
  base64url,
  calculateJwkThumbprint,
  decodeProtectedHeader,
  FlattenedEncrypt,
  type FlattenedJWE,
  flattenedDecrypt,
  importJWK,
  type JWK,
} from 'jose';

export const SEAL_ALG = 'RSA-OAEP-256';
export const SEAL_ENC = 'A256GCM';

/** The records service's public key as a tablet holds it (given at enrolment). */
export interface ServicePublicKey {
  keyId: string;
  jwk: JWK;
}

/** What the outbox keeps and sends for a closed meeting: nothing in it can be read without the private key. */
export interface SealedBatch {
  meetingId: string;
  deviceId: string;
  firstSeq: number;
  lastSeq: number;
  count: number;
  jwe: FlattenedJWE;
}

/** Why a sealed batch could not be opened; the service answers each with its own code. */
export class SealError extends Error {
  constructor(
    readonly reason: 'unknown-key' | 'not-openable' | 'not-matching',
    message: string,
  ) {
    super(message);
    this.name = 'SealError';
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The facts a batch is bound to, in one fixed form (what is authenticated, not encrypted). */
const boundTo = (b: Pick<SealedBatch, 'meetingId' | 'deviceId' | 'firstSeq' | 'lastSeq' | 'count'>) =>
  encoder.encode(
    JSON.stringify(['consent-kiosk/sealed/1', b.meetingId, b.deviceId, b.firstSeq, b.lastSeq, b.count]),
  );

/** The key id of a public key: its RFC 7638 thumbprint (SHA-256, base64url). */
export const keyIdOf = (jwk: JWK): Promise<string> => calculateJwkThumbprint(jwk, 'sha256');

/** A key id as people compare it by eye: the first 20 characters in groups of four. */
export const fingerprintOf = (keyId: string): string => (keyId.slice(0, 20).match(/.{1,4}/g) ?? []).join(' ');

interface Sealable {
  meetingId: string;
  deviceId: string;
  seq: number;
}

/**
 * Seals events of ONE meeting, written by one device, in seq order with no gap. The key is checked against
 * its id first, so a tablet given a key that does not match its id seals nothing.
 */
export async function sealEvents<E extends Sealable>(
  events: readonly E[],
  key: ServicePublicKey,
): Promise<SealedBatch> {
  const first = events[0];
  const last = events.at(-1);
  if (!first || !last) throw new Error('nothing to seal');
  for (const [i, e] of events.entries()) {
    if (e.meetingId !== first.meetingId || e.deviceId !== first.deviceId || e.seq !== first.seq + i)
      throw new Error('a sealed batch holds consecutive events of one meeting and one device');
  }
  if ((await keyIdOf(key.jwk)) !== key.keyId) throw new Error('the service key does not match its id');
  const publicKey = await importJWK(key.jwk, SEAL_ALG);
  const facts = {
    meetingId: first.meetingId,
    deviceId: first.deviceId,
    firstSeq: first.seq,
    lastSeq: last.seq,
    count: events.length,
  };
  const jwe = await new FlattenedEncrypt(encoder.encode(JSON.stringify(events)))
    .setProtectedHeader({ alg: SEAL_ALG, enc: SEAL_ENC, kid: key.keyId, cty: 'consent-kiosk-events+json' })
    .setAdditionalAuthenticatedData(boundTo(facts))
    .encrypt(publicKey);
  return { ...facts, jwe };
}

/** The key id a sealed batch names (from its protected header), or null when it names none. */
export function keyIdOfSealed(batch: SealedBatch): string | null {
  try {
    const header = decodeProtectedHeader(batch.jwe);
    return typeof header.kid === 'string' ? header.kid : null;
  } catch {
    return null;
  }
}

/**
 * Opens a sealed batch with the private key its id names. The events come back as the tablet wrote them
 * (still to be checked like any others); they must be the meeting's, the device's and the numbers the
 * batch says, or the batch is refused.
 */
export async function openSealed(
  batch: SealedBatch,
  privateKeyFor: (keyId: string) => CryptoKey | undefined,
): Promise<unknown[]> {
  const keyId = keyIdOfSealed(batch);
  const key = keyId === null ? undefined : privateKeyFor(keyId);
  if (!key) throw new SealError('unknown-key', 'The batch is sealed to a key this service does not hold.');
  let plaintext: Uint8Array;
  try {
    // Authenticated against the facts the batch states, never against an `aad` it carries itself.
    const opened = await flattenedDecrypt({ ...batch.jwe, aad: base64url.encode(boundTo(batch)) }, key, {
      keyManagementAlgorithms: [SEAL_ALG],
      contentEncryptionAlgorithms: [SEAL_ENC],
    });
    plaintext = opened.plaintext;
  } catch {
    throw new SealError(
      'not-openable',
      'The sealed batch cannot be opened: it was altered or is not for this service.',
    );
  }
  let events: unknown;
  try {
    events = JSON.parse(decoder.decode(plaintext));
  } catch {
    throw new SealError('not-openable', 'The sealed batch does not hold events.');
  }
  if (!Array.isArray(events) || events.length !== batch.count)
    throw new SealError('not-matching', 'The sealed batch does not hold the events it says.');
  for (const [i, e] of events.entries()) {
    const ev = e as Partial<Sealable> | null;
    if (
      !ev ||
      ev.meetingId !== batch.meetingId ||
      ev.deviceId !== batch.deviceId ||
      ev.seq !== batch.firstSeq + i
    )
      throw new SealError('not-matching', 'The sealed batch does not hold the events it says.');
  }
  return events;
}
