/**
 * One push: the next batch of the outbox to the records service, and what its answer leaves in IndexedDB.
 * The sync machine (syncMachine.ts) runs it as its `push` actor, one at a time, and decides what follows.
 *
 * Batches. A batch holds the events of ONE meeting, in log order, at most MAX_SYNC_BATCH of them and under
 * the service's body limit; the meeting is the one with the oldest waiting event that is not held back.
 * The service accepts or refuses a batch as a whole, so a batch of one meeting means a refusal is that
 * meeting's alone: it is held back (quarantined, with the service's code and message) and the next push
 * takes the next meeting.
 *
 * Each batch's Idempotency-Key (a UUID) is stored with its event ids BEFORE the request, and deleted in the
 * same transaction that marks the events synced, so a crash or a lost response between send and ack sends
 * the same events with the same key again.
 */
import { isoWithOffset } from '../domain/chain';
import type { EventEnvelope } from '../domain/events';
import { MAX_BODY_BYTES, MAX_SYNC_BATCH } from '../domain/protocol';
import { envelopeOf, type KioskDb, type SealedRow, type StoredEvent } from '../storage/db';
import type { MeetingStore } from '../storage/meetingStore';
import { purgeExpired } from '../storage/retention';
import { type Enrolment, markStopped, readEnrolment } from './enrolment';
import { batchSetting, logSetting, quarantineSetting } from './settings';
import { type SendResult, type SyncProblem, sendBatch } from './transport';

/**
 * How long a refused meeting is held back before the tablet asks the service again by itself. A refusal
 * usually needs an administrator (a hand-over, a repaired record), so a short timer would only repeat it;
 * the chair's "Try again" and a new enrolment ask again at once.
 */
export const QUARANTINE_RETRY_MS = 30 * 60_000;

/** A meeting whose events the records service refused: held back, with what the service said. */
export interface Quarantine {
  meetingId: string;
  /** The meeting's title on this tablet, so the chair knows which one it is. */
  title: string;
  problem: SyncProblem;
  /** When the tablet will ask the service again by itself (ISO-8601). */
  retryAt: string;
}

export type QuarantineMap = Record<string, Quarantine>;

export interface SyncLog {
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  /** The last problem that was not a single meeting's refusal (network, 5xx, 401). */
  lastError: SyncProblem | null;
  /** When the service last acknowledged an event, by meeting. */
  sentAt: Record<string, string>;
}

export const EMPTY_LOG: SyncLog = { lastAttemptAt: null, lastSuccessAt: null, lastError: null, sentAt: {} };

export interface PushDeps {
  db: KioskDb;
  store: MeetingStore;
  fetch: typeof fetch;
  now: () => Date;
}

export interface PushInput {
  deps: PushDeps;
  /** Meetings to release from quarantine before building the batch ("Try again"), or all (a new enrolment). */
  release: readonly string[] | 'all';
}

export type PushOutput =
  | { kind: 'sent'; meetingId: string; sent: number; at: string; quarantine: QuarantineMap }
  | { kind: 'nothing'; quarantine: QuarantineMap }
  | { kind: 'refused'; meetingId: string; quarantine: QuarantineMap }
  | { kind: 'transient'; problem: SyncProblem; retryAfterMs: number | null }
  | { kind: 'stopped'; reason: 'revoked' | 'unauthorised'; problem: SyncProblem }
  | { kind: 'not-enrolled' };

type Release = readonly string[] | 'all';

interface Batch {
  key: string;
  meetingId: string;
  events: EventEnvelope[];
  sealed?: SealedRow;
}

export async function readQuarantine(db: KioskDb): Promise<QuarantineMap> {
  return (await quarantineSetting.read(db)) ?? {};
}

export async function readLog(db: KioskDb): Promise<SyncLog> {
  return { ...EMPTY_LOG, ...(await logSetting.read(db)) };
}

async function writeLog(db: KioskDb, patch: (log: SyncLog) => Partial<SyncLog>): Promise<void> {
  await db.transaction('rw', db.settings, async () => {
    const log = await readLog(db);
    await logSetting.write(db, { ...log, ...patch(log) });
  });
}

