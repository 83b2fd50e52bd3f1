/**
 * Where home shows the meetings prepared on the records service (issue 19). Part of the first load, so it only
 * asks the database whether anything was ever pulled; the list itself is its own chunk, loaded when it was.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import type { KioskDb } from '../storage/db';
import { preparedSetting } from '../sync/settings';
import { chunk, Loadable } from './Loadable';

const todayChunk = chunk(() => import('../meeting/MeetingsToday'));

export function Today({
  db,
  onOpen,
}: {
  db: KioskDb;
  onOpen: (meetingId: string) => Promise<string | null>;
}) {
  const hasPulled = useLiveQuery(
    async () => (await db.prepared.count()) > 0 || (await preparedSetting.has(db)),
    [db],
  );
  if (!hasPulled) return null;
  return <Loadable chunk={todayChunk}>{(m) => <m.MeetingsToday db={db} onOpen={onOpen} />}</Loadable>;
}
