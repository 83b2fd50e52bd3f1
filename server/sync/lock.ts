/**
 * Step 2, lock: the batch's meeting heads, created when new and locked until the transaction ends, and
 * which of its events are held already. Two statements plus one, whatever the batch holds.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import { GENESIS_HASH } from '../../src/domain';
import type { OpenDatabase } from '../db/connect';
import type { Database } from '../db/schema';

export interface Head {
  id: string;
  head_seq: number;
  head_hash: string;
  snapshot: unknown;
  /** The time of the head event (`at`), which the next event may not be earlier than. */
  last_at: string | null;
  /** The one device that may append (null only while the meeting has no event). */
  writer_device_id: string | null;
  /** Prepared on the records service, and the tablet that claimed it (issue 19). */
  is_prepared: boolean;
  claimed_by_device_id: string | null;
  /** The one tablet a prepared meeting is for (null: any tablet of the council). */
  prepared_for_device_id: string | null;
}

export interface HeldEvent {
  id: string;
  meeting_id: string;
  seq: number;
  hash: string;
}

/**
 * Locks the heads of the batch's meetings (FOR UPDATE) until the transaction ends, first creating those of
 * `creating` not yet held: only a batch holding a meeting's first event can create it, so a batch that
 * continues its meetings costs one statement here. Both statements take the meetings in one fixed order
 * (byte order of the ids, as given), so two batches touching the same meetings cannot deadlock. A meeting
 * that is not held comes back as an empty head (no event, no writer).
 */
export async function lockHeads(
  trx: Transaction<Database>,
  meetingIds: string[],
  creating: string[],
): Promise<Map<string, Head>> {
  if (creating.length > 0) {
    await sql`
      insert into meetings (id, head_seq, head_hash)
      select id, 0, ${GENESIS_HASH} from unnest(${creating}::text[]) with ordinality as t(id, n) order by n
      on conflict (id) do nothing`.execute(trx);
  }
  const { rows } = await sql<Head>`
    select id, head_seq, head_hash, snapshot, last_at, writer_device_id, is_prepared, claimed_by_device_id,
      prepared_for_device_id
    from meetings
    where id = any(${meetingIds}::text[]) order by id collate "C" for update`.execute(trx);
  const heads = new Map(rows.map((r) => [r.id, r]));
  for (const id of meetingIds) {
    if (!heads.has(id)) {
      heads.set(id, {
        id,
        head_seq: 0,
        head_hash: GENESIS_HASH,
        snapshot: null,
        last_at: null,
        writer_device_id: null,
        is_prepared: false,
        claimed_by_device_id: null,
        prepared_for_device_id: null,
      });
    }
  }
  return heads;
}

/**
 * Events of the batch already held (by id, in any meeting), among `ids`. The sync path asks only about the
 * events numbered at or below their meeting's head (sent again, or a conflict): any other id already held
 * is found by the INSERT of the new events, which then stores nothing.
 */
export async function heldEvents(db: Kysely<Database>, ids: string[]): Promise<Map<string, HeldEvent>> {
  if (ids.length === 0) return new Map();
  const { rows } = await sql<HeldEvent>`
    select id, meeting_id, seq, hash from events where id = any(${ids}::text[])`.execute(db);
  return new Map(rows.map((r) => [r.id, r]));
}

/** Kept outside the rejected batch's transaction, so the admin sees that a tablet's log has a hole. */
export async function recordGap(
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
