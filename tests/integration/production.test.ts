/**
 * Issue 20: the records service as a council runs it. `npm run build` compiles it to one ES module that plain
 * `node` runs (no TypeScript at run time, no development package); it answers liveness and readiness
 * separately, counts syncs and sign-in failures for Prometheus behind a token, and on SIGTERM finishes the
 * syncs in flight, refuses new ones, and exits 0. Spawned for real on 127.0.0.1, on PGlite and PostgreSQL.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../src/domain/protocol';
import { type Child, startChild, waitUntilOk } from '../support/child';
import {
  ALL_AGREE,
  adminCookie,
  type Device,
  enrol,
  freePort,
  freshPostgres,
  type Harness,
  newCode,
  ORIGIN,
  sealLog,
  syncRequest,
  TARGETS,
} from './harness';

const ROOT = resolve(__dirname, '../..');
const BUILT = join(ROOT, 'dist-server', 'test-main.mjs');
const PASSWORD = 'production-admin-password';
const METRICS_TOKEN = 'a-metrics-token-for-the-test';

type Running = Child & { url: string };

async function startCompiled(env: Record<string, string>): Promise<Running> {
  const port = await freePort();
  // Plain node, and an environment with nothing of the test runner's (no tsx loader, no NODE_OPTIONS).
  const child = startChild(process.execPath, [BUILT], {
    cwd: mkdtempSync(join(tmpdir(), 'ck-prod-cwd-')),
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: String(port),
      ADMIN_PASSWORD: PASSWORD,
      METRICS_TOKEN,
      LOG_LEVEL: 'info',
      STATIC_DIR: join(ROOT, 'no-tablet-app-here'),
      ...env,
    },
  });
  const url = `http://127.0.0.1:${port}`;
  try {
    await waitUntilOk(`${url}/api/v1/health/ready`, child, 'the compiled server', undefined, 90_000);
  } catch (error) {
    await child.stop();
    throw error;
  }
  return { ...child, url };
}

/** The harness's helpers, over HTTP to a running service instead of app.request. */
function remote(url: string): Harness {
  const request = (input: string, init: RequestInit = {}) =>
    fetch(input.startsWith(ORIGIN) ? url + input.slice(ORIGIN.length) : url + input, {
      ...init,
      redirect: 'manual',
    });
  return { app: { request } } as unknown as Harness;
}

const metric = (text: string, name: string): number => {
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  return line ? Number(line.slice(line.lastIndexOf(' ') + 1)) : 0;
};

beforeAll(async () => {
  await promisify(execFile)(
    join(ROOT, 'node_modules/.bin/tsx'),
    ['scripts/build-server.ts', '--outfile', BUILT],
    {
      cwd: ROOT,
    },
  );
}, 120_000);
afterAll(() => {
  rmSync(BUILT, { force: true });
  rmSync(`${BUILT}.map`, { force: true });
});

