/**
 * Accepting a batch of synced events, in ONE transaction: each event's envelope, device, hash, chain and
 * seq are checked, the meeting's new events are replayed through the domain machine from the stored head
 * (replay(newEvents, { from })), then inserted (ON CONFLICT on the id) with the projections.
 * The same event sent again is acknowledged again; the same id with other content is a conflict.
 */
import { sql, type Transaction } from 'kysely';
import {
  type EventEnvelope,
  envelopeSchema,
  GENESIS_HASH,
  type MeetingSnapshot,
  minuteEntry,
  type PersistedMeetingSnapshot,
  persistSnapshot,
  phaseOf,
  renderMinuteText,
  replay,
  restoreSnapshot,
  type SyncErrorCode,
  type SyncResponse,
} from '../src/domain';
import type { OpenDatabase } from './db/connect';
import type { Database } from './db/schema';

export const STATUS_OF: Record<SyncErrorCode, 400 | 401 | 403 | 409 | 413 | 422> = {
  'bad-request': 400,
  'unsupported-version': 400,
  'payload-too-large': 413,
  unauthorised: 401,
  'device-revoked': 401,
  'wrong-device': 403,
  'bad-envelope': 400,
  conflict: 409,
  'bad-seq': 422,
  gap: 422,
  'bad-prev-hash': 422,
  'bad-hash': 422,
  'illegal-transition': 422,
  'wrong-meeting': 422,
  'invalid-code': 400,
};

export class SyncError extends Error {
  constructor(
    readonly code: SyncErrorCode,
    message: string,
    readonly detail: {
      index?: number;
      eventId?: string;
      expectedSeq?: number;
      meetingId?: string;
      receivedSeq?: number;
    } = {},
  ) {
    super(message);
    this.name = 'SyncError';
  }
  get status() {
    return STATUS_OF[this.code];
  }
  toBody() {
    const { index, eventId, expectedSeq } = this.detail;
    return {
      error: {
        code: this.code,
        message: this.message,
        ...(index !== undefined ? { index } : {}),
        ...(eventId !== undefined ? { eventId } : {}),
        ...(expectedSeq !== undefined ? { expectedSeq } : {}),
      },
    };
  }
}

interface Indexed {
  index: number;
  event: EventEnvelope;
}

/** Validates the envelopes (no database needed): schema and the enrolled device. */
export function checkEnvelopes(raw: readonly unknown[], deviceId: string): EventEnvelope[] {
  return raw.map((item, index) => {
    const parsed = envelopeSchema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const id = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
      throw new SyncError(
        'bad-envelope',
        `${issue?.path.join('.') || 'event'}: ${issue?.message ?? 'invalid'}`,
        {
          index,
          ...(typeof id === 'string' && id.length <= 64 ? { eventId: id } : {}),
        },
      );
    }
    const event = parsed.data as EventEnvelope;
    if (event.deviceId !== deviceId) {
      throw new SyncError('wrong-device', 'The event was written by another device.', {
        index,
        eventId: event.id,
      });
    }
    return event;
  });
}

export interface SyncOutcome {
  response: SyncResponse;
  inserted: number;
  meetings: number;
}

