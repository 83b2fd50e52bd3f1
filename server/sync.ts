/**
 * Accepting a batch of synced events, in ONE transaction: each event's envelope, device, hash, chain and
 * seq are checked, the meeting's new events are replayed through the domain machine from the stored head
 * (replay(newEvents, { from })), then inserted (ON CONFLICT on the id) with the projections.
 * The same event sent again is acknowledged again; the same id with other content is a conflict.
 * A batch costs the same few statements however many meetings and events it holds.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import {
  type EventEnvelope,
  envelopeSchema,
  findForbiddenText,
  GENESIS_HASH,
  hashOf,
  type MeetingSnapshot,
  type MinuteEntry,
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
import type { Database, UndertakingTable } from './db/schema';

export const STATUS_OF: Record<SyncErrorCode, 400 | 401 | 403 | 409 | 413 | 422 | 429> = {
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
  'bad-text': 422,
  'time-backwards': 422,
  'not-custodian': 403,
  'device-exists': 409,
  'rate-limited': 429,
  'bad-seal': 422,
  'unknown-key': 422,
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

/** An event id as a client may be told it back: only when it looks like one. */
const echoableId = (item: unknown): string | undefined => {
  const id = typeof item === 'object' && item !== null ? (item as { id?: unknown }).id : undefined;
  return typeof id === 'string' && /^[0-9A-Za-z-]{1,64}$/.test(id) ? id : undefined;
};

/**
 * Checks the envelopes before anything else, with no database: no control character or lone surrogate in
 * any text (PostgreSQL's jsonb would refuse a NUL on every retry), the shared schema, each hash recomputed
 * from the event's content (so a changed event is never acknowledged as one already held), and the
 * enrolled device as the writer.
 */
