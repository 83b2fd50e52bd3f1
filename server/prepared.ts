/**
 * Meetings prepared on the records service (issue 19). The service writes a prepared meeting's events
 * under its own device (RECORDS_SERVICE_DEVICE_ID), sealed and checked exactly as a tablet's batch is
 * (checkEnvelopes, then the sync path: the same machine, rules and writer rule), until a tablet claims it
 * with `custody.claimed`; from then on the office cannot change it. Tablets list the meetings prepared for
 * them and claim one (server/api/prepared.ts).
 */
import type { Kysely, Transaction } from 'kysely';
import {
  type ClaimRequest,
  type ClaimResponse,
  type DomainEvent,
  type EventEnvelope,
  PREPARED_PROTOCOL_VERSION,
  type PreparedListResponse,
  type PreparedMeeting,
  RECORDS_SERVICE_DEVICE_ID,
  sealEvent,
} from '../src/domain';
import type { OpenDatabase } from './db/connect';
import type { Database } from './db/schema';
import { acceptBatch, checkEnvelopes, loadLog, SyncError } from './sync';
import { labelOf } from './sync/plan';

export interface PreparedRow {
  id: string;
  head_seq: number;
  head_hash: string;
  last_at: string | null;
  is_prepared: boolean;
  is_closed: boolean;
  prepared_for_device_id: string | null;
  claimed_by_device_id: string | null;
}

export async function preparedRow(db: Kysely<Database>, meetingId: string): Promise<PreparedRow | undefined> {
  return db
    .selectFrom('meetings')
    .select([
      'id',
      'head_seq',
      'head_hash',
      'last_at',
      'is_prepared',
      'is_closed',
      'prepared_for_device_id',
      'claimed_by_device_id',
    ])
    .where('id', '=', meetingId)
    .where('head_seq', '>', 0)
    .executeTakeFirst();
}

/** Why the office may not write to a meeting now, in plain words; null when it may. */
export async function officeRefusal(
  db: Kysely<Database>,
  row: PreparedRow | undefined,
): Promise<string | null> {
  if (!row?.is_prepared) return 'This meeting was not prepared here, so the office cannot change it.';
  if (row.claimed_by_device_id) {
    const label = await labelOf(db, row.claimed_by_device_id);
    return `The tablet “${label}” has taken this meeting over: the office can no longer change it.`;
  }
  if (row.is_closed) return 'This meeting is closed: nothing more can be added to it.';
  return null;
}

export interface Timed {
  event: DomainEvent;
  /** When it happened, as the officer entered it (isoWithOffset). */
  at: string;
}

export type AppendResult =
  | { ok: true; meetingId: string; events: EventEnvelope[] }
  | { ok: false; status: 404 | 409 | 422; code: string; message: string };

/**
 * Appends events written by the records service to a prepared meeting (meetingId), or creates one (its id
 * given, no events held yet). `within` runs in the same transaction (the meeting's own columns, the audit).
 */
export async function appendAsService(
  database: OpenDatabase,
  meetingId: string,
  events: readonly Timed[],
  now: () => Date,
  within?: (trx: Transaction<Database>) => Promise<void>,
): Promise<AppendResult> {
  const row = await preparedRow(database.db, meetingId);
  if (row) {
    const refusal = await officeRefusal(database.db, row);
    if (refusal) return { ok: false, status: 409, code: 'meeting-claimed', message: refusal };
  }
  const sealed: EventEnvelope[] = [];
  let previous: Pick<EventEnvelope, 'seq' | 'hash'> | null = row
    ? { seq: row.head_seq, hash: row.head_hash }
    : null;
  for (const { event, at } of events) {
    const envelope = await sealEvent(previous, event, {
      meetingId,
      deviceId: RECORDS_SERVICE_DEVICE_ID,
      at,
    });
    sealed.push(envelope);
    previous = envelope;
  }
  try {
    const checked = await checkEnvelopes(sealed, RECORDS_SERVICE_DEVICE_ID);
    await acceptBatch(database, RECORDS_SERVICE_DEVICE_ID, checked, now, null, within);
    return { ok: true, meetingId, events: checked };
  } catch (error) {
    if (!(error instanceof SyncError)) throw error;
    if (error.code === 'time-backwards')
      return {
        ok: false,
        status: 422,
        code: error.code,
        message: `That date is earlier than the last entry of this meeting’s record (${row?.last_at ?? 'its first'}): the record cannot run backwards. Enter things in the order they happened.`,
      };
    // Another officer wrote to the meeting meanwhile, or a tablet claimed it.
    if (error.code === 'conflict' || error.code === 'not-custodian')
      return {
        ok: false,
        status: 409,
        code: error.code,
        message:
          'The meeting changed while you were entering this (or a tablet took it over). Open it again.',
      };
    return { ok: false, status: 422, code: error.code, message: error.message };
  }
}

