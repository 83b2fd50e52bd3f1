/**
 * Step 5, project: what the admin's lists read, worked out from the machine after the batch and the
 * batch's own events, never from the whole stored log, so a batch costs the same however much of its
 * meeting is held. The minute entry is not kept here: it is built from the log when it is read
 * (server/records.ts), which is always exact and costs nothing per batch.
 */
import { sql, type Transaction } from 'kysely';
import { type EventEnvelope, persistSnapshot, phaseOf, RECORDS_SERVICE_DEVICE_ID } from '../../src/domain';
import type { Database, UndertakingTable } from '../db/schema';
import type { Accepted } from './plan';

export interface MeetingRow {
  id: string;
  head_seq: number;
  head_hash: string;
  /** JSON text of the persisted snapshot. */
  snapshot: string;
  phase: string;
  title: string;
  kind: string;
  scheduled_at: string;
  /** Set by a meeting's first event only; null keeps what is held. */
  profile_id: string | null;
  /** Whether one of the batch's events ended the meeting (it stays ended). */
  is_closed: boolean;
  /** Set by a meeting's first event only; null keeps what is held. */
  first_at: string | null;
  last_at: string;
  /** What the admin lists show and filter on (migration 0007). */
  outcome: string;
  chair: string;
  scheduled_for: string | null;
  requested_at: string | null;
  /** When the batch decided the request (kept only if none was held). */
  decided_at: string | null;
  /** The batch created a meeting prepared on the records service (its first event is the service's). */
  prepared: boolean;
  /** The batch holds a tablet's custody.claimed: the tablet becomes the writer. */
  claimed: boolean;
}

/** An undertaking as projected: its signature is copied from the stored event by the statement. */
export type UndertakingRow = Omit<UndertakingTable, 'signature'>;

export interface Projection {
  meetings: MeetingRow[];
  undertakings: UndertakingRow[];
}

/** Events that only come once a review has decided: the event before the first of them decided it. */
const AFTER_DECISION = new Set([
  'meeting.started',
  'recording.started',
  'request.outcome-confirmed',
  'minute.confirmed',
  'meeting.closed',
]);

function decidedAt(events: readonly EventEnvelope[]): string {
  const from = Math.max(
    0,
    events.findIndex((e) => e.type === 'request.made'),
  );
  const after = events.findIndex((e, i) => i > from && AFTER_DECISION.has(e.type));
  return (events[after > 0 ? after - 1 : events.length - 1] as EventEnvelope).at;
}

/** The projections of the meetings a batch added to, from their snapshots and new events alone. */
export function project(accepted: readonly Accepted[]): Projection {
  const out: Projection = { meetings: [], undertakings: [] };
  for (const { head, fresh, snapshot } of accepted) {
    const events = fresh.map((f) => f.event);
    const first = events[0] as EventEnvelope;
    const last = events.at(-1) as EventEnvelope;
    const isNew = head.head_seq === 0;
    const ctx = snapshot.context;
    out.meetings.push({
      id: head.id,
      head_seq: last.seq,
      head_hash: last.hash,
      snapshot: JSON.stringify(persistSnapshot(snapshot)),
      phase: phaseOf(snapshot),
      // As the minute entry names the meeting: from the machine, which holds every correction made.
      title: ctx.meeting?.title ?? '',
      kind: ctx.meeting?.kind ?? 'meeting',
      scheduled_at: ctx.meeting?.scheduledAt ?? '',
      profile_id: isNew ? (first.type === 'meeting.opened' ? first.payload.profileId : '') : null,
      // A meeting opened in error and discarded has ended too: its log is complete, and listed as discarded.
      is_closed: events.some((e) => e.type === 'meeting.closed' || e.type === 'meeting.discarded'),
      first_at: isNew ? first.at : null,
      last_at: last.at,
      outcome: ctx.outcome?.status ?? (ctx.request ? 'pending' : ''),
      chair: ctx.attendees.find((a) => a.role === 'chair')?.name ?? '',
      scheduled_for: ctx.meeting?.scheduledAt ?? (isNew ? first.at : null),
      requested_at: ctx.request?.receivedAt ?? null,
      decided_at: ctx.outcome ? decidedAt(events) : null,
      prepared: isNew && first.deviceId === RECORDS_SERVICE_DEVICE_ID,
      // A tablet took a prepared meeting over: from this batch on it is the writer (issue 19).
      claimed: events.some((e) => e.type === 'custody.claimed'),
    });
    for (const event of events) {
      if (event.type !== 'undertaking.signed') continue;
      // The signer as the attendee list names them after the batch (with any correction of their name).
      const signer = ctx.attendees.find((a) => a.id === event.payload.signerId);
      out.undertakings.push({
        event_id: event.id,
        meeting_id: head.id,
        signer_id: event.payload.signerId,
        signer_name: signer?.name ?? '',
        signed_at: event.at,
        device_id: event.deviceId,
        text_version: event.payload.textVersion,
        text_sha256: event.payload.textSha256,
      });
    }
  }
  return out;
}

