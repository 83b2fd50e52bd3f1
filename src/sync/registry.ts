/**
 * The app's one running sync, made by startSync (start.ts) and read by the Settings section and the
 * meeting badge, so that the screens need no new props. Nothing here imports the machine or XState (only
 * types): the app shell imports this module (isEnrolled) without loading the sync code.
 */
import { createStore, useStore } from '../shared/store';
import type { KioskDb } from '../storage/db';
import { ENROLMENT_KEY } from './keys';
import type { SyncHandle } from './service';
import { enrolmentSetting } from './settings';

const sync = createStore<SyncHandle | null>(null);

export { ENROLMENT_KEY };

/** The sync made at boot or by a later startSync, if any. */
export function currentSync(): SyncHandle | null {
  return sync.get();
}

/**
 * Whether this tablet has been enrolled with a records service (even if the service has since refused it),
 * so the shell starts sync at boot; a tablet never enrolled starts it only when it is needed.
 */
export async function isEnrolled(db: KioskDb): Promise<boolean> {
  return enrolmentSetting.has(db);
}

/** Replaces the app's sync (startSync, tests); stops the previous one. */
export function setSync(next: SyncHandle | null): void {
  sync.get()?.stop();
  sync.set(next);
}

/** The running sync; the screens read its state with useSelector(sync.actor, ...). */
export function useSync(): SyncHandle | null {
  return useStore(sync);
}
