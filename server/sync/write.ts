/** Step 4, write: the batch's new events, in one INSERT, appended to the logs (never updated). */
import { sql, type Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { SyncError } from './errors';
import type { Indexed } from './validate';

export async function writeEvents(
  trx: Transaction<Database>,
  deviceId: string,
  fresh: readonly Indexed[],
  receivedAt: Date,
  sentAt: string | null,
): Promise<void> {
  // The envelopes as one JSON array (one parameter, parsed once); each row's columns come from its element.
  const texts = fresh.map((f) => JSON.stringify(f.event));
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
}
