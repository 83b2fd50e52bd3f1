/**
 * The meetings list's filters as a link carries them: each checked, so a bad value is a 400 that says which
 * filter to change, never a query the database refuses.
 */
import { hasForbiddenCharacter, MEETING_KINDS } from '../../src/domain';
import { DEVICE_ID } from './context';
import {
  type MeetingFilters,
  OUTCOMES,
  type OutcomeFilter,
  parseCursor,
  SYNC_STATES,
  type SyncStateFilter,
} from './repo/meetings';
import type { ListQuery } from './views/meetings';

export type ParsedList =
  | { ok: true; filters: MeetingFilters; query: ListQuery }
  | { ok: false; message: string; query: ListQuery };

/** A calendar date between 1900 and 9999 written YYYY-MM-DD (what a date input sends). */
export function isDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || text < '1900') return false;
  const at = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(at.getTime()) && at.toISOString().slice(0, 10) === text;
}

const oneOf = <T extends string>(list: readonly T[], value: string): value is T =>
  (list as readonly string[]).includes(value);

export function parseListQuery(raw: Record<string, string | undefined>): ParsedList {
  const get = (key: string) => (raw[key] ?? '').trim();
  const query: ListQuery = {
    q: get('q'),
    from: get('from'),
    to: get('to'),
    kind: get('kind'),
    outcome: get('outcome'),
    sync: get('sync'),
    tablet: get('tablet'),
  };
  const fail = (message: string): ParsedList => ({ ok: false, message, query });
  const { q, from, to, kind, outcome, sync, tablet } = query;
  if (q.length > 200) return fail('Search for at most 200 characters.');
  if (hasForbiddenCharacter(q)) return fail('Search for ordinary characters only.');
  if (from && !isDate(from)) return fail('The "From date" is not a date: use the date picker or YYYY-MM-DD.');
  if (to && !isDate(to)) return fail('The "To date" is not a date: use the date picker or YYYY-MM-DD.');
  if (from && to && from > to) return fail('The "From date" is after the "To date".');
  if (kind && !oneOf(MEETING_KINDS, kind)) return fail('Choose a kind of meeting from the list.');
  if (outcome && !oneOf<OutcomeFilter>(OUTCOMES, outcome)) return fail('Choose an outcome from the list.');
  if (sync && !oneOf<SyncStateFilter>(SYNC_STATES, sync)) return fail('Choose a sync state from the list.');
  if (tablet && !DEVICE_ID.test(tablet)) return fail('Choose a tablet from the list.');
  const after = get('after');
  const before = get('before');
  const afterCursor = after ? parseCursor(after) : undefined;
  const beforeCursor = before ? parseCursor(before) : undefined;
  if (afterCursor === null || beforeCursor === null || (after && before))
    return fail('That page link is not right: start again from the first page.');
  const filters: MeetingFilters = {
    ...(q ? { q } : {}),
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(kind ? { kind } : {}),
    ...(outcome ? { outcome: outcome as OutcomeFilter } : {}),
    ...(sync ? { sync: sync as SyncStateFilter } : {}),
    ...(tablet ? { tablet } : {}),
    ...(afterCursor ? { after: afterCursor } : {}),
    ...(beforeCursor ? { before: beforeCursor } : {}),
  };
  return { ok: true, filters, query };
}
