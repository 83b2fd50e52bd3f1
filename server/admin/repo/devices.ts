/** Devices and enrolment codes as the admin area changes them: queries only. */
import { type Kysely, sql, type Transaction } from 'kysely';
import { RECORDS_SERVICE_DEVICE_ID } from '../../../src/domain/prepared';
import { newEnrolmentCode, normaliseCode, sha256 } from '../../auth';
import { type HandOverRefusal, handOver, openMeetingsOf, recordSuccession } from '../../custody';
import type { Database } from '../../db/schema';

export const CODE_HOURS = 24;

export interface DeviceRow {
  id: string;
  label: string;
  created_at: Date;
  last_seen_at: Date | null;
  revoked_at: Date | null;
  /** The tablet's clock and the service's at its latest event held (sent_at null: it did not say). */
  sent_at: string | null;
  received_at: Date | null;
}

/** The devices, each with its latest event's clocks (one index lookup per device). */
export async function listDevicesAndCodes(db: Kysely<Database>) {
  const { rows: devices } = await sql<DeviceRow>`
    select d.id, d.label, d.created_at, d.last_seen_at, d.revoked_at, e.sent_at, e.received_at
    from devices d left join lateral (
      select sent_at, received_at from events where device_id = d.id order by received_at desc limit 1
    ) e on true
    where d.id <> ${RECORDS_SERVICE_DEVICE_ID}
    order by d.revoked_at is not null, d.label, d.created_at desc`.execute(db);
  const codes = await db
    .selectFrom('enrolment_codes')
    .selectAll()
    .orderBy('created_at', 'desc')
    .limit(50)
    .execute();
  return { devices, codes };
}

/** A new one-time code; only its hash and last characters are kept. */
export async function createEnrolmentCode(db: Kysely<Database>, now: Date): Promise<string> {
  const code = newEnrolmentCode();
  const normal = normaliseCode(code);
  await db
    .insertInto('enrolment_codes')
    .values({
      code_hash: sha256(normal),
      hint: normal.slice(-4),
      expires_at: new Date(now.getTime() + CODE_HOURS * 3_600_000),
    })
    .execute();
  return code;
}

/** Whether a device was revoked now (false: no such device, or revoked already; a revoked one stays so). */
export async function revokeDevice(db: Kysely<Database>, id: string, now: Date): Promise<boolean> {
  if (id === RECORDS_SERVICE_DEVICE_ID) return false;
  const result = await db
    .updateTable('devices')
    .set({ revoked_at: now })
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) > 0;
}

/**
 * A tablet replaced by another: the old one is revoked, and every open meeting it writes is handed to the
 * new one, in one transaction. (A new enrolment code never takes over a device: this is the only way.)
 */
export async function replaceDevice(
  db: Kysely<Database>,
  h: { id: string; replacementId: string; byAdmin: string },
  now: Date,
  /** Written in the same transaction, once the replacement is done (the audit row). */
  done: (trx: Transaction<Database>, meetings: number, prepared: number) => Promise<void>,
): Promise<{ ok: true; meetings: number; prepared: number } | { ok: false; refusal: HandOverRefusal }> {
  // Refused here too, not only by the form: a tablet "replaced" by itself would be revoked, and recorded
  // as its own successor, with no tablet left to send its records.
  if (h.id === h.replacementId) return { ok: false, refusal: 'same-device' };
  if (h.id === RECORDS_SERVICE_DEVICE_ID || h.replacementId === RECORDS_SERVICE_DEVICE_ID)
    return { ok: false, refusal: 'service-device' };
  return db.transaction().execute(async (trx) => {
    const replaced = await trx.selectFrom('devices').select('id').where('id', '=', h.id).executeTakeFirst();
    if (!replaced) return { ok: false as const, refusal: 'no-such-device' as const };
    const replacement = await trx
      .selectFrom('devices')
      .select(['id', 'revoked_at'])
      .where('id', '=', h.replacementId)
      .executeTakeFirst();
    if (!replacement) return { ok: false as const, refusal: 'no-such-device' as const };
    if (replacement.revoked_at) return { ok: false as const, refusal: 'device-revoked' as const };
    await trx
      .updateTable('devices')
      .set({ revoked_at: now })
      .where('id', '=', h.id)
      .where('revoked_at', 'is', null)
      .execute();
    // The replacement may also send what the old tablet wrote and never sent (its sealed batches).
    await recordSuccession(trx, { fromDeviceId: h.id, toDeviceId: h.replacementId, byAdmin: h.byAdmin });
    const meetings = await openMeetingsOf(trx, h.id);
    for (const meetingId of meetings) {
      const result = await handOver(trx, {
        meetingId,
        toDeviceId: h.replacementId,
        byAdmin: h.byAdmin,
        reason: `The tablet ${h.id} was replaced by ${h.replacementId}.`,
      });
      if (!result.ok) throw new Error(`hand-over of an open meeting refused: ${result.refusal}`);
    }
    // Meetings the office prepared for the old tablet that nobody has claimed yet are for its replacement:
    // the old tablet can no longer pull them, and the new one would otherwise be refused them.
    const prepared = await trx
      .updateTable('meetings')
      .set({ prepared_for_device_id: h.replacementId })
      .where('prepared_for_device_id', '=', h.id)
      .where('claimed_by_device_id', 'is', null)
      .where('is_closed', '=', false)
      .executeTakeFirst();
    const preparedCount = Number(prepared.numUpdatedRows);
    await done(trx, meetings.length, preparedCount);
    return { ok: true as const, meetings: meetings.length, prepared: preparedCount };
  });
}
