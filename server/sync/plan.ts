/**
 * Step 3, plan: under the locks, each meeting's events of the batch against its head. Those already held
 * are acknowledged again (same content) or a conflict (other content); the rest must follow the head
 * without a gap and replay through the domain machine from the stored snapshot, so a batch replays only
 * its own events, however long the meeting already is.
 */
import type { Kysely } from 'kysely';
import {
  type MeetingSnapshot,
  type PersistedMeetingSnapshot,
  RECORDS_SERVICE_DEVICE_ID,
  replay,
  restoreSnapshot,
} from '../../src/domain';
import type { Database } from '../db/schema';
import { SyncError } from './errors';
import type { Head, HeldEvent } from './lock';
import { loadLog } from './log';
import type { Indexed } from './validate';

/** A meeting with new events: its head before the batch, the new events, the machine after them. */
export interface Accepted {
  head: Head;
  fresh: Indexed[];
  snapshot: MeetingSnapshot;
}

/**
 * Checks every meeting of the batch (in batch order, so the first bad one is the one named). The
 * meetings are replayed side by side (each replay waits on Web Crypto), and the error of the first bad
 * meeting in batch order is the one given, as if they had been taken in turn.
 */
export async function planBatch(
  db: Kysely<Database>,
  deviceId: string,
  groups: ReadonlyMap<string, Indexed[]>,
  heads: ReadonlyMap<string, Head>,
  held: ReadonlyMap<string, HeldEvent>,
): Promise<Accepted[]> {
  const results = await Promise.allSettled(
    [...groups].map(async ([meetingId, group]) => {
      const head = heads.get(meetingId);
      if (!head) throw new Error(`meeting ${meetingId} has no head`);
      return checkMeeting(db, deviceId, head, group, held);
    }),
  );
  const accepted: Accepted[] = [];
  for (const result of results) {
    if (result.status === 'rejected') throw result.reason;
    if (result.value) accepted.push(result.value);
  }
  return accepted;
}

