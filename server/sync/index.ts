/**
 * The sync path, as named steps: validate (no database), then in ONE transaction lock, plan, write,
 * project; then commit. The same event sent again is acknowledged again; the same id with other content is
 * a conflict. A batch costs the same few statements however many meetings and events it holds, and the
 * same time however much of its meetings is already held.
 */
import { channel } from 'node:diagnostics_channel';
import type { Transaction } from 'kysely';
import type { EventEnvelope, SyncResponse } from '../../src/domain';
import type { OpenDatabase } from '../db/connect';
import type { Database } from '../db/schema';
import { SyncError } from './errors';
import { heldEvents, lockHeads, recordGap } from './lock';
import { type Accepted, planBatch } from './plan';
import { project, writeProjection } from './project';
import { groupBatch } from './validate';
import { writeEvents } from './write';

export { STATUS_OF, SyncError } from './errors';
export { loadLog } from './log';
export { checkEnvelopes } from './validate';

/**
 * Where one accepted batch's time went, in milliseconds: waiting for a connection and BEGIN, locking the
 * heads and looking up held events, replaying the new events (plan), inserting them (write), the
 * projections and the device's last-seen time (project), and COMMIT.
 */
export interface SyncTimings {
  begin: number;
  lock: number;
  plan: number;
  write: number;
  project: number;
  commit: number;
  total: number;
}

export const SYNC_STEPS = ['begin', 'lock', 'plan', 'write', 'project', 'commit'] as const;

/**
 * Every accepted batch's outcome with its timings, for whoever subscribes (a profiler, the load benchmark);
 * publishing costs nothing while nobody does. Counts and timings only: no id, name or content.
 */
export const SYNC_BATCH_CHANNEL = 'consent-kiosk:sync:batch';
const batchChannel = channel(SYNC_BATCH_CHANNEL);

export interface SyncBatchMessage {
  events: number;
  inserted: number;
  meetings: number;
  timings: SyncTimings;
}

export interface SyncOutcome {
  response: SyncResponse;
  inserted: number;
  meetings: number;
  timings: SyncTimings;
}

export async function acceptBatch(
  database: OpenDatabase,
  deviceId: string,
  events: EventEnvelope[],
  now: () => Date = () => new Date(),
  /** The tablet's clock as it sent the batch, if it said. */
  sentAt: string | null = null,
  /** Written in the same transaction once the batch is (the records service's own batches: issue 19). */
  within?: (trx: Transaction<Database>) => Promise<void>,
): Promise<SyncOutcome> {
  const started = performance.now();
  const { groups, meetingIds } = groupBatch(events);
  const t = { begin: 0, lock: 0, plan: 0, write: 0, project: 0, commit: 0 };
  let mark = started;
  const lap = (step: keyof typeof t) => {
    const at = performance.now();
    t[step] += at - mark;
    mark = at;
  };

  let accepted: Accepted[];
  try {
    accepted = await database.db.transaction().execute(async (trx) => {
      lap('begin');
      // Only a batch with a meeting's first event may create it (else it is a gap, and nothing is stored).
      const creating = meetingIds.filter((id) => groups.get(id)?.[0]?.event.seq === 1);
      const heads = await lockHeads(trx, meetingIds, creating);
      const resent = [...groups.values()]
        .flat()
        .filter(({ event }) => event.seq <= (heads.get(event.meetingId)?.head_seq ?? 0))
        .map(({ event }) => event.id);
      const held = await heldEvents(trx, resent);
      lap('lock');
      const planned = await planBatch(trx, deviceId, groups, heads, held);
      lap('plan');
      const fresh = planned.flatMap((a) => a.fresh);
      if (fresh.length > 0) await writeEvents(trx, deviceId, fresh, now(), sentAt);
      lap('write');
      if (fresh.length > 0) await writeProjection(trx, deviceId, project(planned), new Date(), now());
      else await trx.updateTable('devices').set({ last_seen_at: now() }).where('id', '=', deviceId).execute();
      if (within) await within(trx);
      lap('project');
      return planned;
    });
    lap('commit');
  } catch (error) {
    if (error instanceof SyncError && error.code === 'gap' && error.detail.meetingId) {
      await recordGap(
        database,
        error.detail.meetingId,
        deviceId,
        error.detail.expectedSeq ?? 0,
        error.detail.receivedSeq ?? 0,
      );
    }
    throw error;
  }
  const outcome: SyncOutcome = {
    response: {
      acknowledged: events.map((e) => ({ id: e.id, meetingId: e.meetingId, seq: e.seq })),
      serverTime: now().toISOString(),
    },
    inserted: accepted.reduce((n, a) => n + a.fresh.length, 0),
    meetings: groups.size,
    timings: { ...t, total: performance.now() - started },
  };
  if (batchChannel.hasSubscribers) {
    const { inserted, meetings, timings } = outcome;
    batchChannel.publish({ events: events.length, inserted, meetings, timings } satisfies SyncBatchMessage);
  }
  return outcome;
}