const DAY = 86_400_000;

/**
 * The meetings prepared for this device or for any tablet, not ended, from the start of yesterday (UTC) to
 * 7 days ahead, unclaimed or claimed by this device: each with its whole log.
 */
export async function listPrepared(
  db: Kysely<Database>,
  deviceId: string,
  now: Date,
): Promise<PreparedListResponse> {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const rows = await db
    .selectFrom('meetings as m')
    .leftJoin('devices as d', 'd.id', 'm.claimed_by_device_id')
    .select([
      'm.id',
      'm.title',
      'm.kind',
      'm.scheduled_at',
      'm.snapshot',
      'm.prepared_for_device_id',
      'm.claimed_by_device_id',
      'd.label as claimed_label',
    ])
    .where('m.is_prepared', '=', true)
    .where('m.is_closed', '=', false)
    .where('m.scheduled_for', '>=', new Date(today - DAY))
    .where('m.scheduled_for', '<', new Date(now.getTime() + 7 * DAY))
    .where((eb) =>
      eb.and([
        eb.or([eb('m.prepared_for_device_id', 'is', null), eb('m.prepared_for_device_id', '=', deviceId)]),
        eb.or([eb('m.claimed_by_device_id', 'is', null), eb('m.claimed_by_device_id', '=', deviceId)]),
      ]),
    )
    .orderBy('m.scheduled_for')
    .orderBy('m.id')
    .execute();
  const meetings: PreparedMeeting[] = [];
  for (const r of rows) {
    const place = (r.snapshot as { context?: { meeting?: { place?: string } } } | null)?.context?.meeting
      ?.place;
    meetings.push({
      meetingId: r.id,
      title: r.title,
      kind: r.kind as PreparedMeeting['kind'],
      startsAt: r.scheduled_at,
      ...(place ? { place } : {}),
      forDeviceId: r.prepared_for_device_id,
      claimedByDeviceId: r.claimed_by_device_id,
      claimedByLabel: r.claimed_by_device_id ? (r.claimed_label ?? r.claimed_by_device_id) : null,
      events: await loadLog(db, r.id),
    });
  }
  return { protocolVersion: PREPARED_PROTOCOL_VERSION, serverTime: now.toISOString(), meetings };
}

/**
 * A tablet claims a prepared meeting. The claim is accepted by the sync path (the same rule as a claim
 * sent through POST /api/v1/sync), in the transaction that makes the tablet the writer; the same claim sent
 * again is acknowledged again.
 */
export async function claimPrepared(
  database: OpenDatabase,
  deviceId: string,
  meetingId: string,
  request: ClaimRequest,
  now: () => Date,
): Promise<ClaimResponse> {
  const row = await preparedRow(database.db, meetingId);
  if (!row?.is_prepared) throw new SyncError('not-prepared', 'No meeting prepared here has this id.');
  if (row.prepared_for_device_id && row.prepared_for_device_id !== deviceId)
    throw new SyncError(
      'not-for-this-device',
      `This meeting was prepared for the tablet “${await labelOf(database.db, row.prepared_for_device_id)}”.`,
    );
  // Claimed already: by another tablet, or by this one with another claim (the same claim sent again is
  // acknowledged again, below). Either way the refusal names the tablet that has it.
  if (row.claimed_by_device_id && !(await isHeldClaim(database.db, meetingId, request.event.id))) {
    const label = await labelOf(database.db, row.claimed_by_device_id);
    throw new SyncError('meeting-claimed', `The tablet “${label}” has already taken this meeting over.`, {
      claimedBy: label,
    });
  }
  if (request.event.meetingId !== meetingId)
    throw new SyncError('wrong-meeting', 'The claim names another meeting than its address.', { index: 0 });
  const [event] = await checkEnvelopes([request.event], deviceId);
  const outcome = await acceptBatch(database, deviceId, [event as EventEnvelope], now);
  const acknowledged = outcome.response.acknowledged[0] as { id: string; seq: number };
  return {
    meetingId,
    acknowledged: { id: acknowledged.id, seq: acknowledged.seq },
    serverTime: outcome.response.serverTime,
  };
}

/** The meeting's claim held is this very event (a claim sent again, e.g. after a lost answer). */
async function isHeldClaim(db: Kysely<Database>, meetingId: string, eventId: string): Promise<boolean> {
  const held = await db
    .selectFrom('events')
    .select('id')
    .where('meeting_id', '=', meetingId)
    .where('type', '=', 'custody.claimed')
    .executeTakeFirst();
  return held?.id === eventId;
}
