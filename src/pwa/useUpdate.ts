import { useSyncExternalStore } from 'react';
import { getUpdater, type Updater, type UpdateState } from './register';

const NONE: UpdateState = { isUpdateReady: false, isApplying: false, lastCheckedAt: null };
const noop = () => () => {};
const none = () => NONE;

/** The service worker's update state (nothing is ever ready where there is no worker, e.g. in dev). */
export function useUpdateState(updater: Updater | null = getUpdater()): UpdateState {
  return useSyncExternalStore(updater ? updater.subscribe : noop, updater ? updater.getState : none);
}