function isHeld(quarantine: QuarantineMap, meetingId: string, nowMs: number): boolean {
  const entry = quarantine[meetingId];
  return entry !== undefined && Date.parse(entry.retryAt) > nowMs;
}

/** Drops the released meetings from the quarantine (in IndexedDB) and returns what is left. */
async function release(db: KioskDb, which: Release): Promise<QuarantineMap> {
  return db.transaction('rw', db.settings, async () => {
    const quarantine = await readQuarantine(db);
    const ids = which === 'all' ? Object.keys(quarantine) : which.filter((id) => id in quarantine);
    if (ids.length === 0) return quarantine;
    const rest = Object.fromEntries(Object.entries(quarantine).filter(([id]) => !ids.includes(id)));
    await quarantineSetting.write(db, rest);
    // A batch of a released meeting is built again (with a new key); the service acknowledges events it
    // already holds, so nothing is duplicated.
    const saved = await batchSetting.read(db);
    if (saved && ids.includes(saved.meetingId)) await batchSetting.remove(db);
    return rest;
  });
}

export async function pushOnce({ deps, release: toRelease }: PushInput): Promise<PushOutput> {
  const { db } = deps;
  const enrolment = await readEnrolment(db);
  if (!enrolment) return { kind: 'not-enrolled' };
  if (toRelease === 'all') await batchSetting.remove(db);
  const quarantine = await release(db, toRelease);
  if (enrolment.stoppedBy) {
    return {
      kind: 'stopped',
      reason: enrolment.stoppedBy === 'device-revoked' ? 'revoked' : 'unauthorised',
      problem: {
        code: enrolment.stoppedBy,
        message: '',
        at: enrolment.stoppedAt ?? enrolment.enrolledAt,
        status: 401,
      },
    };
  }

  const batch = await nextBatch(db, quarantine, deps.now().getTime());
  if (!batch) return { kind: 'nothing', quarantine };

  const at = isoWithOffset(deps.now());
  const result = await sendBatch(
    { fetch: deps.fetch, now: deps.now, iso: isoWithOffset },
    enrolment,
    batch.key,
    batch.events,
    batch.sealed ? [batch.sealed] : [],
  );
  return settle(deps, enrolment, batch, result, at);
}

async function settle(
  deps: PushDeps,
  enrolment: Enrolment,
  batch: Batch,
  result: SendResult,
  at: string,
): Promise<PushOutput> {
  const { db, store } = deps;
  switch (result.kind) {
    case 'accepted': {
      if (batch.sealed) return settleSealed(deps, batch, batch.sealed, result.acks ?? [], at);
      const batchIds = new Set(batch.events.map((e) => e.id));
      const acknowledged = result.acknowledged.filter((id) => batchIds.has(id));
      const syncedAt = isoWithOffset(deps.now());
      // The ack, the end of the batch's key and the end of any hold on the meeting are one transaction.
      const quarantine = await db.transaction('rw', [db.outbox, db.events, db.settings], async () => {
        await store.markSynced(acknowledged, syncedAt);
        await batchSetting.remove(db);
        const held = await readQuarantine(db);
        if (!(batch.meetingId in held) || acknowledged.length === 0) return held;
        const { [batch.meetingId]: _accepted, ...rest } = held;
        await quarantineSetting.write(db, rest);
        return rest;
      });
      if (acknowledged.length === 0) {
        // The service answered 200 but took none of the batch: do not loop on it.
        await writeLog(db, () => ({ lastAttemptAt: at }));
        return { kind: 'nothing', quarantine };
      }
      await writeLog(db, (log) => ({
        lastAttemptAt: at,
        lastSuccessAt: syncedAt,
        lastError: null,
        sentAt: { ...log.sentAt, [batch.meetingId]: syncedAt },
      }));
      return {
        kind: 'sent',
        meetingId: batch.meetingId,
        sent: acknowledged.length,
        at: syncedAt,
        quarantine,
      };
    }
    case 'refused': {
      const title = (await db.meetings.get(batch.meetingId))?.title ?? '';
      const entry: Quarantine = {
        meetingId: batch.meetingId,
        title,
        problem: result.problem,
        retryAt: isoWithOffset(new Date(deps.now().getTime() + QUARANTINE_RETRY_MS)),
      };
      const quarantine = await db.transaction('rw', db.settings, async () => {
        const next = { ...(await readQuarantine(db)), [batch.meetingId]: entry };
        await quarantineSetting.write(db, next);
        await batchSetting.remove(db);
        return next;
      });
      await writeLog(db, () => ({ lastAttemptAt: at }));
      return { kind: 'refused', meetingId: batch.meetingId, quarantine };
    }
    case 'transient':
      await writeLog(db, () => ({ lastAttemptAt: at, lastError: result.problem }));
      return { kind: 'transient', problem: result.problem, retryAfterMs: result.retryAfterMs };
    case 'revoked':
    case 'unauthorised':
      await markStopped(
        db,
        result.kind === 'revoked' ? 'device-revoked' : 'unauthorised',
        at,
        enrolment.deviceToken,
      );
      await writeLog(db, () => ({ lastAttemptAt: at, lastError: result.problem }));
      // Revoked (issue 16): a tablet the council no longer trusts keeps no readable closed meeting; what
      // is sealed stays for a re-enrolled tablet to send.
      if (result.kind === 'revoked') await purgeExpired(db, deps.now(), { allClosed: true });
      return { kind: 'stopped', reason: result.kind, problem: result.problem };
  }
}

