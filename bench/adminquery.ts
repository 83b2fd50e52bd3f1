/**
 * The admin meetings list at 100,000 meetings (issue 17): the list's query (server/admin/repo/meetings.ts,
 * as the page runs it) for the first page, a filtered page, a deep page (90,000 meetings in, by its keyset
 * link), the meetings with missing events (20 of them) and two searches (a title that matches once, a chair
 * of 2% of the meetings), each against a same-run baseline: one meeting read by its primary key. The
 * meetings are seeded straight into the projection table in one statement (the list reads nothing else).
 * Samples of every figure are interleaved, so a neighbour's load falls on all alike. Each query's plan is
 * printed: which indexes it reads (a search reads the trigram indexes of migration 0010_title_search); then
 * the trigram indexes are dropped and the searches timed again, in the same run.
 * For PGlite (a temp dir) and PostgreSQL 15: BENCH_DATABASE_URL (a base URL, e.g. the test cluster's
 * .../postgres: the bench makes and drops a database of its own there), else a throwaway cluster.
 *
 *   npx tsx bench/adminquery.ts [--meetings 100000] [--samples 15] [--only pglite|postgres]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import {
  listMeetings,
  type MeetingFilters,
  meetingsPageQuery,
  parseCursor,
} from '../server/admin/repo/meetings';
import { openDatabase } from '../server/db/connect';
import { migrateToLatest } from '../server/db/migrations';
import { median, type Row, report, row } from './support/report';
import { createDatabase, dropDatabase, forEachDatabase, type Postgres } from './support/server';

const arg = (name: string, fallback: string) =>
  process.argv.includes(`--${name}`)
    ? (process.argv[process.argv.indexOf(`--${name}`) + 1] ?? fallback)
    : fallback;
const MEETINGS = Number(arg('meetings', '100000'));
const SAMPLES = Number(arg('samples', '15'));
const ONLY = arg('only', '');
const DEVICES = 10;
/** A list page may cost this many primary-key reads (a page of 50 rows with their states, in words). */
const TARGET = 20;

/** Meetings spread over four years, of every kind, outcome and state, on ten tablets. */
const SEED = sql`
  insert into meetings (id, head_seq, head_hash, phase, title, kind, scheduled_at, scheduled_for, is_closed,
    outcome, chair, writer_device_id, updated_at)
  select lpad(to_hex(i), 8, '0') || '-0000-7000-8000-' || lpad(to_hex(i), 12, '0'), 20, repeat('a', 64),
    case when i % 5 = 0 then 'discussing.recording' else 'closed' end,
    'Meeting ' || i,
    (array['conversation', 'meeting', 'child-protection-conference', 'looked-after-child-review'])[1 + i % 4],
    to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"+00:00"'), t, i % 5 <> 0,
    (array['', 'pending', 'permitted', 'not-permitted', 'permitted', 'awaiting-authorisation'])[1 + i % 6],
    'Chair ' || (i % 50), 'bench-device-' || (i % ${DEVICES}), t
  from generate_series(1, ${sql.lit(MEETINGS)}) as i,
    lateral (select timestamptz '2023-01-01 00:00+00' + i * interval '21 minutes' as t) as s`;

