/** Meetings as the admin area reads them: queries only. Minute entries are read through minuteOf alone. */
import { type Kysely, type Selectable, sql } from 'kysely';
import type {
  CustodyTransferTable,
  Database,
  MeetingTable,
  SyncGapTable,
  UndertakingTable,
} from '../../db/schema';
import { type HeldMinute, minuteOf } from '../../records';

export interface MeetingRow {
  id: string;
  title: string;
  scheduled_at: string;
  phase: string;
  is_closed: boolean;
  head_seq: number;
  last_at: string | null;
  updated_at: Date | null;
  gaps: number;
}

/**
 * Gaps still open, worked out from what is held: a report by the meeting's writer (or a device whose events
 * it holds) of an event number beyond events the service does not hold yet. Filled, it is no gap.
 */
const openGap = sql`g.received_seq - 1 > m.head_seq and (g.device_id = m.writer_device_id
  or exists (select 1 from events e where e.meeting_id = g.meeting_id and e.device_id = g.device_id))`;

export async function listMeetings(db: Kysely<Database>): Promise<MeetingRow[]> {
  const result = await sql<MeetingRow>`
    select m.id, m.title, m.scheduled_at, m.phase, m.is_closed, m.head_seq, m.last_at, m.updated_at,
      (select count(*)::int from sync_gaps g where g.meeting_id = m.id and ${openGap}) as gaps
    from meetings m where m.head_seq > 0
    order by m.updated_at desc nulls last`.execute(db);
  return result.rows;
}

export interface HeldEvent {
  seq: number;
  type: string;
  at: string;
  device_id: string;
  hash: string;
  received_at: Date | string;
  sent_at: string | null;
}

export interface MeetingData {
  id: string;
  meeting: Selectable<MeetingTable>;
  gaps: Selectable<SyncGapTable>[];
  transfers: Selectable<CustodyTransferTable>[];
  /** Enrolled devices other than the writer: where the meeting could be handed over to. */
  candidates: { id: string; label: string }[];
  minute: HeldMinute | null;
  undertakings: Selectable<UndertakingTable>[];
  events: HeldEvent[];
  ranges: { device_id: string; first: number; last: number; n: number }[];
}

/** Everything the meeting page shows, or null when no event of the meeting is held. */
export async function loadMeeting(db: Kysely<Database>, id: string): Promise<MeetingData | null> {
  const meeting = await db.selectFrom('meetings').selectAll().where('id', '=', id).executeTakeFirst();
  if (!meeting || meeting.head_seq === 0) return null;
  const { rows: gaps } = await sql<Selectable<SyncGapTable>>`
    select g.* from sync_gaps g join meetings m on m.id = g.meeting_id
    where g.meeting_id = ${id} and ${openGap} order by g.reported_at`.execute(db);
  const transfers = await db
    .selectFrom('custody_transfers')
    .selectAll()
    .where('meeting_id', '=', id)
    .orderBy('id')
    .execute();
  const candidates = await db
    .selectFrom('devices')
    .select(['id', 'label'])
    .where('revoked_at', 'is', null)
    .where('id', '!=', meeting.writer_device_id ?? '')
    .orderBy('label')
    .execute();
  const minute = await minuteOf(db, id);
  const undertakings = await db
    .selectFrom('undertakings')
    .selectAll()
    .where('meeting_id', '=', id)
    .orderBy('signed_at')
    .execute();
  const events = await db
    .selectFrom('events')
    .select(['seq', 'type', 'at', 'device_id', 'hash', 'received_at', 'sent_at'])
    .where('meeting_id', '=', id)
    .orderBy('seq')
    .execute();
  const ranges = await sql<{ device_id: string; first: number; last: number; n: number }>`
    select device_id, min(seq)::int as first, max(seq)::int as last, count(*)::int as n
    from events where meeting_id = ${id} group by device_id order by min(seq)`.execute(db);
  return { id, meeting, gaps, transfers, candidates, minute, undertakings, events, ranges: ranges.rows };
}

/** The stored envelopes of a meeting's log, in order (empty when none is held). */
export async function envelopesOf(db: Kysely<Database>, id: string): Promise<Record<string, unknown>[]> {
  const rows = await db
    .selectFrom('events')
    .select('envelope')
    .where('meeting_id', '=', id)
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.envelope);
}