/**
 * A sealed batch is acknowledged when the service acknowledged every event number it holds: then the
 * batch is marked, and its events' outbox rows go, in one transaction.
 */
async function settleSealed(
  deps: PushDeps,
  batch: Batch,
  sealed: SealedRow,
  acks: readonly { id: string; meetingId: string; seq: number }[],
  at: string,
): Promise<PushOutput> {
  const { db, store } = deps;
  const inBatch = acks.filter(
    (a) => a.meetingId === sealed.meetingId && a.seq >= sealed.firstSeq && a.seq <= sealed.lastSeq,
  );
  const isWhole = new Set(inBatch.map((a) => a.seq)).size === sealed.count;
  const syncedAt = isoWithOffset(deps.now());
  const quarantine = await db.transaction('rw', [db.outbox, db.events, db.settings, db.sealed], async () => {
    await batchSetting.remove(db);
    const held = await readQuarantine(db);
    if (!isWhole) return held;
    await store.markSynced(
      inBatch.map((a) => a.id),
      syncedAt,
    );
    await db.sealed.update([sealed.meetingId, sealed.firstSeq], { ackedAt: syncedAt });
    if (!(batch.meetingId in held)) return held;
    const { [batch.meetingId]: _accepted, ...rest } = held;
    await quarantineSetting.write(db, rest);
    return rest;
  });
  if (!isWhole) {
    await writeLog(db, () => ({ lastAttemptAt: at }));
    return { kind: 'nothing', quarantine };
  }
  await writeLog(db, (log) => ({
    lastAttemptAt: at,
    lastSuccessAt: syncedAt,
    lastError: null,
    sentAt: { ...log.sentAt, [batch.meetingId]: syncedAt },
  }));
  return { kind: 'sent', meetingId: batch.meetingId, sent: sealed.count, at: syncedAt, quarantine };
}

/** The oldest sealed batch not yet acknowledged whose meeting is not held back (closed meetings go first). */
async function nextSealed(db: KioskDb, quarantine: QuarantineMap, nowMs: number): Promise<Batch | null> {
  const saved = await batchSetting.read(db);
  if (saved?.sealed) {
    const row = await db.sealed.get(saved.sealed);
    if (row && row.ackedAt === null && !isHeld(quarantine, row.meetingId, nowMs)) {
      return { key: saved.idempotencyKey, meetingId: row.meetingId, events: [], sealed: row };
    }
    await batchSetting.remove(db);
  }
  const row = await db.sealed
    .filter((s) => s.ackedAt === null && !isHeld(quarantine, s.meetingId, nowMs))
    .first();
  if (!row) return null;
  const key = globalThis.crypto.randomUUID();
  await batchSetting.write(db, {
    idempotencyKey: key,
    meetingId: row.meetingId,
    eventIds: [],
    sealed: [row.meetingId, row.firstSeq],
  });
  return { key, meetingId: row.meetingId, events: [], sealed: row };
}