async function measure(kind: 'pglite' | 'postgres', pgServer: Postgres | null) {
  const dataDir = mkdtempSync(join(tmpdir(), 'ck-bench-adminquery-'));
  const dbName = `ck_bench_adminquery_${process.pid}`;
  const url = kind === 'postgres' ? await createDatabase((pgServer as Postgres).url, dbName) : null;
  const database = await openDatabase(url ? { kind: 'postgres', url } : { kind: 'pglite', dataDir });
  const { db } = database;
  try {
    await migrateToLatest(db);
    await db
      .insertInto('devices')
      .values(
        Array.from({ length: DEVICES }, (_, d) => ({
          id: `bench-device-${d}`,
          label: `Tablet ${d}`,
          token_hash: `not-a-token-${d}`,
        })),
      )
      .execute();
    const t0 = performance.now();
    await SEED.execute(db);
    // A few meetings with missing events, as a real service holds.
    await sql`insert into sync_gaps (meeting_id, device_id, expected_seq, received_seq)
      select id, writer_device_id, 21, 25 from meetings where head_seq > 0 order by id limit 20`.execute(db);
    await sql`analyze`.execute(db);
    const seedMs = performance.now() - t0;
    const deep = await sql<{ cursor: string }>`
      select to_char(scheduled_for at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US') || 'Z_' || id as cursor
      from meetings order by scheduled_for desc, id desc offset ${Math.floor(MEETINGS * 0.9)} limit 1`.execute(
      db,
    );
    const deepCursor = parseCursor(deep.rows[0]?.cursor ?? '');
    if (!deepCursor) throw new Error('no cursor 90% in');
    const oneId = `${(MEETINGS >> 1).toString(16).padStart(8, '0')}-0000-7000-8000-${(MEETINGS >> 1).toString(16).padStart(12, '0')}`;
    const pages: Record<string, MeetingFilters> = {
      'first page': {},
      'filtered page (kind, outcome, tablet, a year)': {
        kind: 'child-protection-conference',
        outcome: 'permitted',
        tablet: 'bench-device-2',
        from: '2024-01-01',
        to: '2024-12-31',
      },
      'deep page (90% in, by its link)': { after: deepCursor },
      'sync state: missing events (20 meetings)': { sync: 'missing' },
      'search of titles and chairs (one match)': { q: `Meeting ${MEETINGS >> 1}` },
      'search of titles and chairs (a chair: 2% of meetings)': { q: 'Chair 7' },
    };
    const timed = async (run: () => Promise<unknown>) => {
      const start = performance.now();
      await run();
      return performance.now() - start;
    };
    const baseline = () =>
      db.selectFrom('meetings').selectAll().where('id', '=', oneId).executeTakeFirstOrThrow();
    /** The indexes a page's plan reads (none: it reads every row). */
    const indexesOf = async (filters: MeetingFilters) => {
      const plan = await sql<{ 'QUERY PLAN': string }>`explain ${meetingsPageQuery(filters)}`.execute(db);
      const text = plan.rows.map((r) => r['QUERY PLAN']).join('\n');
      const scans = text.matchAll(/(?:Index(?: Only)? Scan(?: Backward)? using|Bitmap Index Scan on) (\w+)/g);
      return [...new Set([...scans].map((m) => m[1] as string))];
    };
    /** Medians of interleaved samples of the baseline and each page, with the indexes each plan reads. */
    const sampleAll = async (which: Record<string, MeetingFilters>) => {
      // Warm-up, not counted; and each page must hold what it says.
      await baseline();
      const plans: Record<string, string[]> = {};
      for (const [name, filters] of Object.entries(which)) {
        const page = await listMeetings(db, filters);
        if (page.rows.length === 0) throw new Error(`${name}: no rows`);
        plans[name] = await indexesOf(filters);
        console.log(`${kind}, ${name}: reads ${plans[name]?.join(', ') || 'no index (every row)'}`);
      }
      const samples: Record<string, number[]> = { baseline: [] };
      for (const name of Object.keys(which)) samples[name] = [];
      for (let i = 0; i < SAMPLES; i++) {
        samples.baseline?.push(await timed(baseline));
        for (const [name, filters] of Object.entries(which))
          samples[name]?.push(await timed(() => listMeetings(db, filters)));
      }
      return {
        plans,
        baselineMs: median(samples.baseline ?? []),
        pages: Object.fromEntries(Object.keys(which).map((name) => [name, median(samples[name] ?? [])])),
      };
    };
    const withIndexes = await sampleAll(pages);
    // The same searches in the same run without the trigram indexes (as before 0010_title_search).
    await sql`drop index meetings_title_trgm_idx, meetings_chair_trgm_idx`.execute(db);
    const searches = Object.entries(pages).filter(([name]) => name.startsWith('search'));
    const without = await sampleAll(
      Object.fromEntries(searches.map(([name, f]) => [`${name}, without the trigram indexes`, f])),
    );
    return { seedMs, runs: [withIndexes, without] };
  } finally {
    await database.close();
    rmSync(dataDir, { recursive: true, force: true });
    if (pgServer && url) await dropDatabase(pgServer.url, dbName).catch(() => {});
  }
}

async function main() {
  const rows: Row[] = [];
  const details: Record<string, unknown> = { meetings: MEETINGS, samples: SAMPLES, target: TARGET };
  await forEachDatabase(ONLY, 'admin meetings list (postgres)', rows, async (kind, pgServer) => {
    console.log(`${kind}: seeding ${MEETINGS} meetings, then ${SAMPLES} samples of each query…`);
    const m = await measure(kind, pgServer);
    details[kind] = m;
    for (const run of m.runs)
      for (const [name, ms] of Object.entries(run.pages)) {
        const indexes = run.plans[name]?.join(', ') || 'no index';
        rows.push(
          row({
            figure: `meetings list at ${MEETINGS.toLocaleString('en-GB')}: ${name} (${kind})`,
            value: ms,
            baseline: run.baselineMs,
            unit: 'ms',
            target: `<= ${TARGET}x one meeting by id`,
            met: ms <= TARGET * run.baselineMs,
            note: `median of ${SAMPLES}; baseline: one meeting read by its primary key; reads ${indexes}`,
          }),
        );
      }
  });
  await report('adminquery', rows, details);
}

await main();
