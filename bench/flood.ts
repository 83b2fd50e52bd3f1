/**
 * Login flood (issue 13, finding 7): does a flood of wrong-password admin sign-ins slow the tablets' sync?
 * The records service runs as deployed (`tsx server/main.ts` in its own process on a free 127.0.0.1 port);
 * a few enrolled tablets each send small batches (4 events of their own meetings, sealed beforehand) with a
 * short pause between, first with no flood, then while 32 connections post wrong passwords to /admin/login
 * as fast as they are answered, from a process of their own (bench/support/flood-client.ts): same run, same
 * server. Reports sync p50/p99 in both phases, their ratio
 * (target: p50 under flood <= 1.5x without), and how the sign-ins were answered (429 rate-limited or busy,
 * 401 wrong password). Every flood request comes from 127.0.0.1, so after the first few the per-client limit
 * turns them away before any password is hashed, and each refusal is held for a second (the tarpit,
 * server/limits.ts) so a guesser who waits for answers is slowed to one guess a second per connection; the
 * figure says what the flood still costs the tablets.
 * For PGlite and for PostgreSQL (BENCH_DATABASE_URL, or a throwaway cluster when the binaries are there).
 *
 *   npx tsx bench/flood.ts [--seconds 10] [--tablets 4] [--connections 32] [--only pglite|postgres]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { v7 as uuidv7 } from 'uuid';
import type { EventEnvelope } from '../src/domain/events';
import { PROTOCOL_VERSION } from '../src/domain/protocol';
import { quantile, ROOT, type Row, report, row, sleep } from './support/report';
import {
  chunks,
  createDatabase,
  dropDatabase,
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
/** Length of each phase (without flood, with flood); short, as the machine's 2 cores are shared. */
const SECONDS = Number(arg('seconds', '10'));
const TABLETS = Number(arg('tablets', '4'));
const CONNECTIONS = Number(arg('connections', '32'));
const ONLY = arg('only', '');
const BATCH = 4;
/** Pause between a tablet's batches: tablets sync now and then, they do not hammer the service. */
const PAUSE_MS = 50;
const WARM_UP_SECONDS = 2;
const REQUEST_TIMEOUT_MS = 30_000;
const USERNAME = 'admin';
const PASSWORD = 'bench-admin-password';
const TARGET_RATIO = 1.5;

type Server = Service;

const startServer = (env: Record<string, string>): Promise<Server> => startService(env, PASSWORD, []);

/**
 * CPU seconds used so far by the server's process group (tsx and the node it starts), from /proc (Linux;
 * NaN elsewhere): what the service itself spends in each phase, apart from this process's clients.
 */
function groupCpuSeconds(pgid: number | undefined): number {
  if (!pgid || process.platform !== 'linux') return Number.NaN;
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) !== pgid) continue;
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // the process ended meanwhile
    }
  }
  return ticks / 100; // USER_HZ is 100 on Linux
}

const signIn = (url: string, password: string) =>
  fetch(`${url}/admin/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username: USERNAME, password }).toString(),
    redirect: 'manual',
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });

async function enrolTablets(url: string, count: number) {
  const login = await signIn(url, PASSWORD);
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
    const res = await fetch(`${url}/api/v1/devices/enrol`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        protocolVersion: PROTOCOL_VERSION,
        code,
        label: `Flood ${i + 1}`,
        deviceId: `flood-tablet-${i + 1}`,
      }),
    });
    if (res.status !== 201) throw new Error(`enrol failed: ${res.status} ${await res.text()}`);
    tablets.push((await res.json()) as { deviceId: string; token: string });
  }
  return tablets;
}

/** A tablet's batches, sealed before the clock starts so that sealing does not compete with the server. */
async function batchesFor(deviceId: string, seconds: number): Promise<EventEnvelope[][]> {
  // Generous: a batch every PAUSE_MS at most, 5 batches per 20-event meeting.
  const meetings = Math.ceil((seconds * 1000) / PAUSE_MS / 5) + 1;
  return chunks(await tabletLog(deviceId, meetings), BATCH);
}

interface Phase {
  latencies: number[];
  errors: string[];
}

/** Sends a tablet's batches in order until the deadline; returns each answered request's latency. */
async function runTablet(
  url: string,
  tablet: { deviceId: string; token: string },
  batches: EventEnvelope[][],
  deadline: number,
  phase: Phase | null,
) {
  while (Date.now() < deadline) {
    const events = batches.shift();
    if (!events) break;
    const t0 = performance.now();
    try {
      const res = await fetch(`${url}/api/v1/sync`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${tablet.token}`,
          'Idempotency-Key': uuidv7(),
        },
        body: JSON.stringify({ protocolVersion: PROTOCOL_VERSION, deviceId: tablet.deviceId, events }),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
      const text = await res.text();
      const ms = performance.now() - t0;
      if (res.status !== 200) phase?.errors.push(`HTTP ${res.status}: ${text.slice(0, 200)}`);
      else phase?.latencies.push(ms);
    } catch (error) {
      phase?.errors.push(String(error));
    }
    await sleep(PAUSE_MS);
  }
}

/**
 * The flood, from a process of its own (bench/support/flood-client.ts): `connections` loops of wrong-password
 * sign-ins until stopped; its answers counted.
 */
