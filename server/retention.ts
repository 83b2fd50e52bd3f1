/**
 * Keeping records only as long as the council's policy says (issue 16). Each kind of record has a retention
 * period from configuration, counted from the meeting's last event: a meeting's record (its log, minute entry,
 * undertakings, custody and gap reports), and a meeting discarded as opened in error, kept briefly. A meeting
 * under a legal hold is kept whatever its age. The purge runs daily; what it removed is reported as counts,
 * never names, for the audit trail.
 */
import { type Kysely, sql } from 'kysely';
import type { Database } from './db/schema';

export interface RetentionPolicy {
  /** Years a meeting's record is kept after its last event. */
  meetingYears: number;
  /** Days a meeting discarded as opened in error is kept after it was discarded. */
  discardedDays: number;
}

export interface PurgeOutcome {
  meetings: number;
  events: number;
  undertakings: number;
  /** Meetings past their period but kept because of a legal hold. */
  held: number;
}

const yearsBefore = (now: Date, years: number) => {
  const d = new Date(now);
  d.setUTCFullYear(d.getUTCFullYear() - years);
  return d;
};

/**
 * Removes every meeting past its retention period and not under a legal hold, in one transaction, and says
 * how much went. Meetings being written at the same moment are skipped (locked rows), not waited for: the
 * next run takes them.
 */
export async function purgeExpired(
  db: Kysely<Database>,
  policy: RetentionPolicy,
  now: Date,
): Promise<PurgeOutcome> {
  const meetingCutoff = yearsBefore(now, policy.meetingYears).toISOString();
  const discardedCutoff = new Date(now.getTime() - policy.discardedDays * 86_400_000).toISOString();
  return db.transaction().execute(async (trx) => {
    // last_at is the ISO time of the last event as the tablet wrote it; compared as instants.
    const { rows: expired } = await sql<{ id: string; held: boolean }>`
      select m.id, exists (select 1 from legal_holds h where h.meeting_id = m.id) as held
      from meetings m
      where m.last_at is not null
        and ((m.phase = 'discarded' and m.last_at::timestamptz < ${discardedCutoff}::timestamptz)
          or m.last_at::timestamptz < ${meetingCutoff}::timestamptz)
      for update of m skip locked`.execute(trx);
    const ids = expired.filter((m) => !m.held).map((m) => m.id);
    const outcome: PurgeOutcome = {
      meetings: ids.length,
      events: 0,
      undertakings: 0,
      held: expired.length - ids.length,
    };
    if (ids.length === 0) return outcome;
    const undertakings = await trx
      .deleteFrom('undertakings')
      .where('meeting_id', 'in', ids)
      .executeTakeFirst();
    await trx.deleteFrom('minute_entries').where('meeting_id', 'in', ids).execute();
    await trx.deleteFrom('sync_gaps').where('meeting_id', 'in', ids).execute();
    await trx.deleteFrom('custody_transfers').where('meeting_id', 'in', ids).execute();
    const events = await trx.deleteFrom('events').where('meeting_id', 'in', ids).executeTakeFirst();
    await trx.deleteFrom('meetings').where('id', 'in', ids).execute();
    outcome.events = Number(events.numDeletedRows);
    outcome.undertakings = Number(undertakings.numDeletedRows);
    return outcome;
  });
}

export type HoldRefusal = 'no-such-meeting' | 'already-held' | 'not-held';

export async function placeHold(
  db: Kysely<Database>,
  meetingId: string,
  by: string,
  reason: string,
): Promise<{ ok: true } | { ok: false; refusal: HoldRefusal }> {
  const meeting = await db.selectFrom('meetings').select('id').where('id', '=', meetingId).executeTakeFirst();
  if (!meeting) return { ok: false, refusal: 'no-such-meeting' };
  const placed = await db
    .insertInto('legal_holds')
    .values({ meeting_id: meetingId, placed_by: by, reason })
    .onConflict((oc) => oc.column('meeting_id').doNothing())
    .executeTakeFirst();
  return Number(placed.numInsertedOrUpdatedRows ?? 0) === 1
    ? { ok: true }
    : { ok: false, refusal: 'already-held' };
}

export async function liftHold(
  db: Kysely<Database>,
  meetingId: string,
): Promise<{ ok: true } | { ok: false; refusal: HoldRefusal }> {
  const lifted = await db.deleteFrom('legal_holds').where('meeting_id', '=', meetingId).executeTakeFirst();
  return Number(lifted.numDeletedRows) === 1 ? { ok: true } : { ok: false, refusal: 'not-held' };
}

export async function holdOf(db: Kysely<Database>, meetingId: string) {
  return (
    (await db.selectFrom('legal_holds').selectAll().where('meeting_id', '=', meetingId).executeTakeFirst()) ??
    null
  );
}
