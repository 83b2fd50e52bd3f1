import { createStore, useStore } from '../shared/store';
import type { Updater, UpdateState } from './register';

const NONE = createStore<UpdateState>({ isUpdateReady: false, isApplying: false, lastCheckedAt: null });

/** The service worker's update state (nothing is ever ready where there is no worker, e.g. in dev). */
export function useUpdateState(updater: Updater | null): UpdateState {
  return useStore(updater ? updater.state : NONE);
}
