/**
 * Sealing and purging while the app is open: seals what waits (meetings closed before the tablet had a key,
 * or whose sealing failed), then purges plaintext past its window, at start and every minute after.
 */
import type { KioskDb } from '../storage/db';
import { startPurge } from '../storage/retention';
import { sealWaiting } from '../storage/sealedStore';

const started = new WeakSet<KioskDb>();

export function startSealing(db: KioskDb, now: () => Date = () => new Date()): void {
  if (started.has(db)) return;
  started.add(db);
  void sealWaiting(db, now)
    .catch(() => 0)
    .then(() => startPurge(db, { now }));
}