/** One meeting against its head; null when nothing of it is new. */
async function checkMeeting(
  db: Kysely<Database>,
  deviceId: string,
  head: Head,
  group: Indexed[],
  held: ReadonlyMap<string, HeldEvent>,
): Promise<Accepted | null> {
  const isNew = head.head_seq === 0;
  const fresh: Indexed[] = [];
  let writer = head.writer_device_id;
  for (const item of group) {
    const stored = held.get(item.event.id);
    if (stored) {
      if (
        stored.hash !== item.event.hash ||
        stored.meeting_id !== item.event.meetingId ||
        stored.seq !== item.event.seq
      ) {
        throw new SyncError('conflict', 'Another event with this id is already held.', {
          index: item.index,
          eventId: item.event.id,
        });
      }
      continue;
    }
    // One writer per meeting: nothing of another device is looked at further, so it can change nothing
    // (no event, no gap). An event already held is acknowledged above: only its writer could send it.
    // A meeting prepared on the records service is taken over by a tablet's claim, the first of its new
    // events (issue 19): the claim's legality is then the machine's and the writer rule's (replay).
    if (!isNew && writer !== deviceId) {
      // A meeting prepared for one named tablet is claimed by that tablet alone, whichever way the claim comes.
      if (
        item.event.type === 'custody.claimed' &&
        head.prepared_for_device_id !== null &&
        head.prepared_for_device_id !== deviceId
      ) {
        throw new SyncError(
          'not-for-this-device',
          `This meeting was prepared for the tablet “${await labelOf(db, head.prepared_for_device_id)}”.`,
          { index: item.index, eventId: item.event.id },
        );
      }
      if (
        item.event.type === 'custody.claimed' &&
        writer === RECORDS_SERVICE_DEVICE_ID &&
        fresh.length === 0
      ) {
        writer = deviceId;
      } else if (item.event.type === 'custody.claimed' && head.is_prepared && head.claimed_by_device_id) {
        const label = await labelOf(db, head.claimed_by_device_id);
        throw new SyncError('meeting-claimed', `The tablet “${label}” has already taken this meeting over.`, {
          index: item.index,
          eventId: item.event.id,
          claimedBy: label,
        });
      } else {
        throw new SyncError(
          'not-custodian',
          head.is_prepared && !head.claimed_by_device_id
            ? 'This meeting was prepared on the records service: the tablet takes it over before writing to it.'
            : "This meeting's record is written by another device; an admin can hand it over to this one.",
          { index: item.index, eventId: item.event.id },
        );
      }
    }
    if (item.event.seq <= head.head_seq) {
      throw new SyncError(
        'conflict',
        `Event number ${item.event.seq} of this meeting is already held, with other content.`,
        { index: item.index, eventId: item.event.id },
      );
    }
    fresh.push(item);
  }
  if (fresh.length === 0) return null;

  const first = fresh[0] as Indexed;
  if (isNew && first.event.seq !== 1) {
    // A meeting unknown here is created by its first event only. Without it there is no writer to trust,
    // so nothing is recorded: the tablet is told where the log must start.
    throw new SyncError(
      'gap',
      `This meeting is not held yet: its events must be sent from event 1 (found ${first.event.seq}).`,
      { index: first.index, eventId: first.event.id, expectedSeq: 1 },
    );
  }
  if (isNew && first.event.type !== 'meeting.opened') {
    throw new SyncError('illegal-transition', 'A meeting starts with the event that opens it.', {
      index: first.index,
      eventId: first.event.id,
    });
  }
  if (first.event.seq > head.head_seq + 1) {
    throw new SyncError(
      'gap',
      `Events ${head.head_seq + 1} to ${first.event.seq - 1} of this meeting are missing.`,
      {
        index: first.index,
        eventId: first.event.id,
        expectedSeq: head.head_seq + 1,
        meetingId: head.id,
        receivedSeq: first.event.seq,
      },
    );
  }

  const from = isNew ? undefined : await startingPoint(db, head);
  // The hashes were recomputed by checkEnvelopes, before anything else.
  const result = await replay(
    fresh.map((f) => f.event),
    from ? { from, hashesVerified: true } : { hashesVerified: true },
  );
  if (!result.ok) {
    const bad = fresh[result.error.index] as Indexed;
    throw new SyncError(result.error.code, result.error.message, {
      index: bad.index,
      eventId: bad.event.id,
      ...(result.error.code === 'bad-seq' ? { expectedSeq: head.head_seq + result.error.index + 1 } : {}),
    });
  }
  return { head, fresh, snapshot: result.snapshot };
}

/** The label of a device, as the admin named it at enrolment (its id when it has none). */
export async function labelOf(db: Kysely<Database>, deviceId: string): Promise<string> {
  const row = await db.selectFrom('devices').select('label').where('id', '=', deviceId).executeTakeFirst();
  return row?.label || deviceId;
}

async function startingPoint(db: Kysely<Database>, head: Head) {
  const restored = head.snapshot ? restoreSnapshot(head.snapshot as PersistedMeetingSnapshot) : null;
  const at = head.last_at;
  const writers = { isPrepared: head.is_prepared, claimedBy: head.claimed_by_device_id };
  if (restored)
    return { snapshot: restored, seq: head.head_seq, hash: head.head_hash, meetingId: head.id, at, writers };
  // The stored snapshot is of an older machine: rebuild it from the log, which stays the source of truth
  // (once: the batch stores the new machine's snapshot). A log held from before times were checked may run
  // backwards; it was accepted then and stays readable.
  const log = await loadLog(db, head.id);
  const rebuilt = await replay(log, { allowBackwardsTime: true });
  if (!rebuilt.ok) throw new Error(`stored log of a meeting no longer replays: ${rebuilt.error.code}`);
  return {
    snapshot: rebuilt.snapshot,
    seq: head.head_seq,
    hash: head.head_hash,
    meetingId: head.id,
    at,
    writers,
  };
}
