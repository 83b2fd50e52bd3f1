/**
 * Reading a meeting's minute entry as the records service holds it. The admin area reads minutes only
 * through here, so how the sync path keeps them (rewritten per batch, or built when read) is one place.
 */
import type { Kysely } from 'kysely';
import type { MinuteEntry } from '../src/domain';
import type { Database } from './db/schema';

export interface HeldMinute {
  entry: MinuteEntry;
  text: string;
  headHash: string;
  eventCount: number;
  isComplete: boolean;
}

/** The minute entry of a meeting, or null when no event of it is held. */
export async function minuteOf(db: Kysely<Database>, meetingId: string): Promise<HeldMinute | null> {
  const row = await db
    .selectFrom('minute_entries')
    .select(['entry', 'text', 'head_hash', 'event_count', 'is_complete'])
    .where('meeting_id', '=', meetingId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    entry: row.entry as MinuteEntry,
    text: row.text,
    headHash: row.head_hash,
    eventCount: row.event_count,
    isComplete: row.is_complete,
  };
}
