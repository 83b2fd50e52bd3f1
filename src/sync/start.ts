/**
 * Makes and starts the app's one SyncEngine (once); the records service defaults to the app's own origin.
 * Loaded with the meeting store (src/ui/screens/kioskStore.ts), never by the app shell's first load.
 */
import type { KioskDb } from '../storage/db';
import type { MeetingStore } from '../storage/meetingStore';
import { currentSyncEngine, setSyncEngine } from './registry';
import { SyncEngine } from './syncClient';

export function startSync({ store, db, deviceId }: { store: MeetingStore; db: KioskDb; deviceId: string }) {
  const running = currentSyncEngine();
  if (running) return running;
  const engine = new SyncEngine({
    store,
    db,
    deviceId,
    fetch: (input, init) => globalThis.fetch(input, init),
    now: () => new Date(),
    random: Math.random,
    serverUrl: globalThis.location?.origin ?? 'http://localhost',
  });
  engine.start();
  setSyncEngine(engine);
  return engine;
}
