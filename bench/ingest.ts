/**
 * Sync ingest (issue 7, figure 4): 10,000 events (500 meetings of 20, each with one signed undertaking,
 * so 500 signatures) pushed by 10 enrolled tablets through the real HTTP sync endpoint (createApp served by
 * @hono/node-server on 127.0.0.1, plain fetch, batches of MAX_SYNC_BATCH, each tablet's batches in order,
 * at most 4 tablets at once), against ONE batched INSERT … SELECT FROM unnest(…) of the same rows into the
 * events table of the same database (median of 3, the table truncated between). For PGlite (in a temp dir)
 * and for PostgreSQL 15 (a throwaway cluster). Target: at most 5x the raw insert.
 *
 *   npx tsx bench/ingest.ts [--only pglite|postgres]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { type OpenDatabase, openDatabase } from '../server/db/connect';
import type { EventEnvelope } from '../src/domain/events';
import { MAX_SYNC_BATCH, PROTOCOL_VERSION } from '../src/domain/protocol';
import { adminCookie, type Device, enrol, makeHarness, newCode } from '../tests/integration/harness';
import { median, type Row, report, row } from './support/report';
import {
  chunks,
  createDatabase,
  dropDatabase,
  EVENTS_PER_MEETING,
  freePort,
  HOST,
  pool,
  rawInsert,
  startPostgres,
  tabletLog,
} from './support/server';

const TABLETS = 10;
const MEETINGS_PER_TABLET = 50;
const CONCURRENCY = 4;
const RAW_REPEATS = 3;
const TARGET = 5;
const PASSWORD = 'bench-admin-password';

interface Tablet {
  deviceId: string;
  log: EventEnvelope[];
}

async function count(database: OpenDatabase, table: 'events' | 'undertakings'): Promise<number> {
  const r = await database.db
    .selectFrom(table)
    .select(database.db.fn.countAll<string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

async function measure(kind: 'pglite' | 'postgres', tablets: Tablet[], pgUrl: string | null) {
  const dataDir = kind === 'pglite' ? mkdtempSync(join(tmpdir(), 'ck-bench-pglite-')) : null;
  const database = await openDatabase(
    kind === 'pglite'
      ? { kind, dataDir }
      : { kind, url: await createDatabase(pgUrl as string, `ck_bench_ingest_${process.pid}`) },
  );
  const h = await makeHarness(kind, { database, adminPassword: PASSWORD });
  try {
    const cookie = await adminCookie(h, PASSWORD);
    const devices: Device[] = [];
    for (const [i, t] of tablets.entries())
      devices.push(await enrol(h, await newCode(h, cookie), `Bench ${i + 1}`, t.deviceId));
    const all = tablets.flatMap((t) => t.log);

    // Baseline: the same rows in one statement, then the table is emptied again (TRUNCATE: fresh files, no bloat).
    const raw: number[] = [];
    for (let i = 0; i < RAW_REPEATS; i++) {
      raw.push(await rawInsert(database, all));
      if ((await count(database, 'events')) !== all.length) throw new Error('raw insert lost rows');
      await sql`truncate events cascade`.execute(database.db);
    }

    // The real endpoint, over HTTP.
    const port = await freePort();
    const server = serve({ fetch: h.app.fetch, port, hostname: HOST });
    const url = `http://${HOST}:${port}/api/v1/sync`;
    const latencies: number[] = [];
    let errors = 0;
    const bodies = tablets.map((t, i) =>
      chunks(t.log, MAX_SYNC_BATCH).map((events) => ({
        token: (devices[i] as Device).token,
        body: JSON.stringify({ protocolVersion: PROTOCOL_VERSION, deviceId: t.deviceId, events }),
      })),
    );
    const started = performance.now();
    await pool(
      CONCURRENCY,
      bodies.map((batches) => async () => {
        for (const b of batches) {
          const t0 = performance.now();
          const res = await fetch(url, {
            method: 'POST',
            headers: {
              'Content-Type': 'application/json',
              Authorization: `Bearer ${b.token}`,
              'Idempotency-Key': uuidv7(),
            },
            body: b.body,
          });
          await res.arrayBuffer();
          latencies.push(performance.now() - t0);
          if (res.status !== 200) errors++;
        }
      }),
    );
    const http = performance.now() - started;
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const held = await count(database, 'events');
    const signatures = await count(database, 'undertakings');
    return {
      http,
      raw: median(raw),
      rawRuns: raw,
      batches: latencies.length,
      batchMedian: median(latencies),
      errors,
      held,
      signatures,
      sent: all.length,
    };
  } finally {
    await h.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (kind === 'postgres' && pgUrl) {
      await dropDatabase(pgUrl, `ck_bench_ingest_${process.pid}`).catch(() => {});
    }
  }
}

async function main() {
  const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : null;
  const sealStart = performance.now();
  const tablets: Tablet[] = [];
  for (let i = 0; i < TABLETS; i++) {
    const deviceId = `bench-tablet-${String(i + 1).padStart(2, '0')}`;
    tablets.push({ deviceId, log: await tabletLog(deviceId, MEETINGS_PER_TABLET) });
  }
  const total = TABLETS * MEETINGS_PER_TABLET * EVENTS_PER_MEETING;
  const signed = tablets.flatMap((t) => t.log).filter((e) => e.type === 'undertaking.signed').length;
  const bytes = tablets.flatMap((t) => t.log).reduce((n, e) => n + JSON.stringify(e).length, 0);
  console.log(
    `sealed ${total} events (${signed} with signatures, ${(bytes / 1e6).toFixed(1)} MB of JSON) for ${TABLETS} tablets in ${Math.round(performance.now() - sealStart)} ms`,
  );

  const rows: Row[] = [];
  const details: Record<string, unknown> = { tablets: TABLETS, events: total, signatures: signed, bytes };
  const pgServer = only === 'pglite' ? null : await startPostgres();
  try {
    for (const kind of ['pglite', 'postgres'] as const) {
      if (only && only !== kind) continue;
      if (kind === 'postgres' && !pgServer) {
        rows.push(
          row({
            figure: `ingest ${total} events via HTTP (postgres)`,
            value: null,
            baseline: null,
            unit: 'ms',
            target: `<= ${TARGET}x raw`,
            note: 'not measured: no PostgreSQL binaries in /usr/lib/postgresql/15/bin',
          }),
        );
        continue;
      }
      const m = await measure(kind, tablets, pgServer?.url ?? null);
      details[kind] = m;
      const ok = m.errors === 0 && m.held === m.sent && m.signatures === signed;
      rows.push(
        row({
          figure: `ingest ${total} events via HTTP (${kind})`,
          value: m.http,
          baseline: m.raw,
          unit: 'ms',
          target: `<= ${TARGET}x raw unnest INSERT`,
          met: ok ? m.http / m.raw <= TARGET : false,
          note: `${Math.round((m.sent / m.http) * 1000)} events/s, ${m.batches} batches (median ${m.batchMedian.toFixed(0)} ms), ${m.errors} errors, server holds ${m.held}/${m.sent} events and ${m.signatures} undertakings; raw runs ${m.rawRuns.map((r) => r.toFixed(0)).join(', ')} ms`,
        }),
      );
    }
  } finally {
    pgServer?.stop();
  }
  await report('ingest', rows, details);
}

await main();