/**
 * Writes the projections in ONE statement (each step of the sync path is a round trip to the database, and
 * under load each one waits its turn): the meetings' rows, the undertakings signed (their signatures copied
 * from the events stored by the write step, not parsed again) and the device's last-seen time.
 */
export async function writeProjection(
  trx: Transaction<Database>,
  deviceId: string,
  projection: Projection,
  updatedAt: Date,
  seenAt: Date,
): Promise<void> {
  const m = <K extends keyof MeetingRow>(k: K) => projection.meetings.map((r) => r[k]);
  const u = <K extends keyof UndertakingRow>(k: K) => projection.undertakings.map((r) => r[k]);
  const signed =
    projection.undertakings.length === 0
      ? sql``
      : sql`, signed as (
      insert into undertakings
        (event_id, meeting_id, signer_id, signer_name, signed_at, device_id, text_version, text_sha256, signature)
      select u.*, e.envelope->'payload'->'signature'
      from unnest(
        ${u('event_id')}::text[], ${u('meeting_id')}::text[], ${u('signer_id')}::text[], ${u('signer_name')}::text[],
        ${u('signed_at')}::text[], ${u('device_id')}::text[], ${u('text_version')}::text[], ${u('text_sha256')}::text[]
      ) as u(event_id, meeting_id, signer_id, signer_name, signed_at, device_id, text_version, text_sha256)
      join events as e on e.id = u.event_id
      on conflict (event_id) do nothing)`;
  await sql`
    with seen as (update devices set last_seen_at = ${seenAt} where id = ${deviceId})${signed}
    update meetings as m set
      head_seq = v.head_seq, head_hash = v.head_hash, snapshot = v.snapshot, phase = v.phase,
      title = v.title, kind = v.kind, scheduled_at = v.scheduled_at,
      profile_id = coalesce(v.profile_id, m.profile_id), is_closed = m.is_closed or v.is_closed,
      first_at = coalesce(v.first_at, m.first_at), last_at = v.last_at, updated_at = ${updatedAt},
      writer_device_id = case when v.claimed then ${deviceId} else coalesce(m.writer_device_id, ${deviceId}) end,
      is_prepared = m.is_prepared or v.prepared,
      claimed_by_device_id = case when v.claimed then ${deviceId} else m.claimed_by_device_id end,
      claimed_at = case when v.claimed then ${updatedAt} else m.claimed_at end,
      outcome = v.outcome, chair = v.chair, scheduled_for = coalesce(v.scheduled_for, m.scheduled_for),
      requested_at = v.requested_at, decided_at = coalesce(m.decided_at, v.decided_at)
    from unnest(
      ${m('id')}::text[], ${m('head_seq')}::int[], ${m('head_hash')}::text[], ${m('snapshot')}::jsonb[],
      ${m('phase')}::text[], ${m('title')}::text[], ${m('kind')}::text[], ${m('scheduled_at')}::text[],
      ${m('profile_id')}::text[], ${m('is_closed')}::boolean[], ${m('first_at')}::text[], ${m('last_at')}::text[],
      ${m('outcome')}::text[], ${m('chair')}::text[], ${m('scheduled_for')}::timestamptz[],
      ${m('requested_at')}::timestamptz[], ${m('decided_at')}::timestamptz[], ${m('prepared')}::boolean[],
      ${m('claimed')}::boolean[]
    ) as v(id, head_seq, head_hash, snapshot, phase, title, kind, scheduled_at, profile_id, is_closed, first_at, last_at,
      outcome, chair, scheduled_for, requested_at, decided_at, prepared, claimed)
    where m.id = v.id`.execute(trx);
}
