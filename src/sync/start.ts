/**
 * Makes and starts the app's one sync (once); the records service defaults to the app's own origin.
 * Loaded with the meeting store (src/meeting/kioskStore.ts), never by the app shell's first load.
 */
import type { KioskDb } from '../storage/db';
import type { MeetingStore } from '../storage/meetingStore';
import { type PreparedDeps, pullPrepared } from './prepared';
import { currentSync, setSync } from './registry';
import { createSync, type SyncHandle } from './service';

/** The browser's network and clock, for sync and for prepared meetings (pulling them, claiming one). */
export function browserDeps(db: KioskDb): PreparedDeps {
  return {
    db,
    fetch: (input, init) => globalThis.fetch(input, init),
    now: () => new Date(),
    isOnline: () => typeof navigator === 'undefined' || navigator.onLine !== false,
  };
}

export function startSync({
  store,
  db,
  deviceId,
}: {
  store: MeetingStore;
  db: KioskDb;
  deviceId: string;
}): SyncHandle {
  const running = currentSync();
  if (running) return running;
  const browser = browserDeps(db);
  const sync = createSync({
    ...browser,
    store,
    deviceId,
    random: Math.random,
    serverUrl: globalThis.location?.origin ?? 'http://localhost',
    networkEvents: typeof window === 'undefined' ? null : window,
    pullPrepared: (options) => pullPrepared(browser, options),
  });
  setSync(sync);
  return sync;
}
