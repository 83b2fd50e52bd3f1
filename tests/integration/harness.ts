/** Builds the app against a fresh database (PGlite in memory, or a new PostgreSQL database) for each suite. */
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pg from 'pg';
import { v7 as uuidv7 } from 'uuid';
import { type AppDeps, createApp } from '../../server/app';
import { hashPassword } from '../../server/auth';
import { type DatabaseTarget, type OpenDatabase, openDatabase } from '../../server/db/connect';
import { migrateToLatest } from '../../server/db/migrations';
import type { AdminRole } from '../../server/db/schema';
import { type Keyring, openKeyring } from '../../server/keys';
import { DEFAULT_LIMITS } from '../../server/limits';
import { createLogger } from '../../server/logger';
import { sealEvent } from '../../src/domain/chain';
import type { DomainEvent, EventEnvelope } from '../../src/domain/events';
import { PROTOCOL_VERSION } from '../../src/domain/protocol';
import * as s from '../support/scenario';

export type TargetName = 'pglite' | 'postgres';
export const TARGETS: TargetName[] = process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];

export interface Harness {
  app: ReturnType<typeof createApp>;
  database: OpenDatabase;
  logs: string[];
  close: () => Promise<void>;
}

/** Creates a database of its own on the server at TEST_DATABASE_URL, so suites never see each other's rows. */
export async function freshPostgres(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = process.env.TEST_DATABASE_URL as string;
  const name = `ck_test_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: base });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: base });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export async function openTarget(
  target: TargetName,
  dataDir: string | null = null,
): Promise<{ database: OpenDatabase; drop: () => Promise<void>; reopen: () => Promise<OpenDatabase> }> {
  if (target === 'pglite') {
    const t: DatabaseTarget = { kind: 'pglite', dataDir };
    return { database: await openDatabase(t), drop: async () => {}, reopen: () => openDatabase(t) };
  }
  const fresh = await freshPostgres();
  const t: DatabaseTarget = { kind: 'postgres', url: fresh.url };
  return { database: await openDatabase(t), drop: fresh.drop, reopen: () => openDatabase(t) };
}

let sharedKeyring: Promise<Keyring> | null = null;
/** One keyring per test process (making an RSA key takes a while); a suite that rotates passes its own. */
export function testKeyring(): Promise<Keyring> {
  sharedKeyring ??= openKeyring(mkdtempSync(join(tmpdir(), 'ck-keys-')));
  return sharedKeyring;
}

export async function makeHarness(
  target: TargetName,
  options: Partial<AppDeps> & { adminPassword?: string; adminUsername?: string } = {},
): Promise<Harness> {
  const { database, drop } = options.database
    ? { database: options.database, drop: async () => {} }
    : await openTarget(target);
  await migrateToLatest(database.db);
  if (options.adminPassword) {
    await addAccount(database, {
      username: options.adminUsername ?? 'admin',
      password: options.adminPassword,
      role: 'administrator',
    });
  }
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      logs.push(String(chunk));
      done();
    },
  });
  const logger = createLogger('info', sink);
  const app = createApp({
    database,
    logger,
    keyring: options.keyring ?? (await testKeyring()),
    staticDir: options.staticDir ?? null,
    ...(options.now ? { now: options.now } : {}),
    ...(options.clientAddress ? { clientAddress: options.clientAddress } : {}),
    ...(options.trustProxy ? { trustProxy: options.trustProxy } : {}),
    ...(options.operations ? { operations: options.operations } : {}),
    ...(options.metricsToken ? { metricsToken: options.metricsToken } : {}),
    // Refusals over a limit are answered at once unless a test asks for the tarpit: tests provoke many.
    limits: { tarpit: { delayMs: 0, maxHeld: 0 }, ...(options.limits ?? DEFAULT_LIMITS) },
  });
  return {
    app,
    database,
    logs,
    close: async () => {
      await database.close();
      await drop();
    },
  };
}

export const ORIGIN = 'http://localhost';

/** An admin account made directly in the database (its password need not be changed at sign-in). */
export async function addAccount(
  database: OpenDatabase,
  a: { username: string; password: string; role: AdminRole; displayName?: string },
): Promise<void> {
  await database.db
    .insertInto('admin_accounts')
    .values({
      username: a.username,
      display_name: a.displayName ?? a.username,
      role: a.role,
      password_hash: await hashPassword(a.password),
    })
    .onConflict((oc) => oc.column('username').doNothing())
    .execute();
}

export async function adminCookie(h: Harness, password: string, username = 'admin'): Promise<string> {
  const res = await h.app.request(`${ORIGIN}/admin/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }).toString(),
  });
  const cookie = res.headers.get('Set-Cookie') ?? '';
  const value = /ck_admin=([^;]+)/.exec(cookie)?.[1];
  if (res.status !== 303 || !value) throw new Error(`login failed: ${res.status}`);
  return `ck_admin=${value}`;
}

