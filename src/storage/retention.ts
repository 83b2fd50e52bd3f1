/**
 * How long a closed meeting stays readable on the tablet (issue 16), and the purge that ends it.
 *
 * After closing, the chair may reread the minute behind the PIN for the profile's window (default 8 hours).
 * Once the window has passed, every plaintext copy of the meeting goes: its events, snapshot, meeting row,
 * and what settings say of it, in ONE transaction that first checks again that nothing would be lost:
 * either the service has acknowledged every event, or every event it has not is inside a sealed batch
 * (which the outbox still sends, and which the tablet itself cannot read). A meeting with neither (closed
 * on a tablet not yet enrolled) keeps its plaintext until it is sealed.
 *
 * What stays of a meeting not yet acknowledged: its sealed batches and its outbox rows (event ids and
 * numbers only, no names), so the tablet still counts and sends what is waiting. Sealed batches are
 * deleted once the service has acknowledged them and the plaintext is gone.
 */
import { PROFILES, type ProfileId } from '../domain/profiles';
import { batchSetting, logSetting, quarantineSetting } from '../sync/settings';
import { custodySetting } from './custody';
import type { KioskDb, MeetingRow } from './db';
import { isCoveredBySealed } from './sealedStore';

export const DEFAULT_READABLE_HOURS = 8;

/** How long after closing a meeting of this profile stays readable on the tablet, in ms. */
export function readableWindowMs(profileId: ProfileId): number {
  const hours = PROFILES[profileId]?.tabletReadableHours ?? DEFAULT_READABLE_HOURS;
  return hours * 60 * 60_000;
}

/** Whether a closed meeting may still be reread on the tablet (behind the PIN). */
export function isReadable(row: Pick<MeetingRow, 'status' | 'closedAt' | 'profileId'>, now: Date): boolean {
  if (row.status === 'open') return true;
  if (row.closedAt === null) return true;
  return now.getTime() < Date.parse(row.closedAt) + readableWindowMs(row.profileId);
}

export type PurgeOutcome = 'purged' | 'kept-not-sealed' | 'not-finished' | 'gone';

/**
 * Deletes the plaintext of one closed or discarded meeting, in one transaction that re-checks, inside it,
 * that every event the service has not acknowledged is sealed. Never touches an open meeting.
 */
export async function purgePlaintext(db: KioskDb, meetingId: string): Promise<PurgeOutcome> {
  return db.transaction(
    'rw',
    [db.meetings, db.events, db.outbox, db.snapshots, db.sealed, db.settings],
    async () => {
      const row = await db.meetings.get(meetingId);
      if (!row) return 'gone';
      if (row.status === 'open') return 'not-finished';
      const waiting = await db.outbox.where('meetingId').equals(meetingId).toArray();
      const sealed = await db.sealed.where('meetingId').equals(meetingId).toArray();
      if (
        !isCoveredBySealed(
          waiting.map((w) => w.seq),
          sealed,
        )
      )
        return 'kept-not-sealed';
      await db.events.where('meetingId').equals(meetingId).delete();
      await db.snapshots.delete(meetingId);
      await db.meetings.delete(meetingId);
      if (waiting.length === 0) await db.sealed.where('meetingId').equals(meetingId).delete();
      await forgetInSettings(db, meetingId);
      return 'purged';
    },
  );
}

/**
 * Settings that name the meeting: the quarantine's title, a plain batch of it waiting for an ack, and who
 * last held the tablet in it (with the attendee whose turn was taken back).
 */
async function forgetInSettings(db: KioskDb, meetingId: string): Promise<void> {
  if ((await custodySetting.read(db))?.meetingId === meetingId) await custodySetting.remove(db);
  const quarantine = await quarantineSetting.read(db);
  const entry = quarantine?.[meetingId];
  if (quarantine && entry)
    await quarantineSetting.write(db, { ...quarantine, [meetingId]: { ...entry, title: '' } });
  const pending = await batchSetting.read(db);
  // A plain batch of the meeting names events that are gone; its sealed form is sent instead.
  if (pending?.meetingId === meetingId && pending.sealed === undefined) await batchSetting.remove(db);
  const log = await logSetting.read(db);
  if (log?.sentAt && meetingId in log.sentAt) {
    const { [meetingId]: _gone, ...sentAt } = log.sentAt;
    await logSetting.write(db, { ...log, sentAt });
  }
}

export interface PurgeReport {
  purged: string[];
  /** Closed meetings past their window kept readable because they are not sealed (no service key yet). */
  keptNotSealed: string[];
  /** Sealed batches deleted because the service acknowledged them and no plaintext is left. */
  sealedDropped: number;
}

/**
 * The purge run at boot and every minute: meetings past their window (or every closed meeting, when
 * `allClosed`, as after a revocation), then sealed batches acknowledged whose meeting is gone.
 */
export async function purgeExpired(
  db: KioskDb,
  now: Date,
  options: { allClosed?: boolean } = {},
): Promise<PurgeReport> {
  const report: PurgeReport = { purged: [], keptNotSealed: [], sealedDropped: 0 };
  const finished = await db.meetings.where('status').anyOf('closed', 'discarded').toArray();
  for (const row of finished) {
    if (!options.allClosed && isReadable(row, now)) continue;
    const outcome = await purgePlaintext(db, row.id);
    if (outcome === 'purged') report.purged.push(row.id);
    if (outcome === 'kept-not-sealed') report.keptNotSealed.push(row.id);
  }
  report.sealedDropped = await db.transaction('rw', [db.meetings, db.sealed, db.outbox], async () => {
    const acked = await db.sealed.filter((s) => s.ackedAt !== null).toArray();
    let dropped = 0;
    for (const batch of acked) {
      if (await db.meetings.get(batch.meetingId)) continue;
      if ((await db.outbox.where('meetingId').equals(batch.meetingId).count()) > 0) continue;
      await db.sealed.delete([batch.meetingId, batch.firstSeq]);
      dropped += 1;
    }
    return dropped;
  });
  return report;
}

/** Runs the purge now and then every `intervalMs` (default a minute); returns a stop function. */
export function startPurge(
  db: KioskDb,
  options: { now?: () => Date; intervalMs?: number; onError?: (error: unknown) => void } = {},
): () => void {
  const now = options.now ?? (() => new Date());
  let isRunning = false;
  const run = async () => {
    if (isRunning) return;
    isRunning = true;
    try {
      await purgeExpired(db, now());
    } catch (error) {
      options.onError?.(error);
    } finally {
      isRunning = false;
    }
  };
  void run();
  const timer = setInterval(run, options.intervalMs ?? 60_000);
  return () => clearInterval(timer);
}
