/** A meeting's stored log, in order: the source of truth every projection must agree with. */
import type { Transaction } from 'kysely';
import type { EventEnvelope } from '../../src/domain';
import type { Database } from '../db/schema';

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
