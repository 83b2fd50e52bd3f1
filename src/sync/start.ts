/**
 * Makes and starts the app's one sync (once); the records service defaults to the app's own origin.
 * Loaded with the meeting store (src/meeting/kioskStore.ts), never by the app shell's first load.
 */
import type { KioskDb } from '../storage/db';
import type { MeetingStore } from '../storage/meetingStore';
import { currentSync, setSync } from './registry';
import { createSync, type SyncHandle } from './service';

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
  const sync = createSync({
    store,
    db,
    deviceId,
    fetch: (input, init) => globalThis.fetch(input, init),
    now: () => new Date(),
    random: Math.random,
    serverUrl: globalThis.location?.origin ?? 'http://localhost',
    networkEvents: typeof window === 'undefined' ? null : window,
    isOnline: () => typeof navigator === 'undefined' || navigator.onLine !== false,
  });
  setSync(sync);
  return sync;
}