export async function checkEnvelopes(raw: readonly unknown[], deviceId: string): Promise<EventEnvelope[]> {
  const checked = raw.map((item, index): EventEnvelope | SyncError => {
    const eventId = echoableId(item);
    const named = { index, ...(eventId !== undefined ? { eventId } : {}) };
    const forbidden = findForbiddenText(item);
    if (forbidden) {
      return new SyncError(
        'bad-text',
        `${forbidden.join('.') || 'event'}: text may not hold control characters or broken characters.`,
        named,
      );
    }
    const parsed = envelopeSchema.safeParse(item);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return new SyncError(
        'bad-envelope',
        `${issue?.path.join('.') || 'event'}: ${issue?.message ?? 'invalid'}`,
        named,
      );
    }
    return parsed.data as EventEnvelope;
  });
  // Hashed side by side (Web Crypto); the first bad event in batch order is the one named.
  const hashes = await Promise.all(checked.map((e) => (e instanceof SyncError ? null : hashOf(e))));
  return checked.map((event, index) => {
    if (event instanceof SyncError) throw event;
    if (hashes[index] !== event.hash) {
      throw new SyncError(
        'bad-hash',
        'The event was altered after it was written (its hash does not match its content).',
        { index, eventId: event.id },
      );
    }
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

interface Head {
  id: string;
  head_seq: number;
  head_hash: string;
  snapshot: unknown;
  /** The time of the head event (`at`), which the next event may not be earlier than. */
  last_at: string | null;
  /** The one device that may append (null only while the meeting has no event). */
  writer_device_id: string | null;
}

interface HeldEvent {
  id: string;
  meeting_id: string;
  seq: number;
  hash: string;
}

/**
 * What a batch writes, worked out under the locks from its meetings' heads and its events already held:
 * the new events (each with its JSON), and the projections of every meeting that has new events.
 */
interface Plan {
  fresh: Indexed[];
  texts: string[];
  meetings: MeetingRow[];
  minutes: MinuteRow[];
  undertakings: UndertakingRow[];
}

export async function acceptBatch(
  database: OpenDatabase,
  deviceId: string,
  events: EventEnvelope[],
  now: () => Date = () => new Date(),
  /** The tablet's clock as it sent the batch, if it said. */
  sentAt: string | null = null,
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
  const meetingIds = [...groups.keys()].sort(byteOrder);
  const eventIds = [...seenIds.keys()];

  let plan: Plan;
  try {
    plan = await database.db.transaction().execute(async (trx) => {
      const heads = await lockHeads(trx, meetingIds);
      const held = await heldEvents(trx, eventIds);
      const checked = await prepare(trx, deviceId, groups, heads, held);
      if (checked.fresh.length > 0) await write(trx, deviceId, checked, now(), sentAt);
      await trx.updateTable('devices').set({ last_seen_at: now() }).where('id', '=', deviceId).execute();
      return checked;
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
    inserted: plan.fresh.length,
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

/**
 * Creates the batch's meetings not yet known, then locks every one of their heads (FOR UPDATE) until the
 * transaction ends. Both statements take the meetings in one fixed order (byte order of the ids), so two
 * batches touching the same meetings cannot deadlock.
 */
async function lockHeads(trx: Transaction<Database>, meetingIds: string[]): Promise<Map<string, Head>> {
  await sql`
    insert into meetings (id, head_seq, head_hash)
    select id, 0, ${GENESIS_HASH} from unnest(${meetingIds}::text[]) with ordinality as t(id, n) order by n
    on conflict (id) do nothing`.execute(trx);
  const { rows } = await sql<Head>`
    select id, head_seq, head_hash, snapshot, last_at, writer_device_id from meetings
    where id = any(${meetingIds}::text[]) order by id collate "C" for update`.execute(trx);
  return new Map(rows.map((r) => [r.id, r]));
}

/** Events of the batch already held (by id, in any meeting). */
async function heldEvents(db: Kysely<Database>, ids: string[]): Promise<Map<string, HeldEvent>> {
  const { rows } = await sql<HeldEvent>`
    select id, meeting_id, seq, hash from events where id = any(${ids}::text[])`.execute(db);
  return new Map(rows.map((r) => [r.id, r]));
}

/**
 * Checks every meeting of the batch against its head (in batch order, so the first bad one is the one
 * named), replays its new events through the domain machine, and builds what is to be written.
 */
async function prepare(
  db: Kysely<Database>,
  deviceId: string,
  groups: ReadonlyMap<string, Indexed[]>,
  heads: ReadonlyMap<string, Head>,
  held: ReadonlyMap<string, HeldEvent>,
): Promise<Plan> {
  // The meetings are replayed side by side (each replay waits on Web Crypto for every hash), and the
  // error of the first bad meeting in batch order is the one given, as if they had been taken in turn.
  const results = await Promise.allSettled(
    [...groups].map(async ([meetingId, group]) => {
      const head = heads.get(meetingId);
      if (!head) throw new Error(`meeting ${meetingId} has no head`);
      return checkMeeting(db, deviceId, head, group, held);
    }),
  );
  const accepted: { head: Head; fresh: Indexed[]; snapshot: MeetingSnapshot }[] = [];
  for (const result of results) {
    if (result.status === 'rejected') throw result.reason;
    if (result.value) accepted.push(result.value);
  }

  // The part of each log held before this batch (a meeting new to the service has none).
  const continuing = accepted.filter((a) => a.head.head_seq > 0).map((a) => a.head.id);
  const before = new Map<string, EventEnvelope[]>();
  if (continuing.length > 0) {
    const { rows } = await sql<{ meeting_id: string; envelope: EventEnvelope }>`
      select meeting_id, envelope from events
      where meeting_id = any(${continuing}::text[]) order by meeting_id, seq`.execute(db);
    for (const r of rows) {
      const log = before.get(r.meeting_id) ?? [];
      log.push(r.envelope);
      before.set(r.meeting_id, log);
    }
  }

  const fresh = accepted.flatMap((a) => a.fresh);
  const texts = fresh.map((f) => JSON.stringify(f.event));
  // Each log as a read of the table gives it, so the projections do not depend on where its events came from.
  const storedForm = new Map(fresh.map((f, i) => [f.event.id, asJsonb(texts[i] as string) as EventEnvelope]));
  const plan: Plan = { fresh, texts, meetings: [], minutes: [], undertakings: [] };
  for (const a of accepted) {
    const meetingId = a.head.id;
    const log = [
      ...(before.get(meetingId) ?? []),
      ...a.fresh.map((f) => storedForm.get(f.event.id) as EventEnvelope),
    ];
    const last = log.at(-1) as EventEnvelope;
    const entry = minuteEntry(log);
    plan.meetings.push({
      id: meetingId,
      head_seq: last.seq,
      head_hash: last.hash,
      snapshot: JSON.stringify(persistSnapshot(a.snapshot)),
      phase: phaseOf(a.snapshot),
      title: entry.meeting.title,
      kind: entry.meeting.kind,
      scheduled_at: entry.meeting.scheduledAt,
      profile_id: log[0]?.type === 'meeting.opened' ? log[0].payload.profileId : '',
      // A meeting opened in error and discarded has ended too: its log is complete, and listed as discarded.
      is_closed: log.some((e) => e.type === 'meeting.closed' || e.type === 'meeting.discarded'),
      first_at: log[0]?.at ?? null,
      last_at: last.at,
    });
    plan.minutes.push({
      meeting_id: meetingId,
      ...entryJson(entry, log),
      text: renderMinuteText(entry),
      head_hash: entry.headHash,
      event_count: entry.eventCount,
      is_complete: entry.isComplete,
    });
    for (const { event } of a.fresh) {
      if (event.type !== 'undertaking.signed') continue;
      const signer = entry.attendees.find((at) => at.id === event.payload.signerId);
      plan.undertakings.push({
        event_id: event.id,
        meeting_id: meetingId,
        signer_id: event.payload.signerId,
        signer_name: signer?.name ?? '',
        signed_at: event.at,
        device_id: event.deviceId,
        text_version: event.payload.textVersion,
        text_sha256: event.payload.textSha256,
      });
    }
  }
  return plan;
}

/**
 * One meeting's events of the batch against its head: those already held are acknowledged again (the
 * same content) or a conflict (other content); the rest must follow the head without a gap and replay
 * through the domain machine from it. Returns null when nothing is new.
 */
async function checkMeeting(
  db: Kysely<Database>,
  deviceId: string,
  head: Head,
  group: Indexed[],
  held: ReadonlyMap<string, HeldEvent>,
): Promise<{ head: Head; fresh: Indexed[]; snapshot: MeetingSnapshot } | null> {
  const isNew = head.head_seq === 0;
  const fresh: Indexed[] = [];
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
    if (!isNew && head.writer_device_id !== deviceId) {
      throw new SyncError(
        'not-custodian',
        "This meeting's record is written by another device; an admin can hand it over to this one.",
        { index: item.index, eventId: item.event.id },
      );
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

async function startingPoint(db: Kysely<Database>, head: Head) {
  const restored = head.snapshot ? restoreSnapshot(head.snapshot as PersistedMeetingSnapshot) : null;
  const at = head.last_at;
  if (restored)
    return { snapshot: restored, seq: head.head_seq, hash: head.head_hash, meetingId: head.id, at };
  // The stored snapshot is of an older machine: rebuild it from the log, which stays the source of truth.
  // (A log held from before times were checked may run backwards; it was accepted then and stays readable.)
  const log = await loadLog(db, head.id);
  const rebuilt = await replay(log, { allowBackwardsTime: true });
  if (!rebuilt.ok) throw new Error(`stored log of a meeting no longer replays: ${rebuilt.error.code}`);
  return { snapshot: rebuilt.snapshot, seq: head.head_seq, hash: head.head_hash, meetingId: head.id, at };
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

/**
 * Writes a plan: the new events (one INSERT for the batch), then the projections, rewritten in the
 * batch's transaction so they never disagree with the log (one statement per table).
 */
async function write(
  trx: Transaction<Database>,
  deviceId: string,
  plan: Plan,
  receivedAt: Date,
  sentAt: string | null,
): Promise<void> {
  const { fresh, texts } = plan;
  // The envelopes as one JSON array (one parameter, parsed once); each row's columns come from its element.
  const { rows: written } = await sql<{ id: string }>`
    insert into events (id, meeting_id, seq, device_id, type, at, prev_hash, hash, envelope, received_at, sent_at)
    select e->>'id', e->>'meetingId', (e->>'seq')::int, ${deviceId}, e->>'type', e->>'at', e->>'prevHash',
      e->>'hash', e, ${receivedAt}::timestamptz, ${sentAt}::text
    from jsonb_array_elements(${`[${texts.join(',')}]`}::jsonb) as e
    on conflict (id) do nothing
    returning id`.execute(trx);
  if (written.length !== fresh.length) {
    // Only when another batch stored one of these ids (under another meeting) since they were looked up.
    const ids = new Set(written.map((w) => w.id));
    const lost = fresh.find((f) => !ids.has(f.event.id)) as Indexed;
    throw new SyncError('conflict', 'Another event with this id is already held.', {
      index: lost.index,
      eventId: lost.event.id,
    });
  }

  const updatedAt = new Date();
  const m = <K extends keyof MeetingRow>(k: K) => plan.meetings.map((r) => r[k]);
  await sql`
    update meetings as m set
      head_seq = v.head_seq, head_hash = v.head_hash, snapshot = v.snapshot, phase = v.phase,
      title = v.title, kind = v.kind, scheduled_at = v.scheduled_at, profile_id = v.profile_id,
      is_closed = v.is_closed, first_at = v.first_at, last_at = v.last_at, updated_at = ${updatedAt},
      writer_device_id = coalesce(m.writer_device_id, ${deviceId})
    from unnest(
      ${m('id')}::text[], ${m('head_seq')}::int[], ${m('head_hash')}::text[], ${m('snapshot')}::jsonb[],
      ${m('phase')}::text[], ${m('title')}::text[], ${m('kind')}::text[], ${m('scheduled_at')}::text[],
      ${m('profile_id')}::text[], ${m('is_closed')}::boolean[], ${m('first_at')}::text[], ${m('last_at')}::text[]
    ) as v(id, head_seq, head_hash, snapshot, phase, title, kind, scheduled_at, profile_id, is_closed, first_at, last_at)
    where m.id = v.id`.execute(trx);
  if (plan.undertakings.length > 0) {
    const u = <K extends keyof UndertakingRow>(k: K) => plan.undertakings.map((r) => r[k]);
    await sql`
      insert into undertakings
        (event_id, meeting_id, signer_id, signer_name, signed_at, device_id, text_version, text_sha256, signature)
      select u.*, e.envelope->'payload'->'signature'
      from unnest(
        ${u('event_id')}::text[], ${u('meeting_id')}::text[], ${u('signer_id')}::text[], ${u('signer_name')}::text[],
        ${u('signed_at')}::text[], ${u('device_id')}::text[], ${u('text_version')}::text[], ${u('text_sha256')}::text[]
      ) as u(event_id, meeting_id, signer_id, signer_name, signed_at, device_id, text_version, text_sha256)
      join events as e on e.id = u.event_id -- the signature as stored with its event, not parsed again
      on conflict (event_id) do nothing`.execute(trx);
  }
  const e = <K extends keyof MinuteRow>(k: K) => plan.minutes.map((r) => r[k]);
  await sql`
    insert into minute_entries (meeting_id, entry, text, head_hash, event_count, is_complete, updated_at)
    select
      v.meeting_id,
      case when v.signature_of is null then v.entry else jsonb_set(
        v.entry, '{undertaking,signature}',
        (select e.envelope->'payload'->'signature' from events as e where e.id = v.signature_of)
      ) end,
      v.text, v.head_hash, v.event_count, v.is_complete, ${updatedAt}::timestamptz
    from unnest(
      ${e('meeting_id')}::text[], ${e('entry')}::jsonb[], ${e('signature_of')}::text[], ${e('text')}::text[],
      ${e('head_hash')}::text[], ${e('event_count')}::int[], ${e('is_complete')}::boolean[]
    ) as v(meeting_id, entry, signature_of, text, head_hash, event_count, is_complete)
    on conflict (meeting_id) do update set
      entry = excluded.entry, text = excluded.text, head_hash = excluded.head_hash,
      event_count = excluded.event_count, is_complete = excluded.is_complete, updated_at = excluded.updated_at`.execute(
    trx,
  );
}

interface MeetingRow {
  id: string;
  head_seq: number;
  head_hash: string;
  /** JSON text of the persisted snapshot. */
  snapshot: string;
  phase: string;
  title: string;
  kind: string;
  scheduled_at: string;
  profile_id: string;
  is_closed: boolean;
  first_at: string | null;
  last_at: string;
}

interface MinuteRow {
  meeting_id: string;
  /** JSON of the entry, without the signature when `signature_of` names the event it is copied from. */
  entry: string;
  signature_of: string | null;
  text: string;
  head_hash: string;
  event_count: number;
  is_complete: boolean;
}

/** An undertaking as the plan holds it: its signature is copied from the stored event by the statement. */
type UndertakingRow = Omit<UndertakingTable, 'signature'>;

/**
 * The minute entry as JSON. Its undertaking's signature (most of its size) is the signature of an event of
 * the log, the same object: it is left out and named by `signature_of`, so that the statement copies it from
 * the stored event instead of parsing it again. Anything else is sent whole.
 */
function entryJson(entry: MinuteEntry, log: readonly EventEnvelope[]) {
  const undertaking = entry.undertaking;
  for (let i = log.length - 1; undertaking && i >= 0; i--) {
    const event = log[i] as EventEnvelope;
    if (event.type === 'undertaking.signed' && event.payload.signature === undertaking.signature) {
      return {
        entry: JSON.stringify({ ...entry, undertaking: { ...undertaking, signature: null } }),
        signature_of: event.id,
      };
    }
  }
  return { entry: JSON.stringify(entry), signature_of: null };
}

const isAscii = (s: string) => {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
};

/** Byte order of the UTF-8 encodings (PostgreSQL's "C" collation); code unit order when both are ASCII. */
function byteOrder(a: string, b: string): number {
  if (isAscii(a) && isAscii(b)) return a < b ? -1 : a > b ? 1 : 0;
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/** jsonb's order of an object's keys: shorter (in UTF-8 bytes) first, then byte order. */
function jsonbKeyOrder(a: string, b: string): number {
  if (isAscii(a) && isAscii(b)) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  return Buffer.byteLength(a) - Buffer.byteLength(b) || byteOrder(a, b);
}

/**
 * A JSON text as a jsonb column gives it back: parsed, with every object's keys in jsonb's order (the
 * numbers and strings are the same, since the text came from JSON.stringify). Objects whose keys are in
 * that order already (most, e.g. every point of a signature) are kept as parsed.
 */
function asJsonb(text: string): unknown {
  const reorder = (value: unknown): unknown => {
    if (value === null || typeof value !== 'object') return value;
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) value[i] = reorder(value[i]);
      return value;
    }
    const object = value as Record<string, unknown>;
    const keys = Object.keys(object);
    for (let i = 1; i < keys.length; i++) {
      if (jsonbKeyOrder(keys[i - 1] as string, keys[i] as string) > 0) {
        return Object.fromEntries(keys.sort(jsonbKeyOrder).map((k) => [k, reorder(object[k])]));
      }
    }
    for (const k of keys) object[k] = reorder(object[k]);
    return object;
  };
  return reorder(JSON.parse(text));
}