async function flood(url: string, connections: number) {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'bench/support/flood-client.ts'), url, String(connections), USERNAME],
    { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  let out = '';
  child.stdout?.on('data', (d) => {
    out += String(d);
  });
  while (!out.includes('ready\n')) {
    if (child.exitCode !== null) throw new Error('the flood client did not start');
    await sleep(50);
  }
  return {
    stop: async (): Promise<{ statuses: Record<string, number>; requests: number; latencies: number[] }> => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
      return JSON.parse(out.slice(out.indexOf('ready\n') + 6).trim());
    },
  };
}

async function measure(kind: 'pglite' | 'postgres', pgServer: Postgres | null) {
  const dataDir = mkdtempSync(join(tmpdir(), 'ck-bench-flood-'));
  const dbName = `ck_bench_flood_${process.pid}`;
  const dbUrl = kind === 'postgres' ? await createDatabase((pgServer as Postgres).url, dbName) : null;
  const server = await startServer(
    dbUrl ? { DATABASE_URL: dbUrl, DATA_DIR: dataDir } : { DATA_DIR: join(dataDir, 'db') },
  );
  try {
    const tablets = await enrolTablets(server.url, TABLETS);
    const queues = await Promise.all(
      tablets.map((t) => batchesFor(t.deviceId, WARM_UP_SECONDS + 2 * SECONDS)),
    );
    const run = async (seconds: number, phase: Phase | null) => {
      const deadline = Date.now() + seconds * 1000;
      await Promise.all(tablets.map((t, i) => runTablet(server.url, t, queues[i] ?? [], deadline, phase)));
    };
    await run(WARM_UP_SECONDS, null);
    const cpu = () => ({ server: groupCpuSeconds(server.child.pid), bench: process.cpuUsage() });
    const c0 = cpu();
    const quiet: Phase = { latencies: [], errors: [] };
    await run(SECONDS, quiet);
    const c1 = cpu();
    const flooded: Phase = { latencies: [], errors: [] };
    const f = await flood(server.url, CONNECTIONS);
    await run(SECONDS, flooded);
    const signIns = await f.stop();
    const c2 = cpu();
    const benchSeconds = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage) =>
      (b.user + b.system - a.user - a.system) / 1e6;
    return {
      /** CPU seconds per second of the phase: the server's, and this process's (tablets and flood). */
      cpu: {
        serverQuiet: (c1.server - c0.server) / SECONDS,
        serverFlooded: (c2.server - c1.server) / SECONDS,
        benchQuiet: benchSeconds(c0.bench, c1.bench) / SECONDS,
        benchFlooded: benchSeconds(c1.bench, c2.bench) / SECONDS,
      },
      quiet: {
        requests: quiet.latencies.length,
        p50: quantile(quiet.latencies, 0.5),
        p99: quantile(quiet.latencies, 0.99),
        errors: quiet.errors.length,
      },
      flooded: {
        requests: flooded.latencies.length,
        p50: quantile(flooded.latencies, 0.5),
        p99: quantile(flooded.latencies, 0.99),
        errors: flooded.errors.length,
        firstErrors: flooded.errors.slice(0, 3),
      },
      signIns: {
        requests: signIns.requests,
        perSecond: signIns.requests / SECONDS,
        statuses: signIns.statuses,
        p50: quantile(signIns.latencies, 0.5),
        p99: quantile(signIns.latencies, 0.99),
      },
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
    connections: CONNECTIONS,
    batch: BATCH,
    pauseMs: PAUSE_MS,
  };
  await forEachDatabase(ONLY, 'login flood (postgres)', rows, async (kind, pgServer) => {
    console.log(
      `${kind}: ${TABLETS} tablets syncing, ${SECONDS} s without and ${SECONDS} s under a ${CONNECTIONS}-connection login flood…`,
    );
    const m = await measure(kind, pgServer);
    details[kind] = m;
    const answered = Object.entries(m.signIns.statuses)
      .map(([status, n]) => `${n} x ${status}`)
      .join(', ');
    rows.push(
      row({
        figure: `sync p50 under a ${CONNECTIONS}-connection login flood (${kind})`,
        value: m.flooded.p50,
        baseline: m.quiet.p50,
        unit: 'ms',
        target: `<= ${TARGET_RATIO}x without flood`,
        met: m.flooded.p50 <= TARGET_RATIO * m.quiet.p50,
        note: `${m.flooded.requests} batches under flood, ${m.quiet.requests} without; sign-ins: ${m.signIns.requests} in ${SECONDS} s (${Math.round(m.signIns.perSecond)}/s; ${answered}), their p50 ${m.signIns.p50.toFixed(1)} ms, p99 ${m.signIns.p99.toFixed(1)} ms; server CPU ${m.cpu.serverQuiet.toFixed(2)} s/s without, ${m.cpu.serverFlooded.toFixed(2)} s/s under flood (this process ${m.cpu.benchQuiet.toFixed(2)} and ${m.cpu.benchFlooded.toFixed(2)}); load average ${loadavg()[0]?.toFixed(1)} on ${availableParallelism()} cores`,
      }),
      row({
        figure: `sync p99 under a ${CONNECTIONS}-connection login flood (${kind})`,
        value: m.flooded.p99,
        baseline: m.quiet.p99,
        unit: 'ms',
        target: '',
      }),
      row({
        figure: `sync errors, both phases (${kind})`,
        value: m.quiet.errors + m.flooded.errors,
        baseline: null,
        unit: '',
        target: 'none',
        met: m.quiet.errors + m.flooded.errors === 0,
        ...(m.flooded.errors ? { note: m.flooded.firstErrors.join(' | ') } : {}),
      }),
    );
  });
  await report('flood', rows, details);
}

await main();