describe('the compiled records service', () => {
  it('imports no development package at run time (a deployment installs with --omit=dev)', () => {
    const source = readFileSync(BUILT, 'utf8');
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    const specifiers = new Set(
      // esbuild writes each import of a package as a statement of its own at the start of a line.
      [...source.matchAll(/^import\s[^;]*?\bfrom\s*"([^"\s]+)";|\bimport\(\s*"([^"\s]+)"\s*\)/gm)].map(
        (m) => m[1] ?? m[2] ?? '',
      ),
    );
    const packages = [...specifiers]
      .filter((s) => !s.startsWith('node:') && !s.startsWith('.'))
      .map((s) => (s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : (s.split('/')[0] ?? s)));
    expect(packages.length).toBeGreaterThan(5);
    expect(packages.filter((p) => !(p in pkg.dependencies))).toEqual([]);
    // No TypeScript loader is needed: nothing in it imports a .ts file.
    expect([...specifiers].filter((s) => s.endsWith('.ts'))).toEqual([]);
  });

  describe.each(TARGETS)('on %s', (target) => {
    let dataDir: string;
    let drop: () => Promise<void> = async () => {};
    let service: Running;

    beforeAll(async () => {
      dataDir = mkdtempSync(join(tmpdir(), 'ck-prod-data-'));
      const env: Record<string, string> = { DATA_DIR: dataDir };
      if (target === 'postgres') {
        const fresh = await freshPostgres();
        env.DATABASE_URL = fresh.url;
        drop = fresh.drop;
      }
      service = await startCompiled(env);
    }, 120_000);
    afterAll(async () => {
      if (service && service.child.exitCode === null) service.child.kill('SIGKILL');
      await drop();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('answers liveness and readiness apart, and a tablet enrols and syncs a meeting', async () => {
      const live = await fetch(`${service.url}/api/v1/health/live`);
      expect(live.status).toBe(200);
      const ready = await fetch(`${service.url}/api/v1/health/ready`);
      expect(await ready.json()).toEqual({
        ok: true,
        checks: { database: 'ok', migrations: 'ok', shutdown: 'ok' },
      });
      const h = remote(service.url);
      const cookie = await adminCookie(h, PASSWORD);
      const device = await enrol(h, await newCode(h, cookie), 'Tablet in production');
      const log = await sealLog(device.deviceId, ALL_AGREE);
      const synced = await syncRequest(h, device, log);
      expect(synced.status).toBe(200);
      expect(((await synced.json()) as { acknowledged: unknown[] }).acknowledged).toHaveLength(log.length);
    });

    it('serves Prometheus metrics only with its token: syncs, events accepted, sign-in failures', async () => {
      expect((await fetch(`${service.url}/metrics`)).status).toBe(401);
      expect(
        (await fetch(`${service.url}/metrics`, { headers: { Authorization: 'Bearer wrong-token-wrong' } }))
          .status,
      ).toBe(401);
      const wrong = await fetch(`${service.url}/admin/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ username: 'admin', password: 'not the password' }).toString(),
        redirect: 'manual',
      });
      expect(wrong.status).toBe(401);
      const res = await fetch(`${service.url}/metrics`, {
        headers: { Authorization: `Bearer ${METRICS_TOKEN}` },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('Content-Type')).toContain('text/plain');
      const text = await res.text();
      expect(metric(text, 'consent_kiosk_events_accepted_total')).toBe(ALL_AGREE.length);
      expect(text).toMatch(/consent_kiosk_sync_request_duration_seconds_count\{status="200"\} 1\b/);
      expect(text).toMatch(/consent_kiosk_sign_in_failures_total\{reason="wrong"\} 1\b/);
      expect(text).toContain('consent_kiosk_process_cpu_seconds_total');
      if (target === 'postgres') expect(text).toContain('consent_kiosk_db_pool_connections{state="total"}');
      // Counts and timings only: no name from the meeting, no device id.
      expect(text).not.toContain('Tablet in production');
    });

    it('on SIGTERM finishes the sync in flight, refuses a new one, and exits 0', async () => {
      const h = remote(service.url);
      const cookie = await adminCookie(h, PASSWORD);
      const device: Device = await enrol(h, await newCode(h, cookie), 'Tablet at shutdown');
      const log = await sealLog(device.deviceId, ALL_AGREE);
      const body = new TextEncoder().encode(
        JSON.stringify({ protocolVersion: PROTOCOL_VERSION, deviceId: device.deviceId, events: log }),
      );
      // The body is sent in two halves: the second only after the service was told to stop.
      let sendRest: () => void = () => {};
      const rest = new Promise<void>((r) => {
        sendRest = r;
      });
      const stream = new ReadableStream<Uint8Array>({
        async start(controller) {
          controller.enqueue(body.slice(0, body.length / 2));
          await rest;
          controller.enqueue(body.slice(body.length / 2));
          controller.close();
        },
      });
      const inFlight = fetch(`${service.url}/api/v1/sync`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${device.token}`,
          'Idempotency-Key': uuidv7(),
        },
        body: stream,
        duplex: 'half',
      } as RequestInit);
      // Wait until the service counts it in flight.
      const deadline = Date.now() + 10_000;
      for (;;) {
        const m = await fetch(`${service.url}/metrics`, {
          headers: { Authorization: `Bearer ${METRICS_TOKEN}` },
        });
        if (metric(await m.text(), 'consent_kiosk_requests_in_flight') === 1) break;
        if (Date.now() > deadline) throw new Error('the sync never arrived');
        await new Promise((r) => setTimeout(r, 50));
      }
      service.child.kill('SIGTERM');
      await new Promise((r) => setTimeout(r, 300));
      // A new sync now is refused (503 while draining) or finds the port closed: either way nothing is taken.
      const late = await fetch(`${service.url}/api/v1/sync`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${device.token}` },
        body: '{}',
      }).catch(() => null);
      if (late) expect(late.status).toBe(503);
      sendRest();
      const answered = await inFlight;
      expect(answered.status).toBe(200);
      expect(((await answered.json()) as { acknowledged: unknown[] }).acknowledged).toHaveLength(log.length);
      expect(await service.exited).toBe(0);
      expect(service.output()).toContain('"msg":"stopped"');
    }, 60_000);
  });
});
