/**
 * Batch cost against what is held (issue 13): one batch of 4 events appended to a meeting that holds 20
 * events, against the same batch appended to one that holds 2,000. The sync path must cost the same however
 * long the meeting already is (target: the 2,000-event batch at most 1.5x the 20-event one, same run). Timed
 * in process: checkEnvelopes + acceptBatch, as the sync route runs them, with acceptBatch's own per-step
 * timings. The long meetings go on with attendees leaving and coming back, so their minute entries grow as
 * a real one would. Samples of the two sizes are interleaved, so a neighbour's load falls on both alike.
 * For PGlite (a temp dir) and PostgreSQL 15 (BENCH_DATABASE_URL or a throwaway cluster).
 *
 *   npx tsx bench/batchcost.ts [--meetings 3] [--appends 4] [--only pglite|postgres]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { type OpenDatabase, openDatabase } from '../server/db/connect';
import { migrateToLatest } from '../server/db/migrations';
import * as sync from '../server/sync';
import type { DomainEvent, EventEnvelope } from '../src/domain/events';
import { MAX_SYNC_BATCH } from '../src/domain/protocol';
import { sealLog } from '../tests/integration/harness';
import * as s from '../tests/support/scenario';
import { median, type Row, report, row } from './support/report';
import {
  chunks,
  createDatabase,
  dropDatabase,
  forEachDatabase,
  MEETING_EVENTS,
  type Postgres,
} from './support/server';

const arg = (name: string, fallback: string) =>
  process.argv.includes(`--${name}`)
    ? (process.argv[process.argv.indexOf(`--${name}`) + 1] ?? fallback)
    : fallback;
const MEETINGS = Number(arg('meetings', '3'));
const APPENDS = Number(arg('appends', '4'));
const ONLY = arg('only', '');
const SMALL = 20;
const LARGE = 2_000;
const TARGET = 1.5;
const DEVICE = 'bench-batchcost';

/** The meeting under way, recording, health gone: 18 events. Then the social worker steps out and back. */
const OPENING: readonly DomainEvent[] = [...MEETING_EVENTS.slice(0, -3), s.left('health')];
const STEP_OUT: readonly DomainEvent[] = [s.left('sw'), s.returned('sw')];

interface Meeting {
  held: number;
  last: EventEnvelope;
}

/** A meeting holding `size` events, synced in batches of the largest size (not timed). */
async function holdMeeting(database: OpenDatabase, size: number): Promise<Meeting> {
  const cycles = (size - OPENING.length) / STEP_OUT.length;
  const events = [...OPENING, ...Array.from({ length: cycles }, () => STEP_OUT).flat()];
  const log = await sealLog(DEVICE, events, uuidv7());
  for (const batch of chunks(log, MAX_SYNC_BATCH)) await sync.acceptBatch(database, DEVICE, batch);
  return { held: log.length, last: log.at(-1) as EventEnvelope };
}

interface Sample {
  total: number;
  steps: Record<string, number>;
}

/** One batch of 4 events appended, timed as the route runs it: envelopes checked, then accepted. */
async function append(database: OpenDatabase, meeting: Meeting): Promise<Sample> {
  const batch = await sealLog(DEVICE, [...STEP_OUT, ...STEP_OUT], meeting.last.meetingId, meeting.last);
  const t0 = performance.now();
  const events = await sync.checkEnvelopes(batch, DEVICE);
  const validate = performance.now() - t0;
  const outcome = await sync.acceptBatch(database, DEVICE, events);
  const total = performance.now() - t0;
  if (outcome.inserted !== batch.length) throw new Error(`appended ${outcome.inserted} of ${batch.length}`);
  meeting.held += batch.length;
  meeting.last = batch.at(-1) as EventEnvelope;
  // Older versions of the sync path have no per-step timings: the bench still compares their totals.
  const timings = (outcome as unknown as { timings?: Record<string, number> }).timings ?? {};
  return { total, steps: { validate, ...timings } };
}

async function measure(kind: 'pglite' | 'postgres', pgServer: Postgres | null) {
  const dataDir = mkdtempSync(join(tmpdir(), 'ck-bench-batchcost-'));
  const dbName = `ck_bench_batchcost_${process.pid}`;
  const url = kind === 'postgres' ? await createDatabase((pgServer as Postgres).url, dbName) : null;
  const database = await openDatabase(url ? { kind: 'postgres', url } : { kind: 'pglite', dataDir });
  try {
    await migrateToLatest(database.db);
    await database.db
      .insertInto('devices')
      .values({ id: DEVICE, label: 'Batch cost', token_hash: 'not-a-token' })
      .execute();
    const small: Meeting[] = [];
    const large: Meeting[] = [];
    for (let m = 0; m < MEETINGS; m++) {
      small.push(await holdMeeting(database, SMALL));
      large.push(await holdMeeting(database, LARGE));
    }
    // Warm-up: one append to each, not counted.
    for (const m of [...small, ...large]) await append(database, m);
    const samples = { small: [] as Sample[], large: [] as Sample[] };
    for (let a = 0; a < APPENDS; a++) {
      for (let m = 0; m < MEETINGS; m++) {
        samples.small.push(await append(database, small[m] as Meeting));
        samples.large.push(await append(database, large[m] as Meeting));
      }
    }
    const summary = (xs: Sample[]) => {
      const steps = Object.keys(xs[0]?.steps ?? {});
      return {
        ms: median(xs.map((x) => x.total)),
        steps: Object.fromEntries(steps.map((k) => [k, median(xs.map((x) => x.steps[k] ?? 0))])),
      };
    };
    return { small: summary(samples.small), large: summary(samples.large), samples: samples.small.length };
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (pgServer && url) await dropDatabase(pgServer.url, dbName).catch(() => {});
  }
}

const fmtSteps = (steps: Record<string, number>) =>
  Object.entries(steps)
    .map(([k, v]) => `${k} ${v.toFixed(1)}`)
    .join(', ');

async function main() {
  const rows: Row[] = [];
  const details: Record<string, unknown> = {
    meetings: MEETINGS,
    appends: APPENDS,
    small: SMALL,
    large: LARGE,
  };
  await forEachDatabase(ONLY, 'batch cost (postgres)', rows, async (kind, pgServer) => {
    console.log(`${kind}: ${MEETINGS} meetings of ${SMALL} and of ${LARGE} events, ${APPENDS} batches each…`);
    const m = await measure(kind, pgServer);
    details[kind] = m;
    rows.push(
      row({
        figure: `batch of 4 onto ${LARGE} held vs onto ${SMALL} held (${kind})`,
        value: m.large.ms,
        baseline: m.small.ms,
        unit: 'ms',
        target: `<= ${TARGET}x`,
        met: m.large.ms <= TARGET * m.small.ms,
        note: `median of ${m.samples} each; steps (ms, medians) with ${SMALL} held: ${fmtSteps(m.small.steps)}; with ${LARGE} held: ${fmtSteps(m.large.steps)}`,
      }),
    );
  });
  await report('batchcost', rows, details);
}

await main();
