/**
 * Subject access (issue 16): a records officer finds every meeting in which a person appears, by name, sees
 * the matches to confirm them, and exports the meetings chosen as one bundle (a zip): an index, and for each
 * meeting its minute entry as text, JSON and PDF, its signed undertakings as PDF, and its event log.
 * Names are compared without case or accents ("Łukasz" is found by "lukasz"), and every name a meeting's
 * log ever gave a person counts (as added, joined, corrected), and the subject children and the title.
 */
import { strToU8, zipSync } from 'fflate';
import { type Kysely, sql } from 'kysely';
import type { MinuteEntry } from '../src/domain';
import type { Database } from './db/schema';
import { minuteOf } from './records';

/** The events whose payloads name people. */
const NAMING = [
  'meeting.opened',
  'attendee.added',
  'attendee.joined',
  'attendee.corrected',
  'pr-holder.objected',
];

/** Lower case, no accents, single spaces: what a name is compared as. */
export function foldName(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/ł/gi, 'l')
    .replace(/ø/gi, 'o')
    .replace(/đ/gi, 'd')
    .replace(/ß/g, 'ss')
    .toLocaleLowerCase('en-GB')
    .replace(/\s+/g, ' ')
    .trim();
}

/** Every `name` and `title` string anywhere in a payload. */
function namesIn(value: unknown, out: Set<string>): Set<string> {
  if (Array.isArray(value)) for (const v of value) namesIn(v, out);
  else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if ((k === 'name' || k === 'title') && typeof v === 'string') out.add(v);
      else namesIn(v, out);
    }
  }
  return out;
}

export interface PersonMatch {
  meetingId: string;
  title: string;
  scheduledAt: string;
  /** The names in the meeting's record that matched, as written there, for the officer to confirm. */
  matches: string[];
}

/** The meetings in which a name appears (every word of the query in one name), most recent first. */
export async function findPerson(db: Kysely<Database>, query: string): Promise<PersonMatch[]> {
  const words = foldName(query).split(' ').filter(Boolean);
  if (words.length === 0) return [];
  const { rows } = await sql<{ meeting_id: string; payload: unknown }>`
    select meeting_id, envelope->'payload' as payload from events
    where type = any(${NAMING}::text[]) order by meeting_id, seq`.execute(db);
  const found = new Map<string, Set<string>>();
  for (const row of rows) {
    for (const name of namesIn(row.payload, new Set())) {
      const folded = foldName(name);
      if (!words.every((w) => folded.includes(w))) continue;
      const set = found.get(row.meeting_id) ?? new Set<string>();
      set.add(name);
      found.set(row.meeting_id, set);
    }
  }
  if (found.size === 0) return [];
  const meetings = await db
    .selectFrom('meetings')
    .select(['id', 'title', 'scheduled_at'])
    .where('id', 'in', [...found.keys()])
    .execute();
  return meetings
    .map((m) => ({
      meetingId: m.id,
      title: m.title,
      scheduledAt: m.scheduled_at,
      matches: [...(found.get(m.id) ?? [])].sort(),
    }))
    .sort((a, b) => b.scheduledAt.localeCompare(a.scheduledAt) || a.meetingId.localeCompare(b.meetingId));
}

export interface BundleDocuments {
  minutePdf: (entry: MinuteEntry) => Promise<Uint8Array>;
  undertakingPdf: (entry: MinuteEntry) => Promise<Uint8Array>;
}

/**
 * The bundle of the meetings chosen: index.txt and index.json, then one folder per meeting. Meetings not held
 * are listed in the index as not held, never silently left out.
 */
export async function subjectAccessBundle(
  db: Kysely<Database>,
  meetingIds: readonly string[],
  docs: BundleDocuments,
  request: { subject: string; by: string; at: Date },
): Promise<Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  const index: { meetingId: string; title: string; scheduledAt: string; files: string[] }[] = [];
  const missing: string[] = [];
  for (const id of meetingIds) {
    const minute = await minuteOf(db, id);
    if (!minute) {
      missing.push(id);
      continue;
    }
    const folder = `meeting-${id}`;
    const log = await db
      .selectFrom('events')
      .select('envelope')
      .where('meeting_id', '=', id)
      .orderBy('seq')
      .execute();
    const own: Record<string, Uint8Array> = {
      'minute.txt': strToU8(minute.text),
      'minute.json': strToU8(JSON.stringify(minute.entry, null, 2)),
      'minute.pdf': await docs.minutePdf(minute.entry),
      'events.json': strToU8(
        JSON.stringify(
          log.map((r) => r.envelope),
          null,
          2,
        ),
      ),
    };
    if (minute.entry.undertaking) own['undertaking.pdf'] = await docs.undertakingPdf(minute.entry);
    for (const [name, bytes] of Object.entries(own)) files[`${folder}/${name}`] = bytes;
    index.push({
      meetingId: id,
      title: minute.entry.meeting.title,
      scheduledAt: minute.entry.meeting.scheduledAt,
      files: Object.keys(own).map((n) => `${folder}/${n}`),
    });
  }
  const summary = {
    subjectAccessRequest: request.subject,
    preparedBy: request.by,
    preparedAt: request.at.toISOString(),
    meetings: index,
    notHeld: missing,
  };
  files['index.json'] = strToU8(JSON.stringify(summary, null, 2));
  files['index.txt'] = strToU8(
    [
      `Subject access request: ${request.subject}`,
      `Prepared by ${request.by} at ${request.at.toISOString()}`,
      '',
      ...index.map((m) => `${m.scheduledAt}  ${m.title}  (${m.meetingId})\n  ${m.files.join('\n  ')}`),
      ...(missing.length > 0 ? ['', 'Not held:', ...missing.map((id) => `  ${id}`)] : []),
      '',
    ].join('\n'),
  );
  return zipSync(files, { level: 6 });
}
