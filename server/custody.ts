/**
 * Custody of a meeting's log: one writer, the device that sent its first event, until an admin hands it
 * over to another enrolled device (a replacement tablet). Each hand-over is a row of custody_transfers,
 * which is only ever appended to, written in one transaction with the meeting's new writer, under the same
 * row lock the sync path takes, so a batch is checked against the writer before or after it, never between.
 *
 * A whole tablet can be replaced by another (recordSuccession): the successor then also sends the records
 * the replaced tablet wrote and never sent, under their writer's id, and creates the meetings the service
 * never saw; each event is still checked against its meeting's one writer.
 *
 * The records service has no domain event for a hand-over yet: when there is one, it is written here, in
 * this transaction, so that the tablet and the service can both verify it in the log.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import { RECORDS_SERVICE_DEVICE_ID } from '../src/domain/prepared';
import type { Database } from './db/schema';

export type HandOverRefusal =
  | 'no-such-meeting'
  | 'no-such-device'
  | 'device-revoked'
  | 'already-writer'
  | 'meeting-closed'
  /** A tablet replaced by itself: it would be revoked with nothing to take its place. */
  | 'same-device'
  /**
   * The records service's own device (issue 19): nothing is handed to it, and a meeting it prepared is
   * taken over by a tablet's claim, never handed over.
   */
  | 'service-device';

export interface HandOver {
  meetingId: string;
  toDeviceId: string;
  /** Who did it: the acting admin account's username. */
  byAdmin: string;
  reason: string;
}

export type HandOverResult =
  | { ok: true; fromDeviceId: string; fromSeq: number }
  | { ok: false; refusal: HandOverRefusal };

export async function handOver(trx: Transaction<Database>, h: HandOver): Promise<HandOverResult> {
  const { rows } = await sql<{ head_seq: number; writer_device_id: string | null; is_closed: boolean }>`
    select head_seq, writer_device_id, is_closed from meetings where id = ${h.meetingId} for update`.execute(
    trx,
  );
  const meeting = rows[0];
  if (!meeting || meeting.head_seq === 0 || meeting.writer_device_id === null)
    return { ok: false, refusal: 'no-such-meeting' };
  // A closed meeting takes no more events, so there is nothing to hand over.
  if (meeting.is_closed) return { ok: false, refusal: 'meeting-closed' };
  if (h.toDeviceId === RECORDS_SERVICE_DEVICE_ID || meeting.writer_device_id === RECORDS_SERVICE_DEVICE_ID)
    return { ok: false, refusal: 'service-device' };
  const device = await trx
    .selectFrom('devices')
    .select(['id', 'revoked_at'])
    .where('id', '=', h.toDeviceId)
    .executeTakeFirst();
  if (!device) return { ok: false, refusal: 'no-such-device' };
  if (device.revoked_at) return { ok: false, refusal: 'device-revoked' };
  if (device.id === meeting.writer_device_id) return { ok: false, refusal: 'already-writer' };
  const fromSeq = meeting.head_seq + 1;
  await trx
    .insertInto('custody_transfers')
    .values({
      meeting_id: h.meetingId,
      from_device_id: meeting.writer_device_id,
      to_device_id: h.toDeviceId,
      from_seq: fromSeq,
      by_admin: h.byAdmin,
      reason: h.reason,
    })
    .execute();
  await trx
    .updateTable('meetings')
    .set({ writer_device_id: h.toDeviceId })
    .where('id', '=', h.meetingId)
    .execute();
  return { ok: true, fromDeviceId: meeting.writer_device_id, fromSeq };
}

/** The open meetings a device writes: what a replacement tablet takes over. */
export async function openMeetingsOf(trx: Transaction<Database>, deviceId: string): Promise<string[]> {
  const rows = await trx
    .selectFrom('meetings')
    .select('id')
    .where('writer_device_id', '=', deviceId)
    .where('is_closed', '=', false)
    .where('head_seq', '>', 0)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}

/**
 * A tablet replaced by another (issue 16): the successor may send the records the replaced tablet wrote
 * and never sent, e.g. the sealed batches of meetings it closed offline before it was revoked and enrolled
 * again under a new id. Recorded once per pair; call in the replacement's transaction.
 */
export async function recordSuccession(
  trx: Transaction<Database>,
  s: { fromDeviceId: string; toDeviceId: string; byAdmin: string },
): Promise<void> {
  await trx
    .insertInto('device_successions')
    .values({ from_device_id: s.fromDeviceId, to_device_id: s.toDeviceId, by_admin: s.byAdmin })
    .onConflict((oc) => oc.columns(['from_device_id', 'to_device_id']).doNothing())
    .execute();
}

/**
 * The devices whose records `deviceId` may send: itself, and every device it replaced, directly or through
 * a chain of replacements (a tablet revoked and enrolled again twice). Looked up only for a request that
 * names another device, so the usual sync costs no query here.
 */
export async function writersFor(
  db: Kysely<Database>,
  deviceId: string,
  named: Iterable<string>,
): Promise<ReadonlySet<string>> {
  const writers = new Set([deviceId]);
  if ([...named].every((id) => id === deviceId)) return writers;
  const { rows } = await sql<{ id: string }>`
    with recursive replaced(id) as (
      select from_device_id from device_successions where to_device_id = ${deviceId}
      union
      select s.from_device_id from device_successions s join replaced r on s.to_device_id = r.id
    )
    select id from replaced`.execute(db);
  for (const row of rows) writers.add(row.id);
  return writers;
}
