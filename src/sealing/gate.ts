/**
 * What is checked before a meeting opens on the tablet (issue 16): a tablet the records service has revoked
 * opens none until it is enrolled again; a tablet without room for a meeting refuses it rather than fail
 * half-way; a tablet without the service's key may open one, but the chair is told that its record stays
 * readable on the tablet until it is enrolled.
 */

import { i18n } from '../shared/i18n';
import type { KioskDb } from '../storage/db';
import { readEnrolment } from '../sync/enrolment';
import { readServiceKey } from './serviceKey';

/** Free space a meeting needs to open: its log, snapshots and signatures, with a wide margin. */
export const MEETING_ROOM_BYTES = 25 * 1024 * 1024;

export type OpenCheck =
  | { ok: true; isSealed: boolean }
  | { ok: false; reason: 'revoked' | 'storage-full'; message: string };

type Estimate = () => Promise<{ usage?: number; quota?: number }>;

const browserEstimate = (): Estimate | null =>
  typeof navigator !== 'undefined' && navigator.storage?.estimate ? () => navigator.storage.estimate() : null;

/** Free bytes as the browser estimates them; null when it cannot say (then nothing is refused on it). */
export async function freeBytes(estimate: Estimate | null = browserEstimate()): Promise<number | null> {
  if (!estimate) return null;
  try {
    const { usage, quota } = await estimate();
    return typeof usage === 'number' && typeof quota === 'number' && quota > 0 ? quota - usage : null;
  } catch {
    return null;
  }
}

export async function checkBeforeOpening(
  db: KioskDb,
  estimate: Estimate | null = browserEstimate(),
): Promise<OpenCheck> {
  const enrolment = await readEnrolment(db);
  if (enrolment?.stoppedBy === 'device-revoked') {
    return { ok: false, reason: 'revoked', message: i18n.t('sealing.revokedNoMeeting') };
  }
  const free = await freeBytes(estimate);
  if (free !== null && free < MEETING_ROOM_BYTES) {
    const mb = Math.max(0, Math.floor(free / 1_000_000));
    return {
      ok: false,
      reason: 'storage-full',
      message: i18n.t('sealing.storageFull', { free: `${mb} MB` }),
    };
  }
  return { ok: true, isSealed: (await readServiceKey(db)) !== null };
}
