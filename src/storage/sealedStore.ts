/**
 * Sealed batches on the tablet (issue 16). When a meeting closes (or is discarded), every event of it the
 * records service has not acknowledged is sealed to the service's public key and written in the SAME
 * transaction as the closing event (meetingStore.ts), so a closed meeting always has its sealed form when
 * the tablet holds a key. A tablet enrolled later seals what is waiting (sealWaiting).
 *
 * Sealing is Web Crypto, which is not an IndexedDB request: it runs BEFORE the transaction (awaiting it
 * inside would let IndexedDB commit early), and the transaction then only writes.
 */
import { Dexie } from 'dexie';
import { isoWithOffset } from '../domain/chain';
import type { EventEnvelope } from '../domain/events';
import { MAX_BODY_BYTES, MAX_SYNC_BATCH } from '../domain/protocol';
import type { ServicePublicKey } from '../sealing/seal';
import { sealEvents } from '../sealing/seal';
import { readServiceKey } from '../sealing/serviceKey';
import { envelopeOf, type KioskDb, type SealedRow, type StoredEvent } from './db';

/** Plaintext per batch: its ciphertext (base64url, 4/3 larger) and the request around it fit the body limit. */
const PLAINTEXT_BUDGET = Math.floor(((MAX_BODY_BYTES - 16_384) * 3) / 4);

const encoder = new TextEncoder();

/**
 * Cuts a meeting's events into runs of consecutive events of at most MAX_SYNC_BATCH and the byte budget,
 * each written under one device id (a tablet enrolled again mid-meeting writes under its new id).
 */
export function chunksOf<E extends { seq: number; deviceId?: string }>(events: readonly E[]): E[][] {
  const chunks: E[][] = [];
  let current: E[] = [];
  let bytes = 0;
  for (const event of events) {
    const size = encoder.encode(JSON.stringify(event)).length + 1;
    const previous = current.at(-1);
    const isFull =
      current.length >= MAX_SYNC_BATCH ||
      (current.length > 0 && bytes + size > PLAINTEXT_BUDGET) ||
      (previous !== undefined && (event.seq !== previous.seq + 1 || event.deviceId !== previous.deviceId));
    if (isFull) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(event);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Seals a meeting's events, chunk by chunk, into rows ready to be written. */
export async function sealRows(
  events: readonly EventEnvelope[],
  key: ServicePublicKey,
  sealedAt: string,
): Promise<SealedRow[]> {
  const rows: SealedRow[] = [];
  for (const chunk of chunksOf(events)) {
    rows.push({ ...(await sealEvents(chunk, key)), sealedAt, ackedAt: null });
  }
  return rows;
}

/** A meeting's events the service has not acknowledged, in log order (read from its outbox rows). */
export async function unacknowledgedEvents(db: KioskDb, meetingId: string): Promise<EventEnvelope[]> {
  return db.transaction('r', [db.outbox, db.events], async () => {
    const rows = await db.outbox.where('meetingId').equals(meetingId).sortBy('seq');
    const stored = await db.events.bulkGet(rows.map((r): [string, number] => [r.meetingId, r.seq]));
    return stored.filter((e): e is StoredEvent => e !== undefined).map(envelopeOf);
  });
}

/**
 * The sealed rows for a meeting that `closing` closes: its unacknowledged events and `closing` itself.
 * Null when the tablet has no service key (the meeting stays readable until it is enrolled) or when the
 * sealing fails (the close is written anyway; sealWaiting tries again: a record is never held back by it).
 */
export async function sealOnClose(
  db: KioskDb,
  meetingId: string,
  closing: EventEnvelope,
  sealedAt: string,
): Promise<SealedRow[] | null> {
  try {
    const key = await readServiceKey(db);
    if (!key) return null;
    const waiting = (await unacknowledgedEvents(db, meetingId)).filter((e) => e.seq < closing.seq);
    return await sealRows([...waiting, closing], key, sealedAt);
  } catch {
    return null;
  }
}

/** The sealed rows of one meeting, in order. */
export function sealedOf(db: KioskDb, meetingId: string): Promise<SealedRow[]> {
  return db.sealed
    .where('[meetingId+firstSeq]')
    .between([meetingId, Dexie.minKey], [meetingId, Dexie.maxKey])
    .toArray();
}

/**
 * Seals every closed or discarded meeting that has events waiting and no sealed form yet (a tablet enrolled
 * after closing them, or a sealing that failed). Returns how many meetings were sealed.
 */
export async function sealWaiting(db: KioskDb, now: () => Date = () => new Date()): Promise<number> {
  const key = await readServiceKey(db);
  if (!key) return 0;
  const finished = await db.meetings.where('status').anyOf('closed', 'discarded').toArray();
  let count = 0;
  for (const meeting of finished) {
    if ((await db.sealed.where('meetingId').equals(meeting.id).count()) > 0) continue;
    const events = await unacknowledgedEvents(db, meeting.id);
    if (events.length === 0) continue;
    const rows = await sealRows(events, key, isoWithOffset(now()));
    const isWritten = await db.transaction('rw', [db.sealed, db.outbox], async () => {
      // Checked again inside: another tab may have sealed it meanwhile.
      if ((await db.sealed.where('meetingId').equals(meeting.id).count()) > 0) return false;
      await db.sealed.bulkAdd(rows);
      return true;
    });
    if (isWritten) count += 1;
  }
  return count;
}

/** Whether every waiting (outbox) event of the meeting is inside one of its sealed batches. */
export function isCoveredBySealed(
  outboxSeqs: readonly number[],
  sealed: readonly Pick<SealedRow, 'firstSeq' | 'lastSeq'>[],
): boolean {
  return outboxSeqs.every((seq) => sealed.some((b) => b.firstSeq <= seq && seq <= b.lastSeq));
}