export async function acceptBatch(
  database: OpenDatabase,
  deviceId: string,
  events: EventEnvelope[],
  now: () => Date = () => new Date(),
): Promise<SyncOutcome> {
  // Group by meeting, keeping batch order of first appearance; within a meeting, order by seq.
  const groups = new Map<string, Indexed[]>();
  const seenIds = new Map<string, EventEnvelope>();
  for (const [index, event] of events.entries()) {
    const twin = seenIds.get(event.id);
    if (twin) {
      if (twin.hash !== event.hash) {
        throw new SyncError('conflict', 'The batch holds two different events with one id.', {
          index,
          eventId: event.id,
        });
      }
      continue; // the same event twice in one batch: acknowledged once per copy below
    }
    seenIds.set(event.id, event);
    const group = groups.get(event.meetingId) ?? [];
    group.push({ index, event });
    groups.set(event.meetingId, group);
  }
  for (const group of groups.values()) group.sort((a, b) => a.event.seq - b.event.seq);

  let inserted = 0;
  try {
    inserted = await database.db.transaction().execute(async (trx) => {
      let count = 0;
      // Lock the heads in a fixed order so that two batches touching the same meetings cannot deadlock.
      const meetingIds = [...groups.keys()].sort();
      for (const meetingId of meetingIds) {
        await trx
          .insertInto('meetings')
          .values({ id: meetingId, head_seq: 0, head_hash: GENESIS_HASH })
          .onConflict((oc) => oc.column('id').doNothing())
          .execute();
        await sql`select id from meetings where id = ${meetingId} for update`.execute(trx);
      }
      for (const [meetingId, group] of groups) {
        count += await acceptMeeting(trx, deviceId, meetingId, group);
      }
      await trx.updateTable('devices').set({ last_seen_at: now() }).where('id', '=', deviceId).execute();
      return count;
    });
  } catch (error) {
    if (error instanceof SyncError && error.code === 'gap' && error.detail.meetingId) {
      await recordGap(
        database,
        error.detail.meetingId,
        deviceId,
        error.detail.expectedSeq ?? 0,
        error.detail.receivedSeq ?? 0,
      );
    }
    throw error;
  }
  return {
    response: {
      acknowledged: events.map((e) => ({ id: e.id, meetingId: e.meetingId, seq: e.seq })),
      serverTime: now().toISOString(),
    },
    inserted,
    meetings: groups.size,
  };
}

/** Kept outside the rejected batch's transaction, so the admin sees that a tablet's log has a hole. */
async function recordGap(
  database: OpenDatabase,
  meetingId: string,
  deviceId: string,
  expected: number,
  received: number,
) {
  await database.db
    .insertInto('sync_gaps')
    .values({ meeting_id: meetingId, device_id: deviceId, expected_seq: expected, received_seq: received })
    .onConflict((oc) =>
      oc
        .columns(['meeting_id', 'device_id', 'expected_seq', 'received_seq'])
        .doUpdateSet({ times: sql`sync_gaps.times + 1`, reported_at: sql`now()` }),
    )
    .execute();
}

async function acceptMeeting(
  trx: Transaction<Database>,
  deviceId: string,
  meetingId: string,
  group: Indexed[],
): Promise<number> {
  const head = await trx
    .selectFrom('meetings')
    .selectAll()
    .where('id', '=', meetingId)
    .executeTakeFirstOrThrow();

  // Events already held (by id, in any meeting): the same content is acknowledged again, other content is a conflict.
  const ids = group.map((g) => g.event.id);
  const stored = await trx
    .selectFrom('events')
    .select(['id', 'meeting_id', 'seq', 'hash'])
    .where('id', 'in', ids)
    .execute();
  const storedById = new Map(stored.map((s) => [s.id, s]));
  const fresh: Indexed[] = [];
  for (const item of group) {
    const held = storedById.get(item.event.id);
    if (held) {
      if (
        held.hash !== item.event.hash ||
        held.meeting_id !== item.event.meetingId ||
        held.seq !== item.event.seq
      ) {
        throw new SyncError('conflict', 'Another event with this id is already held.', {
          index: item.index,
          eventId: item.event.id,
        });
      }
      continue;
    }
    if (item.event.seq <= head.head_seq) {
      throw new SyncError(
        'conflict',
        `Event number ${item.event.seq} of this meeting is already held, with other content.`,
        {
          index: item.index,
          eventId: item.event.id,
        },
      );
    }
    fresh.push(item);
  }
  if (fresh.length === 0) return 0;

  const first = fresh[0] as Indexed;
  if (first.event.seq > head.head_seq + 1) {
    throw new SyncError(
      'gap',
      `Events ${head.head_seq + 1} to ${first.event.seq - 1} of this meeting are missing.`,
      {
        index: first.index,
        eventId: first.event.id,
        expectedSeq: head.head_seq + 1,
        meetingId,
        receivedSeq: first.event.seq,
      },
    );
  }

  const from = head.head_seq === 0 ? undefined : await startingPoint(trx, head);
  const result = await replay(
    fresh.map((f) => f.event),
    from ? { from } : {},
  );
  if (!result.ok) {
    const bad = fresh[result.error.index] as Indexed;
    throw new SyncError(result.error.code, result.error.message, {
      index: bad.index,
      eventId: bad.event.id,
      ...(result.error.code === 'bad-seq' ? { expectedSeq: head.head_seq + result.error.index + 1 } : {}),
    });
  }

  for (const { event } of fresh) {
    await trx
      .insertInto('events')
      .values({
        id: event.id,
        meeting_id: event.meetingId,
        seq: event.seq,
        device_id: deviceId,
        type: event.type,
        at: event.at,
        prev_hash: event.prevHash,
        hash: event.hash,
        envelope: event as unknown as Record<string, unknown>,
      })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute();
  }
  await project(
    trx,
    meetingId,
    result.snapshot,
    fresh.map((f) => f.event),
  );
  return fresh.length;
}