/** The batch waiting for an ack (same events, same key), or a new one: the oldest meeting not held back. */
async function nextBatch(db: KioskDb, quarantine: QuarantineMap, nowMs: number): Promise<Batch | null> {
  const sealedBatch = await nextSealed(db, quarantine, nowMs);
  if (sealedBatch) return sealedBatch;
  // A meeting with sealed batches waiting is sent only sealed (those held back wait their turn).
  const sendsSealed = new Set(
    (await db.sealed.filter((s) => s.ackedAt === null).toArray()).map((s) => s.meetingId),
  );
  const saved = await batchSetting.read(db);
  if (saved && !saved.sealed && !sendsSealed.has(saved.meetingId)) {
    if (typeof saved.meetingId !== 'string' || !isHeld(quarantine, saved.meetingId, nowMs)) {
      const [rows, stored] = await db.transaction('r', [db.outbox, db.events], () =>
        Promise.all([
          db.outbox.where('eventId').anyOf(saved.eventIds).count(),
          db.events.where('id').anyOf(saved.eventIds).toArray(),
        ]),
      );
      if (rows === saved.eventIds.length && stored.length === saved.eventIds.length) {
        const byId = new Map(stored.map((e) => [e.id, envelopeOf(e)]));
        const events = saved.eventIds.map((id) => byId.get(id)).filter((e) => e !== undefined);
        const meetingId = saved.meetingId ?? events[0]?.meetingId;
        if (meetingId !== undefined) return { key: saved.idempotencyKey, meetingId, events };
      }
    }
    // Acknowledged already (or partly), or its meeting is held back: the key has done its work.
    await batchSetting.remove(db);
  }

  const events = await db.transaction('r', [db.outbox, db.events], async () => {
    const first = await db.outbox
      .orderBy('id')
      .filter((row) => !isHeld(quarantine, row.meetingId, nowMs) && !sendsSealed.has(row.meetingId))
      .first();
    if (!first) return [];
    const rows = await db.outbox.where('meetingId').equals(first.meetingId).sortBy('seq');
    const stored = await db.events.bulkGet(
      rows.slice(0, MAX_SYNC_BATCH).map((r): [string, number] => [r.meetingId, r.seq]),
    );
    return stored.filter((e): e is StoredEvent => e !== undefined).map(envelopeOf);
  });
  const batch = fitBody(events);
  const meetingId = batch[0]?.meetingId;
  if (meetingId === undefined) return null;
  const key = globalThis.crypto.randomUUID();
  await batchSetting.write(db, { idempotencyKey: key, meetingId, eventIds: batch.map((e) => e.id) });
  return { key, meetingId, events: batch };
}

/** Trims a batch from the end until its body fits the service's limit (signatures make events large). */
function fitBody(events: EventEnvelope[]): EventEnvelope[] {
  const encoder = new TextEncoder();
  const sizeOf = (e: EventEnvelope) => encoder.encode(JSON.stringify(e)).length + 1;
  const budget = MAX_BODY_BYTES - 256;
  let total = 0;
  let count = 0;
  for (const event of events) {
    total += sizeOf(event);
    if (total > budget && count > 0) break;
    count += 1;
  }
  return events.slice(0, count);
}

/** The chair's view of a problem that is not one meeting's: kept with the log. */
export function storageProblem(error: unknown, now: Date): SyncProblem {
  return {
    code: 'tablet-storage',
    message: error instanceof Error ? error.message : String(error),
    at: isoWithOffset(now),
  };
}
