/**
 * What the records-service benchmarks share: meeting logs to sync (sealed per tablet, as a tablet seals
 * them), a throwaway PostgreSQL 15 cluster (owned by postgres, on 127.0.0.1 only, stopped at the end),
 * free ports, and the raw batched INSERT (unnest) that the ingest is compared with.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import type { OpenDatabase } from '../../server/db/connect';
import type { DomainEvent, EventEnvelope } from '../../src/domain/events';
import type { Signature } from '../../src/domain/model';
import { sealLog } from '../../tests/integration/harness';
import * as s from '../../tests/support/scenario';
import { ROOT, type Row, row, sleep } from './report';

export const HOST = '127.0.0.1';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/**
 * A finger signature of the size a real one has (signature_pad samples a few strokes at ~60 Hz):
 * 3 strokes of 80 points, about 14 kB of JSON. The scenario's 24-point signature would flatter the ingest.
 */
export const REAL_SIGNATURE: Signature = {
  width: 600,
  height: 200,
  strokes: Array.from({ length: 3 }, (_, k) => ({
    points: Array.from({ length: 80 }, (_, i) => ({
      x: Math.round((40 + k * 170 + i * 2.1) * 100) / 100,
      y: Math.round((100 + 60 * Math.sin(i / 7 + k)) * 100) / 100,
      time: 1_700_000_000_000 + k * 2_000 + i * 16,
      pressure: 0.5,
    })),
  })),
};

/**
 * One meeting of exactly 20 events, one of them a signed undertaking: everyone agrees, recording starts,
 * someone leaves, the chair confirms the minute entry and closes the meeting.
 */
export const MEETING_EVENTS: readonly DomainEvent[] = [
  s.opened('meeting'),
  ...[s.people.chair, s.people.mother, s.people.socialWorker, s.people.health].map(s.added),
  s.requested('mother'),
  s.eligible(),
  s.signed('mother', 'hertfordshire', REAL_SIGNATURE),
  ...s.agrees('chair'),
  ...s.agrees('sw'),
  ...s.agrees('health'),
  ...s.screened(),
  s.started,
  s.recordingStarted,
  s.left('health'),
  ...s.confirmedAndClosed,
];
export const EVENTS_PER_MEETING = MEETING_EVENTS.length;

/** `meetings` whole meetings sealed by one tablet, in order. */
export async function tabletLog(deviceId: string, meetings: number): Promise<EventEnvelope[]> {
  const log: EventEnvelope[] = [];
  for (let m = 0; m < meetings; m++) log.push(...(await sealLog(deviceId, MEETING_EVENTS, uuidv7())));
  return log;
}

export function chunks<T>(xs: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < xs.length; i += size) out.push(xs.slice(i, i + size));
  return out;
}

