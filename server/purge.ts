/**
 * The daily purge (issue 16): removes what has passed its retention period and is not on hold, and writes one
 * audit row per run with counts only, never a name, a title or a meeting id. The service runs it at boot and
 * then every 24 hours.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { audit } from './admin/repo/audit';
import type { Database } from './db/schema';
import { type PurgeOutcome, purgeExpired, type RetentionPolicy } from './retention';

export const DEFAULT_RETENTION: RetentionPolicy = { meetingYears: 25, discardedDays: 30 };
export const PURGE_EVERY_MS = 24 * 60 * 60_000;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** What the audit row says: counts only. */
export function purgeDetail(o: PurgeOutcome): string {
  return `${plural(o.meetings, 'meeting', 'meetings')}, ${plural(o.events, 'event', 'events')}, ${plural(
    o.undertakings,
    'undertaking',
    'undertakings',
  )}; ${o.held} kept on hold`;
}

/** Purges once and audits the run as the system (no account). */
export async function runPurge(
  db: Kysely<Database>,
  policy: RetentionPolicy,
  now: Date,
): Promise<PurgeOutcome> {
  const outcome = await purgeExpired(db, policy, now);
  await audit(
    db,
    { accountId: null, username: 'system', action: 'records.purged', detail: purgeDetail(outcome) },
    now,
  );
  return outcome;
}

/**
 * Runs the purge now and then every `everyMs`; a failed run is logged (its cause, never its data) and the next
 * one tries again, and a run still going when the next is due is not doubled. The timer does not keep the
 * process alive. `stop` ends the schedule and resolves when a run in progress has finished.
 */
export function schedulePurge(
  db: Kysely<Database>,
  policy: RetentionPolicy,
  logger: Logger,
  now: () => Date = () => new Date(),
  everyMs: number = PURGE_EVERY_MS,
): { first: Promise<void>; stop: () => Promise<void> } {
  let running: Promise<void> | null = null;
  const once = (): Promise<void> => {
    running ??= (async () => {
      try {
        const outcome = await runPurge(db, policy, now());
        logger.info({ ...outcome }, 'retention purge done');
      } catch (error) {
        logger.error({ errorName: (error as Error)?.name ?? 'unknown' }, 'retention purge failed');
      } finally {
        running = null;
      }
    })();
    return running;
  };
  const first = once();
  const timer = setInterval(() => void once(), everyMs);
  timer.unref();
  return {
    first,
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
