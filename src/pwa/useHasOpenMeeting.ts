import { useLiveQuery } from 'dexie-react-hooks';
import type { KioskDb } from '../storage/db';

/**
 * Whether any meeting on this tablet is open, live from the database (the source of truth, so it does not
 * matter which screen is showing). `undefined` until the database has answered: callers pick the safe side.
 */
export function useHasOpenMeeting(db: KioskDb): boolean | undefined {
  const count = useLiveQuery(() => db.meetings.where('status').equals('open').count(), [db]);
  return count === undefined ? undefined : count > 0;
}
