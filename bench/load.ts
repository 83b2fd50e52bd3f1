/**
 * Load (issue 7, figure 5): 50 simulated tablets syncing at once for 60 seconds against the records service
 * run as it is deployed (`tsx server/main.ts` in its own process, on a free 127.0.0.1 port, logging at info
 * to /dev/null). Each tablet is enrolled with its own device id (admin login, one-time code, enrol: all over
 * HTTP) and seals its own meetings (20 events, one signed undertaking each) as it goes; it sends them with
 * plain fetch in batches of 4 events, in order, the next request as soon as the last is answered (closed
 * loop, no think time). Reports p50/p99 request latency, errors (target: none), and whether the server then
 * holds exactly the events that were acknowledged, per tablet. For PGlite and for PostgreSQL 15.
 *
 *   npx tsx bench/load.ts [--seconds 60] [--tablets 50] [--only pglite|postgres]
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { openDatabase } from '../server/db/connect';
import type { EventEnvelope } from '../src/domain/events';
import { PROTOCOL_VERSION } from '../src/domain/protocol';
import { quantile, ROOT, type Row, report, row, sleep } from './support/report';
import {
  chunks,
  createDatabase,
  dropDatabase,
  freePort,
  HOST,
  type Postgres,
  startPostgres,
  tabletLog,
} from './support/server';

const arg = (name: string, fallback: string) =>
  process.argv.includes(`--${name}`)
    ? (process.argv[process.argv.indexOf(`--${name}`) + 1] ?? fallback)
    : fallback;
const SECONDS = Number(arg('seconds', '60'));
const TABLETS = Number(arg('tablets', '50'));
const ONLY = arg('only', '');
const BATCH = 4;
const REQUEST_TIMEOUT_MS = 30_000;
const PASSWORD = 'bench-admin-password';

interface Server {
  url: string;
  child: ChildProcess;
  stop: () => Promise<void>;
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const port = await freePort();
  const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['server/main.ts'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env, PORT: String(port), HOST, ADMIN_PASSWORD: PASSWORD, LOG_LEVEL: 'info' },
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
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited: ${stderr}`);
    try {
      const res = await fetch(`${url}/api/v1/health`);
      if (res.ok) return { url, child, stop };
    } catch {
      // not up yet
    }
    await sleep(100);
  }
  await stop();
  throw new Error(`server did not start: ${stderr}`);
}

async function enrolTablets(url: string, count: number) {
  const login = await fetch(`${url}/admin/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: 'admin', password: PASSWORD }).toString(),
    redirect: 'manual',
  });
  const cookie = /ck_admin=([^;]+)/.exec(login.headers.get('Set-Cookie') ?? '')?.[1];
  if (!cookie) throw new Error(`admin login failed: ${login.status}`);
  const tablets: { deviceId: string; token: string }[] = [];
  for (let i = 0; i < count; i++) {
    const page = await fetch(`${url}/admin/codes`, {
      method: 'POST',
      headers: { Cookie: `ck_admin=${cookie}` },
      redirect: 'manual',
    });
    const code = /<p class="code" role="status">([A-Z0-9-]+)<\/p>/.exec(await page.text())?.[1];
    if (!code) throw new Error(`no enrolment code (${page.status})`);
    const deviceId = `load-tablet-${String(i + 1).padStart(3, '0')}`;
    const res = await fetch(`${url}/api/v1/devices/enrol`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ protocolVersion: PROTOCOL_VERSION, code, label: `Load ${i + 1}`, deviceId }),
    });
    if (res.status !== 201) throw new Error(`enrol failed: ${res.status} ${await res.text()}`);
    tablets.push((await res.json()) as { deviceId: string; token: string });
  }
  return tablets;
}

interface TabletResult {
  deviceId: string;
  acknowledged: number;
  sent: number;
  requests: number;
  errors: string[];
  latencies: number[];
}

/** One tablet: seals a meeting at a time and sends it in order, until the deadline. */
async function runTablet(url: string, tablet: { deviceId: string; token: string }, deadline: number) {
  const r: TabletResult = {
    deviceId: tablet.deviceId,
    acknowledged: 0,
    sent: 0,
    requests: 0,
    errors: [],
    latencies: [],
  };
  // Bounded: at most deadline, and at most 10,000 requests per tablet.
  while (Date.now() < deadline && r.requests < 10_000) {
    const meeting: EventEnvelope[] = await tabletLog(tablet.deviceId, 1);
    for (const events of chunks(meeting, BATCH)) {
      if (Date.now() >= deadline) break;
      const key = uuidv7();
      const body = JSON.stringify({ protocolVersion: PROTOCOL_VERSION, deviceId: tablet.deviceId, events });
      const t0 = performance.now();
      r.requests++;
      r.sent += events.length;
      try {
        const res = await fetch(`${url}/api/v1/sync`, {
          method: 'POST',
          headers: {
            'Content-Type': 'application/json',
            Authorization: `Bearer ${tablet.token}`,
            'Idempotency-Key': key,
          },
          body,
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
        const text = await res.text();
        r.latencies.push(performance.now() - t0);
        if (res.status === 200) {
          r.acknowledged += (JSON.parse(text) as { acknowledged: unknown[] }).acknowledged.length;
        } else {
          r.errors.push(`HTTP ${res.status}: ${text.slice(0, 200)}`);
          break; // the rest of this meeting would be a gap
        }
      } catch (error) {
        r.latencies.push(performance.now() - t0);
        r.errors.push(String(error));
        break;
      }
    }
  }
  return r;
}

async function heldPerDevice(kind: 'pglite' | 'postgres', where: string): Promise<Map<string, number>> {
  const database = await openDatabase(
    kind === 'pglite' ? { kind, dataDir: where } : { kind: 'postgres', url: where },
  );
  try {
    const rows = await database.db
      .selectFrom('events')
      .select(['device_id', database.db.fn.countAll<string>().as('n')])
      .groupBy('device_id')
      .execute();
    return new Map(rows.map((r) => [r.device_id, Number(r.n)]));
  } finally {
    await database.close();
  }
}

async function measure(kind: 'pglite' | 'postgres', pgServer: Postgres | null) {
  const dataDir = mkdtempSync(join(tmpdir(), 'ck-bench-load-'));
  const dbName = `ck_bench_load_${process.pid}`;
  const dbUrl = kind === 'postgres' ? await createDatabase((pgServer as Postgres).url, dbName) : null;
  const server = await startServer(
    dbUrl ? { DATABASE_URL: dbUrl, DATA_DIR: dataDir } : { DATA_DIR: join(dataDir, 'db') },
  );
  try {
    const tablets = await enrolTablets(server.url, TABLETS);
    const started = Date.now();
    const deadline = started + SECONDS * 1000;
    const results = await Promise.all(tablets.map((t) => runTablet(server.url, t, deadline)));
    const elapsed = (Date.now() - started) / 1000;
    // PGlite is single-process: the server must let go of the data dir before it can be read here.
    await server.stop();
    const held = await heldPerDevice(kind, dbUrl ?? join(dataDir, 'db'));
    const latencies = results.flatMap((r) => r.latencies);
    const errors = results.flatMap((r) => r.errors);
    const acknowledged = results.reduce((n, r) => n + r.acknowledged, 0);
    const sent = results.reduce((n, r) => n + r.sent, 0);
    const heldTotal = [...held.values()].reduce((a, b) => a + b, 0);
    const mismatched = results.filter((r) => (held.get(r.deviceId) ?? 0) !== r.acknowledged).length;
    return {
      elapsed,
      requests: latencies.length,
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
      max: Math.max(...latencies),
      errors: errors.length,
      firstErrors: errors.slice(0, 5),
      sent,
      acknowledged,
      heldTotal,
      mismatched,
      exact: mismatched === 0 && heldTotal === acknowledged && acknowledged === sent,
    };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (pgServer && dbUrl) await dropDatabase(pgServer.url, dbName).catch(() => {});
  }
}

async function main() {
  const rows: Row[] = [];
  const details: Record<string, unknown> = { tablets: TABLETS, seconds: SECONDS, batch: BATCH };
  const pgServer = ONLY === 'pglite' ? null : await startPostgres();
  try {
    for (const kind of ['pglite', 'postgres'] as const) {
      if (ONLY && ONLY !== kind) continue;
      if (kind === 'postgres' && !pgServer) {
        rows.push(
          row({
            figure: 'load (postgres)',
            value: null,
            baseline: null,
            unit: '',
            target: '',
            note: 'not measured: no PostgreSQL binaries',
          }),
        );
        continue;
      }
      console.log(`${kind}: ${TABLETS} tablets syncing for ${SECONDS} s…`);
      const m = await measure(kind, pgServer);
      details[kind] = m;
      const label = `${TABLETS} tablets x ${SECONDS} s (${kind})`;
      rows.push(
        row({
          figure: `${label}: p50 latency`,
          value: m.p50,
          baseline: null,
          unit: 'ms',
          target: '',
          note: `${m.requests} requests of ${BATCH} events in ${m.elapsed.toFixed(1)} s (${Math.round(m.requests / m.elapsed)} req/s, ${Math.round(m.acknowledged / m.elapsed)} events/s); max ${m.max.toFixed(0)} ms`,
        }),
        row({ figure: `${label}: p99 latency`, value: m.p99, baseline: null, unit: 'ms', target: '' }),
        row({
          figure: `${label}: errors`,
          value: m.errors,
          baseline: null,
          unit: '',
          target: 'none',
          met: m.errors === 0,
          ...(m.errors ? { note: m.firstErrors.join(' | ') } : {}),
        }),
        row({
          figure: `${label}: events held = sent`,
          value: m.heldTotal,
          baseline: m.sent,
          unit: 'events',
          target: 'exactly the events sent',
          met: m.exact,
          note: `sent ${m.sent}, acknowledged ${m.acknowledged}, held ${m.heldTotal}; ${m.mismatched} tablets whose held count differs from their acknowledged count`,
        }),
      );
    }
  } finally {
    pgServer?.stop();
  }
  await report('load', rows, details);
}

await main();
