import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import { openDatabase } from '../server/db/connect';
import type { EventEnvelope } from '../src/domain/events';
import { PROTOCOL_VERSION } from '../src/domain/protocol';
import { quantile, type Row, report, row, sleep } from './support/report';
import {
  chunks,
  createDatabase,
  dropDatabase,
  EVENTS_PER_MEETING,
  forEachDatabase,
  type Postgres,
  type Service,
  startService,
  tabletLog,
} from './support/server';

const arg = (name: string, fallback: string) =>
  process.argv.includes(`--${name}`)
    ? (process.argv[process.argv.indexOf(`--${name}`) + 1] ?? fallback)
    : fallback;
const SECONDS = Number(arg('seconds', '60'));
const TABLETS = Number(arg('tablets', '50'));
const ONLY = arg('only', '');
const OPEN_TABLETS = Number(arg('open-tablets', '500'));
const PERIOD_S = Number(arg('period', '10'));
const OPEN_SECONDS = Number(arg('open-seconds', '30'));
const STEP_SECONDS = Number(arg('step-seconds', '8'));
const P99_LIMIT_MS = Number(arg('p99-limit', '300'));
/** Batches per second of the first saturation step; each next step doubles it. */
const START_RATE = Number(arg('start-rate', '10'));
const OPEN = !process.argv.includes('--no-open');
const SATURATION = !process.argv.includes('--no-saturation');
const BATCH = 4;
const REQUEST_TIMEOUT_MS = 30_000;
const PASSWORD = 'bench-admin-password';

type Server = Service;

const startServer = (env: Record<string, string>): Promise<Server> =>
  startService(env, PASSWORD, ['./bench/support/steps-probe.ts']);

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