export async function newCode(h: Harness, cookie: string): Promise<string> {
  const res = await h.app.request(`${ORIGIN}/admin/codes`, { method: 'POST', headers: { Cookie: cookie } });
  const text = await res.text();
  const code = /<p class="code" role="status">([A-Z0-9-]+)<\/p>/.exec(text)?.[1];
  if (!code) throw new Error(`no code in page (${res.status})`);
  return code;
}

export interface Device {
  deviceId: string;
  token: string;
}

export async function enrol(
  h: Harness,
  code: string,
  label = 'Tablet A',
  deviceId?: string,
): Promise<Device> {
  const res = await h.app.request('/api/v1/devices/enrol', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      protocolVersion: PROTOCOL_VERSION,
      code,
      label,
      ...(deviceId ? { deviceId } : {}),
    }),
  });
  if (res.status !== 201) throw new Error(`enrol failed: ${res.status} ${await res.text()}`);
  return (await res.json()) as Device;
}

export function syncRequest(
  h: Harness,
  device: Device,
  events: unknown[],
  init: { key?: string; deviceId?: string; sentAt?: string } = {},
) {
  return h.app.request('/api/v1/sync', {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Authorization: `Bearer ${device.token}`,
      'Idempotency-Key': init.key ?? uuidv7(),
    },
    body: JSON.stringify({
      protocolVersion: PROTOCOL_VERSION,
      deviceId: init.deviceId ?? device.deviceId,
      events,
      ...(init.sentAt ? { sentAt: init.sentAt } : {}),
    }),
  });
}

/** A whole meeting where everyone agrees, then the chair confirms the minute and closes it: 19 events. */
export const ALL_AGREE: DomainEvent[] = [
  s.opened('meeting'),
  ...[s.people.chair, s.people.mother, s.people.socialWorker, s.people.health].map(s.added),
  s.requested('mother'),
  s.eligible(),
  s.signed('mother'),
  ...s.agrees('chair'),
  ...s.agrees('sw'),
  ...s.agrees('health'),
  ...s.screened(),
  s.started,
  s.recordingStarted,
  ...s.confirmedAndClosed,
];

/** Seals events for a device into a chained log (a new meeting unless one is given). */
export async function sealLog(
  deviceId: string,
  events: readonly DomainEvent[],
  meetingId: string = uuidv7(),
  previous: EventEnvelope | null = null,
): Promise<EventEnvelope[]> {
  const log: EventEnvelope[] = [];
  let last = previous;
  const t0 = Date.parse('2026-11-23T09:58:00+00:00') + (previous?.seq ?? 0) * 60_000;
  for (const [i, event] of events.entries()) {
    const at = new Date(t0 + i * 60_000).toISOString().replace('.000Z', '+00:00');
    const sealed = await sealEvent(last, event, { meetingId, deviceId, at });
    log.push(sealed);
    last = sealed;
  }
  return log;
}

/** Row counts and heads: what "the database is unchanged" is checked against. */
export async function fingerprint(database: OpenDatabase): Promise<string> {
  const db = database.db;
  const count = async (
    t:
      | 'events'
      | 'meetings'
      | 'undertakings'
      | 'minute_entries'
      | 'devices'
      | 'enrolment_codes'
      | 'custody_transfers',
  ) => (await db.selectFrom(t).select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
  const heads = await db
    .selectFrom('meetings')
    .select(['id', 'head_seq', 'head_hash', 'writer_device_id'])
    .orderBy('id')
    .execute();
  const revoked = await db
    .selectFrom('devices')
    .select(['id', 'revoked_at', 'token_hash', 'label'])
    .orderBy('id')
    .execute();
  return JSON.stringify({
    events: Number(await count('events')),
    meetings: Number(await count('meetings')),
    undertakings: Number(await count('undertakings')),
    minutes: Number(await count('minute_entries')),
    devices: Number(await count('devices')),
    codes: Number(await count('enrolment_codes')),
    transfers: Number(await count('custody_transfers')),
    heads,
    // Whether each device is revoked, and its token and label (a take-over would change them).
    revoked: revoked.map((r) => [r.id, r.revoked_at !== null, r.token_hash, r.label]),
  });
}

/** A port on 127.0.0.1 that nothing listens on (bound, read, released). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 1));
    });
  });
}

/**
 * A records officer and a viewer beside the administrator (signed in with `adminPassword`), each signed
 * in: the cookies of all three, for tests of what each role may do.
 */
export async function roleCookies(
  h: Harness,
  adminPassword: string,
): Promise<{ administrator: string; officer: string; viewer: string }> {
  const officerPassword = 'records officer password 1';
  const viewerPassword = 'a viewer password only';
  await addAccount(h.database, { username: 'officer', password: officerPassword, role: 'records-officer' });
  await addAccount(h.database, { username: 'viewer', password: viewerPassword, role: 'viewer' });
  return {
    administrator: await adminCookie(h, adminPassword),
    officer: await adminCookie(h, officerPassword, 'officer'),
    viewer: await adminCookie(h, viewerPassword, 'viewer'),
  };
}
