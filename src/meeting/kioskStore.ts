/**
 * The tablet's MeetingStore (which brings the statechart and the schemas of src/domain) and the sync engine
 * that drains its outbox. Loaded on demand, never with the app shell: when a meeting is opened or set up,
 * when Settings is opened, or at boot on a tablet that has been enrolled with a records service.
 */
import { startSealing } from '../sealing/start';
import type { KioskDb } from '../storage/db';
import { MeetingStore } from '../storage/meetingStore';
import { startSync } from '../sync/start';

const stores = new WeakMap<KioskDb, MeetingStore>();

/** The one store of this database (made on first use); starts the sync engine with it if not yet running. */
export function storeFor(db: KioskDb, deviceId: string): MeetingStore {
  let store = stores.get(db);
  if (!store) {
    store = new MeetingStore(db, { deviceId });
    stores.set(db, store);
  }
  startSync({ store, db, deviceId });
  startSealing(db);
  return store;
}