/** A batch sent to the service: its status, its latency and how many events it acknowledged. */
async function send(url: string, tablet: { deviceId: string; token: string }, events: EventEnvelope[]) {
  const body = JSON.stringify({ protocolVersion: PROTOCOL_VERSION, deviceId: tablet.deviceId, events });
  try {
    const res = await fetch(`${url}/api/v1/sync`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${tablet.token}`,
        'Idempotency-Key': uuidv7(),
      },
      body,
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
    const text = await res.text();
    if (res.status === 200) {
      return {
        ok: true as const,
        acknowledged: (JSON.parse(text) as { acknowledged: unknown[] }).acknowledged.length,
      };
    }
    return { ok: false as const, error: `HTTP ${res.status}: ${text.slice(0, 200)}` };
  } catch (error) {
    return { ok: false as const, error: String(error) };
  }
}

interface OpenResult {
  rate: number;
  offered: number;
  requests: number;
  elapsed: number;
  latencies: number[];
  errors: string[];
  acknowledged: Map<string, number>;
  sent: Map<string, number>;
}

/**
 * Open loop: batch k is due at start + k / rate, from tablet k mod n (so each tablet sends every n / rate
 * seconds), whether or not earlier batches were answered. A tablet sends its own batches in order: one due
 * while its last is unanswered waits for it, and its latency counts from when it was due. Every batch is
 * sealed before the clock starts.
 */
async function openLoop(
  url: string,
  tablets: readonly { deviceId: string; token: string }[],
  rate: number,
  seconds: number,
): Promise<OpenResult> {
  const offered = Math.round(rate * seconds);
  const perTablet = Math.ceil(offered / tablets.length);
  const meetings = Math.ceil((perTablet * BATCH) / EVENTS_PER_MEETING);
  const queues = await Promise.all(
    tablets.map(async (t) => chunks(await tabletLog(t.deviceId, meetings), BATCH).slice(0, perTablet)),
  );
  const r: OpenResult = {
    rate,
    offered,
    requests: 0,
    elapsed: 0,
    latencies: [],
    errors: [],
    acknowledged: new Map(),
    sent: new Map(),
  };
  const chains: Promise<void>[] = tablets.map(() => Promise.resolve());
  const failed = new Set<number>();
  const interval = 1000 / rate;
  const started = performance.now();
  for (let k = 0; k < offered; k++) {
    const due = started + k * interval;
    const wait = due - performance.now();
    if (wait > 1) await sleep(wait);
    const i = k % tablets.length;
    const tablet = tablets[i] as { deviceId: string; token: string };
    const events = queues[i]?.[Math.floor(k / tablets.length)];
    if (!events) continue;
    chains[i] = (chains[i] as Promise<void>).then(async () => {
      if (failed.has(i)) return; // the rest of this tablet's meeting would be a gap
      r.requests++;
      r.sent.set(tablet.deviceId, (r.sent.get(tablet.deviceId) ?? 0) + events.length);
      const answer = await send(url, tablet, events);
      r.latencies.push(performance.now() - due);
      if (answer.ok) {
        r.acknowledged.set(tablet.deviceId, (r.acknowledged.get(tablet.deviceId) ?? 0) + answer.acknowledged);
      } else {
        r.errors.push(answer.error);
        failed.add(i);
      }
    });
  }
  await Promise.all(chains);
  r.elapsed = (performance.now() - started) / 1000;
  return r;
}

const eventsOf = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

function openSummary(r: OpenResult) {
  return {
    rate: r.rate,
    offered: r.offered,
    requests: r.requests,
    elapsed: r.elapsed,
    p50: quantile(r.latencies, 0.5),
    p99: quantile(r.latencies, 0.99),
    max: Math.max(...r.latencies),
    errors: r.errors.length,
    firstErrors: r.errors.slice(0, 3),
    eventsPerSecond: eventsOf(r.acknowledged) / r.elapsed,
  };
}

/** Per-step timings inside the service, from the probe's file, for batches answered in [from, to]. */
function stepsBetween(file: string, from: number, to: number) {
  if (!existsSync(file)) return null;
  const samples = readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, number>)
    .filter((x) => (x.t as number) >= from && (x.t as number) <= to);
  if (samples.length === 0) return null;
  const keys = ['begin', 'lock', 'plan', 'write', 'project', 'commit', 'total'] as const;
  return {
    batches: samples.length,
    p50: Object.fromEntries(
      keys.map((k) => [
        k,
        quantile(
          samples.map((x) => x[k] ?? 0),
          0.5,
        ),
      ]),
    ),
    p99: Object.fromEntries(
      keys.map((k) => [
        k,
        quantile(
          samples.map((x) => x[k] ?? 0),
          0.99,
        ),
      ]),
    ),
  };
}

type Steps = ReturnType<typeof stepsBetween>;

const fmtSteps = (steps: Steps) =>
  steps
    ? `${steps.batches} batches; in the service, ms p50/p99 per step: ${Object.keys(steps.p50)
        .map((k) => `${k} ${(steps.p50[k] ?? 0).toFixed(1)}/${(steps.p99[k] ?? 0).toFixed(1)}`)
        .join(', ')}`
    : 'no per-step timings (the service published none)';

async function measure(kind: 'pglite' | 'postgres', pgServer: Postgres | null) {
  const dataDir = mkdtempSync(join(tmpdir(), 'ck-bench-load-'));
  const stepsFile = join(dataDir, 'steps.jsonl');
  const dbName = `ck_bench_load_${process.pid}`;
  const dbUrl = kind === 'postgres' ? await createDatabase((pgServer as Postgres).url, dbName) : null;
  const server = await startServer({
    STEPS_FILE: stepsFile,
    ...(dbUrl ? { DATABASE_URL: dbUrl, DATA_DIR: dataDir } : { DATA_DIR: join(dataDir, 'db') }),
  });
  try {
    const tablets = await enrolTablets(server.url, Math.max(TABLETS, OPEN ? OPEN_TABLETS : 0));
    const sent = new Map<string, number>();
    const acknowledged = new Map<string, number>();
    const add = (into: Map<string, number>, from: Map<string, number>) => {
      for (const [k, v] of from) into.set(k, (into.get(k) ?? 0) + v);
    };

    console.log(`${kind}: closed loop, ${TABLETS} tablets for ${SECONDS} s…`);
    const closedFrom = Date.now();
    const deadline = closedFrom + SECONDS * 1000;
    const results = await Promise.all(
      tablets.slice(0, TABLETS).map((t) => runTablet(server.url, t, deadline)),
    );
    const closedTo = Date.now();
    const elapsed = (closedTo - closedFrom) / 1000;
    for (const r of results) {
      sent.set(r.deviceId, (sent.get(r.deviceId) ?? 0) + r.sent);
      acknowledged.set(r.deviceId, (acknowledged.get(r.deviceId) ?? 0) + r.acknowledged);
    }
    const latencies = results.flatMap((r) => r.latencies);
    const errors = results.flatMap((r) => r.errors);
    const closed = {
      elapsed,
      requests: latencies.length,
      p50: quantile(latencies, 0.5),
      p99: quantile(latencies, 0.99),
      max: Math.max(...latencies),
      errors: errors.length,
      firstErrors: errors.slice(0, 5),
      eventsPerSecond: results.reduce((n, r) => n + r.acknowledged, 0) / elapsed,
      window: [closedFrom, closedTo] as const,
    };

    let open: (ReturnType<typeof openSummary> & { window: readonly [number, number] }) | null = null;
    const saturation: (ReturnType<typeof openSummary> & { window: readonly [number, number] })[] = [];
    if (OPEN) {
      const rate = OPEN_TABLETS / PERIOD_S;
      console.log(
        `${kind}: open loop, ${OPEN_TABLETS} tablets each every ${PERIOD_S} s (${rate} batches/s) for ${OPEN_SECONDS} s…`,
      );
      const from = Date.now();
      const r = await openLoop(server.url, tablets.slice(0, OPEN_TABLETS), rate, OPEN_SECONDS);
      add(sent, r.sent);
      add(acknowledged, r.acknowledged);
      open = { ...openSummary(r), window: [from, Date.now()] };
    }
    if (SATURATION) {
      // From a low rate, doubling, until the service no longer keeps up.
      for (let rate = START_RATE; rate <= 3200; rate *= 2) {
        console.log(`${kind}: saturation step, ${rate} batches/s for ${STEP_SECONDS} s…`);
        const from = Date.now();
        const r = await openLoop(server.url, tablets.slice(0, OPEN_TABLETS), rate, STEP_SECONDS);
        add(sent, r.sent);
        add(acknowledged, r.acknowledged);
        const step = { ...openSummary(r), window: [from, Date.now()] as const };
        saturation.push(step);
        if (step.p99 > P99_LIMIT_MS || step.errors > 0 || step.eventsPerSecond < 0.9 * rate * BATCH) break;
      }
    }

    // PGlite is single-process: the server must let go of the data dir before it can be read here.
    await server.stop();
    const held = await heldPerDevice(kind, dbUrl ?? join(dataDir, 'db'));
    const sentTotal = eventsOf(sent);
    const acknowledgedTotal = eventsOf(acknowledged);
    const heldTotal = [...held.values()].reduce((a, b) => a + b, 0);
    const mismatched = tablets.filter(
      (t) => (held.get(t.deviceId) ?? 0) !== (acknowledged.get(t.deviceId) ?? 0),
    ).length;
    const stepsOf = (w: readonly [number, number]) => stepsBetween(stepsFile, w[0], w[1]);
    return {
      closed: { ...closed, steps: stepsOf(closed.window) },
      open: open ? { ...open, steps: stepsOf(open.window) } : null,
      saturation: saturation.map((x) => ({ ...x, steps: stepsOf(x.window) })),
      sent: sentTotal,
      acknowledged: acknowledgedTotal,
      heldTotal,
      mismatched,
      exact: mismatched === 0 && heldTotal === acknowledgedTotal && acknowledgedTotal === sentTotal,
    };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
    if (pgServer && dbUrl) await dropDatabase(pgServer.url, dbName).catch(() => {});
  }
}

async function main() {
  const rows: Row[] = [];
  const details: Record<string, unknown> = {
    tablets: TABLETS,
    seconds: SECONDS,
    batch: BATCH,
    openTablets: OPEN_TABLETS,
    periodSeconds: PERIOD_S,
    openSeconds: OPEN_SECONDS,
    stepSeconds: STEP_SECONDS,
    p99LimitMs: P99_LIMIT_MS,
  };
  await forEachDatabase(ONLY, 'load (postgres)', rows, async (kind, pgServer) => {
    const m = await measure(kind, pgServer);
    details[kind] = m;
    const c = m.closed;
    const label = `${TABLETS} tablets x ${SECONDS} s (${kind})`;
    rows.push(
      row({
        figure: `${label}: p50 latency`,
        value: c.p50,
        baseline: null,
        unit: 'ms',
        target: '',
        note: `closed loop: ${c.requests} requests of ${BATCH} events in ${c.elapsed.toFixed(1)} s (${Math.round(c.requests / c.elapsed)} req/s, ${Math.round(c.eventsPerSecond)} events/s); max ${c.max.toFixed(0)} ms; ${fmtSteps(c.steps)}`,
      }),
      row({
        figure: `${label}: p99 latency`,
        value: c.p99,
        baseline: null,
        unit: 'ms',
        target: `<= ${P99_LIMIT_MS} ms`,
        met: c.p99 <= P99_LIMIT_MS,
      }),
      row({
        figure: `${label}: errors`,
        value: c.errors,
        baseline: null,
        unit: '',
        target: 'none',
        met: c.errors === 0,
        ...(c.errors ? { note: c.firstErrors.join(' | ') } : {}),
      }),
    );
    if (m.open) {
      const o = m.open;
      const openLabel = `open loop ${OPEN_TABLETS} tablets every ${PERIOD_S} s (${o.rate} batches/s, ${kind})`;
      rows.push(
        row({
          figure: `${openLabel}: p50 latency`,
          value: o.p50,
          baseline: null,
          unit: 'ms',
          target: '',
          note: `${o.requests} of ${o.offered} batches due in ${OPEN_SECONDS} s sent, done in ${o.elapsed.toFixed(1)} s (${Math.round(o.eventsPerSecond)} events/s); max ${o.max.toFixed(0)} ms; ${fmtSteps(o.steps)}`,
        }),
        row({
          figure: `${openLabel}: p99 latency`,
          value: o.p99,
          baseline: null,
          unit: 'ms',
          target: `<= ${P99_LIMIT_MS} ms`,
          met: o.p99 <= P99_LIMIT_MS,
        }),
        row({
          figure: `${openLabel}: errors`,
          value: o.errors,
          baseline: null,
          unit: '',
          target: 'none',
          met: o.errors === 0,
          ...(o.errors ? { note: o.firstErrors.join(' | ') } : {}),
        }),
      );
    }
    if (m.saturation.length > 0) {
      const kept = m.saturation.filter(
        (x) => x.p99 <= P99_LIMIT_MS && x.errors === 0 && x.eventsPerSecond >= 0.9 * x.rate * BATCH,
      );
      const best = kept.at(-1);
      rows.push(
        row({
          figure: `saturation throughput, p99 <= ${P99_LIMIT_MS} ms and no error (${kind})`,
          value: best ? Math.round(best.eventsPerSecond) : null,
          baseline: null,
          unit: 'events/s',
          target: '',
          note: m.saturation
            .map(
              (x) =>
                `${x.rate} batches/s: ${Math.round(x.eventsPerSecond)} events/s, p50 ${x.p50.toFixed(0)} ms, p99 ${x.p99.toFixed(0)} ms, ${x.errors} errors`,
            )
            .join('; '),
        }),
      );
    }
    rows.push(
      row({
        figure: `all runs (${kind}): events held = sent`,
        value: m.heldTotal,
        baseline: m.sent,
        unit: 'events',
        target: 'exactly the events sent',
        met: m.exact,
        note: `sent ${m.sent}, acknowledged ${m.acknowledged}, held ${m.heldTotal}; ${m.mismatched} tablets whose held count differs from their acknowledged count`,
      }),
    );
  });
  await report('load', rows, details);
}

await main();
