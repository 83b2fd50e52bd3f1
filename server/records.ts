/**
 * Reading a meeting's minute entry as the records service holds it. The admin area reads minutes only
 * through here. The sync path does not keep the entry (rebuilding it per batch made a long meeting cost
 * O(n^2) to sync): it is built here from the stored log, the source of truth, when it is read, and kept in
 * minute_entries against the head it was built at, so it is built again only after the log has grown.
 */
import { type Kysely, sql } from 'kysely';
import { type MinuteEntry, minuteEntry, renderMinuteText } from '../src/domain';
import type { Database } from './db/schema';
import { minuteCodeId } from './minuteCode';
import { loadLog } from './sync';

export interface HeldMinute {
  entry: MinuteEntry;
  text: string;
  headHash: string;
  eventCount: number;
  isComplete: boolean;
}

interface Kept {
  builder: string | null;
  head_seq: number;
  head_hash: string;
  entry: unknown;
  text: string | null;
  kept_hash: string | null;
  event_count: number | null;
  is_complete: boolean | null;
}

/** The minute entry of a meeting, or null when no event of it is held. */
export async function minuteOf(db: Kysely<Database>, meetingId: string): Promise<HeldMinute | null> {
  const { rows } = await sql<Kept>`
    select k.builder, m.head_seq, m.head_hash, k.entry, k.text, k.head_hash as kept_hash, k.event_count, k.is_complete
    from meetings as m left join minute_entries as k on k.meeting_id = m.id
    where m.id = ${meetingId}`.execute(db);
  const kept = rows[0];
  if (!kept || kept.head_seq === 0) return null;
  if (kept.kept_hash === kept.head_hash && kept.text !== null && kept.builder === minuteCodeId()) {
    return {
      entry: kept.entry as MinuteEntry,
      text: kept.text,
      headHash: kept.kept_hash,
      eventCount: kept.event_count ?? 0,
      isComplete: kept.is_complete ?? false,
    };
  }
  // Built from the log as stored (it may have grown since the head was read: the entry says its own head).
  const log = await loadLog(db, meetingId);
  if (log.length === 0) return null;
  const entry = minuteEntry(log);
  const built: HeldMinute = {
    entry,
    text: renderMinuteText(entry),
    headHash: entry.headHash,
    eventCount: entry.eventCount,
    isComplete: entry.isComplete,
  };
  return (await keep(db, meetingId, built)) ?? built;
}

/**
 * Keeps a built entry, unless one built from a longer log is kept already (two reads may race). Returns
 * the entry as the table gives it back, so that a first read and later ones give the same JSON. Keeping
 * it is an optimisation: a read does not fail because the entry could not be kept (e.g. a full disk).
 */
async function keep(db: Kysely<Database>, meetingId: string, m: HeldMinute): Promise<HeldMinute | null> {
  try {
    const { rows } = await sql<{ entry: unknown }>`
      insert into minute_entries
        (meeting_id, entry, text, head_hash, event_count, is_complete, updated_at, builder)
      values (${meetingId}, ${JSON.stringify(m.entry)}::jsonb, ${m.text}, ${m.headHash}, ${m.eventCount},
        ${m.isComplete}, now(), ${minuteCodeId()})
      on conflict (meeting_id) do update set
        entry = excluded.entry, text = excluded.text, head_hash = excluded.head_hash,
        event_count = excluded.event_count, is_complete = excluded.is_complete, updated_at = excluded.updated_at,
        builder = excluded.builder
        where minute_entries.event_count <= excluded.event_count
          or minute_entries.builder is distinct from excluded.builder
      returning entry`.execute(db);
    const row = rows[0];
    return row ? { ...m, entry: row.entry as MinuteEntry } : null;
  } catch {
    return null;
  }
}