/** Runs `tasks` with at most `limit` at a time. */
export async function pool<T>(limit: number, tasks: readonly (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await (tasks[i] as () => Promise<T>)();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
  return results;
}

/**
 * The baseline of the ingest: the same rows as the sync would store, in ONE statement
 * (INSERT … SELECT FROM unnest(…)), one transaction, into the events table of the same database.
 */
export async function rawInsert(database: OpenDatabase, events: readonly EventEnvelope[]): Promise<number> {
  const col = <K extends keyof EventEnvelope>(k: K) => events.map((e) => e[k]);
  const started = performance.now();
  await database.db.transaction().execute(async (trx) => {
    await sql`
      insert into events (id, meeting_id, seq, device_id, type, at, prev_hash, hash, envelope)
      select * from unnest(
        ${col('id')}::text[], ${col('meetingId')}::text[], ${col('seq')}::int[], ${col('deviceId')}::text[],
        ${col('type')}::text[], ${col('at')}::text[], ${col('prevHash')}::text[], ${col('hash')}::text[],
        ${events.map((e) => JSON.stringify(e))}::jsonb[]
      )`.execute(trx);
  });
  return performance.now() - started;
}

export interface Postgres {
  /** Base URL, with the postgres database; make databases of your own under it. */
  url: string;
  stop: () => void;
}

const PG_BIN = '/usr/lib/postgresql/15/bin';

/**
 * PostgreSQL for the benchmarks: BENCH_DATABASE_URL when set (left running), else a throwaway cluster
 * in a temp dir, run as user postgres (initdb refuses root), listening on 127.0.0.1 only; `stop()` stops
 * it and removes the directory. Returns null when the binaries are missing.
 */
export async function startPostgres(): Promise<Postgres | null> {
  if (process.env.BENCH_DATABASE_URL) return { url: process.env.BENCH_DATABASE_URL, stop: () => {} };
  if (!existsSync(join(PG_BIN, 'initdb'))) return null;
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ck-bench-pg-'));
  const asPostgres = (cmd: string) =>
    execFileSync(
      process.getuid?.() === 0 ? 'su' : 'sh',
      process.getuid?.() === 0 ? ['postgres', '-c', cmd] : ['-c', cmd],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
  if (process.getuid?.() === 0) execFileSync('chown', ['postgres', dir]);
  asPostgres(`${PG_BIN}/initdb -D ${dir}/data -U postgres --auth=trust >/dev/null`);
  asPostgres(
    `${PG_BIN}/pg_ctl -D ${dir}/data -l ${dir}/log -w -o '-c listen_addresses=${HOST} -p ${port} -k ${dir}' start >/dev/null`,
  );
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    try {
      asPostgres(`${PG_BIN}/pg_ctl -D ${dir}/data -m fast -w stop >/dev/null`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  process.once('exit', stop);
  return { url: `postgres://postgres@${HOST}:${port}/postgres`, stop };
}

/** A new, empty database on the cluster; returns its URL. */
export async function createDatabase(baseUrl: string, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropDatabase(baseUrl: string, name: string): Promise<void> {
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.end();
}

/**
 * Runs a benchmark against PGlite, then PostgreSQL (or only the one `only` names), starting PostgreSQL for
 * it and stopping it after; where there are no PostgreSQL binaries, a row says that it was not measured.
 */
export async function forEachDatabase(
  only: string | undefined | null,
  figure: string,
  rows: Row[],
  run: (kind: 'pglite' | 'postgres', pgServer: Postgres | null) => Promise<void>,
): Promise<void> {
  const pgServer = only === 'pglite' ? null : await startPostgres();
  try {
    for (const kind of ['pglite', 'postgres'] as const) {
      if (only && only !== kind) continue;
      if (kind === 'postgres' && !pgServer) {
        rows.push(
          row({
            figure,
            value: null,
            baseline: null,
            unit: '',
            target: '',
            note: 'not measured: no PostgreSQL binaries',
          }),
        );
        continue;
      }
      await run(kind, pgServer);
    }
  } finally {
    pgServer?.stop();
  }
}

export interface Service {
  url: string;
  child: ChildProcess;
  stop: () => Promise<void>;
}

/**
 * The records service as deployed (`tsx server/main.ts`, its own process group, on a free 127.0.0.1 port),
 * with the first administrator from ADMIN_PASSWORD; `preload` modules are loaded into it first (e.g. a probe
 * of the sync path's step timings). Resolves once /api/v1/health answers.
 */
export async function startService(
  env: Record<string, string>,
  adminPassword: string,
  preload: readonly string[] = [],
): Promise<Service> {
  const port = await freePort();
  const imports = preload.flatMap((p) => ['--import', p]);
  const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), [...imports, 'server/main.ts'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: {
      ...process.env,
      ...env,
      PORT: String(port),
      HOST,
      ADMIN_PASSWORD: adminPassword,
      LOG_LEVEL: 'info',
    },
  });
  let stderr = '';
  child.stderr?.on('data', (c: Buffer) => {
    stderr += c.toString();
  });
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const stop = async () => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => {
      if (child.pid) process.kill(-child.pid, 'SIGKILL');
    }, 8_000);
    await exited;
    clearTimeout(timer);
  };
  const url = `http://${HOST}:${port}`;
  const deadline = Date.now() + 90_000; // PGlite starts slowly on a busy machine
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`);
    try {
      if ((await fetch(`${url}/api/v1/health`)).ok) return { url, child, stop };
    } catch {
      // not up yet
    }
    await sleep(100);
  }
  await stop();
  throw new Error(`server did not start: ${stderr}`);
}
