/**
 * Two records-service processes on one PostgreSQL database, as a council runs them behind a load balancer:
 * both migrate at once at boot, and tablets sync to either, a retry often reaching the other one. Every event
 * must be held exactly once, each meeting's log unbroken, whatever the interleaving.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer } from 'node:net';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROTOCOL_VERSION } from '../../src/domain';
import type { EventEnvelope } from '../../src/domain/events';
import { ALL_AGREE, sealLog } from './harness';

const BASE = process.env.TEST_DATABASE_URL;
const PASSWORD = 'two-servers-admin-password';
const HOST = '127.0.0.1';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, HOST, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

interface Server {
  url: string;
  child: ChildProcess;
  output: () => string;
}

async function startServer(databaseUrl: string): Promise<Server> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST,
      DATABASE_URL: databaseUrl,
      ADMIN_PASSWORD: PASSWORD,
      STATIC_DIR: '/nonexistent-static-dir',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d) => {
    output += String(d);
  });
  child.stderr?.on('data', (d) => {
    output += String(d);
  });
  const url = `http://${HOST}:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited ${child.exitCode}: ${output}`);
    try {
      const res = await fetch(`${url}/api/v1/health`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error(`server did not start: ${output}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { url, child, output: () => output };
}

async function signIn(server: Server): Promise<string> {
  const res = await fetch(`${server.url}/admin/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'Sec-Fetch-Site': 'same-origin' },
    body: new URLSearchParams({ username: 'admin', password: PASSWORD }).toString(),
  });
  const cookie = /ck_admin=([^;]+)/.exec(res.headers.get('Set-Cookie') ?? '')?.[1];
  if (!cookie) throw new Error(`sign-in failed: ${res.status}`);
  return `ck_admin=${cookie}`;
}

async function enrolOn(server: Server, cookie: string, label: string) {
  const page = await fetch(`${server.url}/admin/codes`, {
    method: 'POST',
    headers: { Cookie: cookie, 'Sec-Fetch-Site': 'same-origin' },
  });
  const code = /<p class="code" role="status">([A-Z0-9-]+)<\/p>/.exec(await page.text())?.[1];
  if (!code) throw new Error(`no enrolment code (${page.status})`);
  const res = await fetch(`${server.url}/api/v1/devices/enrol`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ protocolVersion: PROTOCOL_VERSION, code, label }),
  });
  if (res.status !== 201) throw new Error(`enrol failed: ${res.status}`);
  return (await res.json()) as { deviceId: string; token: string };
}

function push(server: Server, device: { deviceId: string; token: string }, events: EventEnvelope[]) {
  return fetch(`${server.url}/api/v1/sync`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${device.token}`,
      'Idempotency-Key': uuidv7(),
    },
    body: JSON.stringify({ protocolVersion: PROTOCOL_VERSION, deviceId: device.deviceId, events }),
  });
}

describe.skipIf(!BASE)('two server processes on one PostgreSQL', () => {
  const name = `ck_two_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`;
  let url = '';
  const servers: Server[] = [];

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: BASE });
    await admin.connect();
    await admin.query(`create database ${name}`);
    await admin.end();
    const u = new URL(BASE as string);
    u.pathname = `/${name}`;
    url = u.toString();
    // Both boot at once: both run the migrations against the same empty database.
    servers.push(...(await Promise.all([startServer(url), startServer(url)])));
  }, 120_000);

  afterAll(async () => {
    for (const s of servers) {
      s.child.kill('SIGTERM');
      if (s.child.exitCode === null) await once(s.child, 'exit');
    }
    const admin = new pg.Client({ connectionString: BASE });
    await admin.connect();
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  });

  it('booted together on an empty database, both serve: the migrations ran once', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query('select name from kysely_migration order by name');
      const names = rows.map((r: { name: string }) => r.name);
      expect(new Set(names).size).toBe(names.length);
      expect(names.length).toBeGreaterThan(0);
    } finally {
      await client.end();
    }
    for (const s of servers) expect((await fetch(`${s.url}/api/v1/health`)).status).toBe(200);
  });

  it('six tablets syncing to either server at once, every batch sent to both: each event held exactly once', async () => {
    const [a, b] = servers as [Server, Server];
    const cookie = await signIn(a);
    // A device enrolled on one server is known to the other: the database is the one truth.
    const devices = await Promise.all(
      Array.from({ length: 6 }, (_, i) => enrolOn(i % 2 === 0 ? a : b, cookie, `Tablet ${i + 1}`)),
    );
    const logs = await Promise.all(
      devices.flatMap((d) => [sealLog(d.deviceId, ALL_AGREE), sealLog(d.deviceId, ALL_AGREE)]),
    );
    const owner = (log: EventEnvelope[]) =>
      devices.find((d) => d.deviceId === log[0]?.deviceId) as (typeof devices)[number];

    // Each tablet pushes its two meetings in batches of 5 (its outbox grows); every batch goes to both
    // servers at the same moment, as a retry after a lost answer would reach the other one.
    const statuses: number[] = [];
    await Promise.all(
      devices.map(async (device) => {
        const mine = logs.filter((log) => owner(log) === device);
        const outbox = mine.flat();
        for (let i = 5; i <= outbox.length + 4; i += 5) {
          const batch = outbox.slice(0, Math.min(i, outbox.length));
          const answers = await Promise.all([push(a, device, batch), push(b, device, batch)]);
          for (const r of answers) {
            statuses.push(r.status);
            await r.arrayBuffer();
          }
        }
      }),
    );
    // Two batches of one meeting at once serialise on its head: both answer 200 (the second sees the
    // first's events as held and acknowledges them). Nothing else is acceptable.
    expect(statuses.filter((s) => s !== 200)).toEqual([]);

    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      const { rows } = await client.query(
        'select meeting_id, seq, id, hash from events order by meeting_id collate "C", seq',
      );
      expect(rows.length).toBe(logs.flat().length);
      for (const log of logs) {
        const held = rows.filter((r: { meeting_id: string }) => r.meeting_id === log[0]?.meetingId);
        expect(held.map((r: { id: string }) => r.id)).toEqual(log.map((e) => e.id));
      }
      const { rows: heads } = await client.query('select id, head_seq, head_hash from meetings');
      for (const log of logs) {
        const head = heads.find((h: { id: string }) => h.id === log[0]?.meetingId);
        expect(head).toMatchObject({ head_seq: log.length, head_hash: log.at(-1)?.hash });
      }
    } finally {
      await client.end();
    }
    for (const s of servers) expect(s.output()).not.toMatch(/unhandled error/);
  }, 180_000);
});
