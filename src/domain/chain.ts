/**
 * The hash chain (DESIGN.md): hash = SHA-256 of the RFC 8785 canonical JSON of the envelope without
 * `hash`; prevHash of seq 1 is 64 zeros. Uses only Web Crypto (browsers and Node 20).
 */
import canonicalize from 'canonicalize';
import { v7 as uuidv7 } from 'uuid';
import { type DomainEvent, EVENT_VERSION, type EventEnvelope, GENESIS_HASH } from './events';
import type { UndertakingVersions } from './profiles';
import type { UndertakingTranslationWords } from './undertakingTranslations';

const encoder = new TextEncoder();

export async function sha256Hex(text: string): Promise<string> {
  const digest = await globalThis.crypto.subtle.digest('SHA-256', encoder.encode(text));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new TypeError('value cannot be expressed as canonical JSON');
  return text;
}

/**
 * The hash a profile's undertaking must carry: SHA-256 of the RFC 8785 canonical JSON of its three versions
 * (full, plain, Easy read), so that none of them can change without the hash the signer's event carries.
 */
export async function undertakingSha256(versions: UndertakingVersions): Promise<string> {
  return sha256Hex(canonicalJson(versions));
}

/** The hash an envelope should carry, computed from every field but `hash`. */
export async function hashOf(envelope: object & { hash?: string }): Promise<string> {
  const { hash: _ignored, ...unhashed } = envelope;
  return sha256Hex(canonicalJson(unhashed));
}

export interface NewEventMeta {
  meetingId: string;
  deviceId: string;
  /** ISO-8601 with offset. */
  at: string;
  /** Supplied in tests for determinism; otherwise a fresh UUIDv7. */
  id?: string;
}

/** Seals a domain event onto the end of a log whose last envelope is `previous` (null for the first). */
export async function sealEvent<E extends DomainEvent>(
  previous: Pick<EventEnvelope, 'seq' | 'hash'> | null,
  event: E,
  meta: NewEventMeta,
): Promise<EventEnvelope<E>> {
  const unhashed = {
    ...event,
    v: EVENT_VERSION,
    id: meta.id ?? uuidv7(),
    meetingId: meta.meetingId,
    deviceId: meta.deviceId,
    seq: previous ? previous.seq + 1 : 1,
    at: meta.at,
    prevHash: previous ? previous.hash : GENESIS_HASH,
  };
  return { ...unhashed, hash: await hashOf(unhashed) };
}

/** ISO-8601 local time with its offset, e.g. 2026-11-23T10:41:07+00:00: what the minutes show. */
export function isoWithOffset(date: Date): string {
  const pad = (n: number, w = 2) => String(Math.trunc(Math.abs(n))).padStart(w, '0');
  const offsetMin = -date.getTimezoneOffset();
  const sign = offsetMin >= 0 ? '+' : '-';
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}` +
    `${sign}${pad(offsetMin / 60)}:${pad(offsetMin % 60)}`
  );
}

/**
 * The hash of a translation of the undertaking (issue 18): SHA-256 of the RFC 8785 canonical JSON of its
 * words (language, plain, Easy read, questions). The signer's event carries it beside the English text's.
 */
export async function translationSha256(words: UndertakingTranslationWords): Promise<string> {
  const { language, plain, easyRead, questions } = words;
  return sha256Hex(canonicalJson({ language, plain, easyRead, questions }));
}
