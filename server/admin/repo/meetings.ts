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
  kind: string;
  scheduled_at: string;
  phase: string;
  is_closed: boolean;
  head_seq: number;
  outcome: string;
  chair: string;
  writer_device_id: string | null;
  updated_at: Date | null;
  gaps: number;
  /** The row's place in the list's order, as a paging cursor ("<scheduled_for in UTC>_<id>"). */
  cursor: string;
}

/**
 * Gaps still open, worked out from what is held: a report by the meeting's writer (or a device whose events
 * it holds) of an event number beyond events the service does not hold yet. Filled, it is no gap.
 */
const openGap = sql`g.received_seq - 1 > m.head_seq and (g.device_id = m.writer_device_id
  or exists (select 1 from events e where e.meeting_id = g.meeting_id and e.device_id = g.device_id))`;
const hasOpenGap = sql`exists (select 1 from sync_gaps g where g.meeting_id = m.id and ${openGap})`;

export const SYNC_STATES = ['complete', 'open', 'missing', 'discarded'] as const;
export type SyncStateFilter = (typeof SYNC_STATES)[number];
export const OUTCOMES = ['none', 'pending', 'permitted', 'not-permitted', 'awaiting-authorisation'] as const;
export type OutcomeFilter = (typeof OUTCOMES)[number];

/** A place in the list: the meeting's date (UTC, microseconds) and id, which order it. */
export interface Cursor {
  at: string;
  id: string;
}

export interface MeetingFilters {
  q?: string;
  /** Dates (YYYY-MM-DD) of the meeting, in UK time, both included. */
  from?: string;
  to?: string;
  kind?: string;
  outcome?: OutcomeFilter;
  sync?: SyncStateFilter;
  /** The device that writes the meeting's record. */
  tablet?: string;
  after?: Cursor;
  before?: Cursor;
}

export interface MeetingPage {
  rows: MeetingRow[];
  /** Cursors of the pages either side, null where there is none. */
  older: Cursor | null;
  newer: Cursor | null;
}

export const PAGE_SIZE = 50;
/** Days in the council's time, whatever the server's. */
const ZONE = 'Europe/London';

const likePattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function conditions(f: MeetingFilters) {
  const where = [sql`m.head_seq > 0`];
  if (f.q) {
    const like = likePattern(f.q);
    where.push(sql`(m.title ilike ${like} or m.chair ilike ${like} or m.id = ${f.q.toLowerCase()})`);
  }
  if (f.from) where.push(sql`m.scheduled_for >= (${f.from}::date)::timestamp at time zone ${ZONE}`);
  if (f.to) where.push(sql`m.scheduled_for < (${f.to}::date + 1)::timestamp at time zone ${ZONE}`);
  if (f.kind) where.push(sql`m.kind = ${f.kind}`);
  if (f.outcome) where.push(sql`m.outcome = ${f.outcome === 'none' ? '' : f.outcome}`);
  if (f.tablet) where.push(sql`m.writer_device_id = ${f.tablet}`);
  // Few meetings have gaps: the list starts from the gaps (a semi-join into the meetings by id), rather than
  // testing every meeting for one.
  if (f.sync === 'missing') where.push(sql`m.id in (select g.meeting_id from sync_gaps g)`, hasOpenGap);
  if (f.sync === 'discarded') where.push(sql`m.phase = 'discarded' and not ${hasOpenGap}`);
  if (f.sync === 'open') where.push(sql`not m.is_closed and not ${hasOpenGap}`);
  if (f.sync === 'complete') where.push(sql`m.is_closed and m.phase <> 'discarded' and not ${hasOpenGap}`);
  return where;
}

/**
 * The query of one page of the meetings list, newest first, by keyset: `after` gives the page older than a
 * cursor, `before` the one newer than it (one row more than a page, to know whether there is another).
 * Each filter narrows through an index of (its column, date, id); a search through the trigram indexes of
 * titles and chairs (migration 0010_title_search). The bench explains it as it is run.
 */
export function meetingsPageQuery(filters: MeetingFilters, pageSize = PAGE_SIZE) {
  const where = conditions(filters);
  const backwards = !filters.after && filters.before !== undefined;
  const cursor = filters.after ?? filters.before;
  if (cursor)
    where.push(
      backwards
        ? sql`(m.scheduled_for, m.id) > (${cursor.at}::timestamptz, ${cursor.id})`
        : sql`(m.scheduled_for, m.id) < (${cursor.at}::timestamptz, ${cursor.id})`,
    );
  const order = backwards ? sql`m.scheduled_for asc, m.id asc` : sql`m.scheduled_for desc, m.id desc`;
  return sql<MeetingRow>`
    select m.id, m.title, m.kind, m.scheduled_at, m.phase, m.is_closed, m.head_seq, m.outcome, m.chair,
      m.writer_device_id, m.updated_at,
      (select count(*)::int from sync_gaps g where g.meeting_id = m.id and ${openGap}) as gaps,
      to_char(m.scheduled_for at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || 'Z_' || m.id as cursor
    from meetings m
    where ${sql.join(where, sql` and `)}
    order by ${order}
    limit ${pageSize + 1}`;
}

/** One page of the meetings list (meetingsPageQuery), with the cursors of the pages either side. */
export async function listMeetings(
  db: Kysely<Database>,
  filters: MeetingFilters = {},
  pageSize = PAGE_SIZE,
): Promise<MeetingPage> {
  const backwards = !filters.after && filters.before !== undefined;
  const cursor = filters.after ?? filters.before;
  const { rows } = await meetingsPageQuery(filters, pageSize).execute(db);
  const more = rows.length > pageSize;
  const page = rows.slice(0, pageSize);
  if (backwards) page.reverse();
  const first = page[0];
  const last = page.at(-1);
  return {
    rows: page,
    older: last && (backwards ? cursor !== undefined : more) ? parseCursor(last.cursor) : null,
    newer: first && (backwards ? more : cursor !== undefined) ? parseCursor(first.cursor) : null,
  };
}

const CURSOR = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)_([0-9a-f-]{36})$/;

/** A cursor as a link carries it; null when it is not one. */
export function parseCursor(text: string): Cursor | null {
  const match = CURSOR.exec(text);
  if (!match || Number.isNaN(Date.parse(match[1] as string))) return null;
  return { at: match[1] as string, id: match[2] as string };
}

export const cursorText = (c: Cursor): string => `${c.at}_${c.id}`;

/** The devices a meeting can be filtered by: every one enrolled, revoked or not. */
export async function tabletChoices(db: Kysely<Database>): Promise<{ id: string; label: string }[]> {
  return db.selectFrom('devices').select(['id', 'label']).orderBy('label').orderBy('id').execute();
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