async function startingPoint(
  trx: Transaction<Database>,
  head: { id: string; head_seq: number; head_hash: string; snapshot: unknown },
) {
  const restored = head.snapshot ? restoreSnapshot(head.snapshot as PersistedMeetingSnapshot) : null;
  if (restored) return { snapshot: restored, seq: head.head_seq, hash: head.head_hash, meetingId: head.id };
  // The stored snapshot is of an older machine: rebuild it from the log, which stays the source of truth.
  const log = await loadLog(trx, head.id);
  const rebuilt = await replay(log);
  if (!rebuilt.ok) throw new Error(`stored log of a meeting no longer replays: ${rebuilt.error.code}`);
  return { snapshot: rebuilt.snapshot, seq: head.head_seq, hash: head.head_hash, meetingId: head.id };
}

export async function loadLog(
  db: Pick<Transaction<Database>, 'selectFrom'>,
  meetingId: string,
): Promise<EventEnvelope[]> {
  const rows = await db
    .selectFrom('events')
    .select('envelope')
    .where('meeting_id', '=', meetingId)
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.envelope as unknown as EventEnvelope);
}

/** The projections, rewritten in the batch's transaction so they never disagree with the log. */
async function project(
  trx: Transaction<Database>,
  meetingId: string,
  snapshot: MeetingSnapshot,
  fresh: EventEnvelope[],
): Promise<void> {
  const log = await loadLog(trx, meetingId);
  const last = log.at(-1) as EventEnvelope;
  const entry = minuteEntry(log);
  const phase = phaseOf(snapshot);
  await trx
    .updateTable('meetings')
    .set({
      head_seq: last.seq,
      head_hash: last.hash,
      snapshot: persistSnapshot(snapshot),
      phase,
      title: entry.meeting.title,
      kind: entry.meeting.kind,
      scheduled_at: entry.meeting.scheduledAt,
      profile_id: log[0]?.type === 'meeting.opened' ? log[0].payload.profileId : '',
      is_closed: log.some((e) => e.type === 'meeting.closed'),
      first_at: log[0]?.at ?? null,
      last_at: last.at,
      updated_at: new Date(),
    })
    .where('id', '=', meetingId)
    .execute();
  for (const event of fresh) {
    if (event.type !== 'undertaking.signed') continue;
    const signer = entry.attendees.find((a) => a.id === event.payload.signerId);
    await trx
      .insertInto('undertakings')
      .values({
        event_id: event.id,
        meeting_id: meetingId,
        signer_id: event.payload.signerId,
        signer_name: signer?.name ?? '',
        signed_at: event.at,
        device_id: event.deviceId,
        text_version: event.payload.textVersion,
        text_sha256: event.payload.textSha256,
        signature: event.payload.signature,
      })
      .onConflict((oc) => oc.column('event_id').doNothing())
      .execute();
  }
  const values = {
    entry: entry as unknown,
    text: renderMinuteText(entry),
    head_hash: entry.headHash,
    event_count: entry.eventCount,
    is_complete: entry.isComplete,
    updated_at: new Date(),
  };
  await trx
    .insertInto('minute_entries')
    .values({ meeting_id: meetingId, ...values })
    .onConflict((oc) => oc.column('meeting_id').doUpdateSet(values))
    .execute();
}
