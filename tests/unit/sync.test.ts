import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventOf } from '../../src/domain/events';
import { envelopeSchema, GENESIS_HASH } from '../../src/domain/events';
import { enrolRequestSchema, syncRequestSchema } from '../../src/domain/protocol';
import { createDb, type KioskDb } from '../../src/storage/db';
import { ensureDeviceId, MeetingStore } from '../../src/storage/meetingStore';
import { BATCH_KEY, backoffDelay, SyncEngine } from '../../src/sync/syncClient';
import { problemText } from '../../src/sync/words';
import { i18n } from '../../src/ui/i18n';
import * as s from '../support/scenario';

// Small batches, so that a few events make several of them.
vi.mock('../../src/domain/protocol', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/domain/protocol')>();
  return { ...actual, MAX_SYNC_BATCH: 5 };
});

/** An event as the service holds it (checked with the envelope schema). */
type EventEnvelope = ReturnType<typeof envelopeSchema.parse>;

const SERVER = 'https://records.example.gov.uk';
const CODE = 'ENROL-123456';

type Script = 'http-500' | 'network' | 'drop-response' | { status: 409 | 422; code: string };

interface SeenRequest {
  key: string;
  ids: string[];
  seqs: number[];
  at: number;
  token: string;
}

/**
 * An in-memory records service that behaves like the real one: enrolment codes work once; sync checks
 * the token, the device, each meeting's seq and prevHash; an event seen before with the same hash is
 * acknowledged again; an Idempotency-Key seen before gets the stored answer.
 */
class FakeRecordsService {
  codes = new Set<string>([CODE]);
  devices = new Map<string, { id: string; tabletId: string | undefined; isRevoked: boolean }>();
  logs = new Map<string, EventEnvelope[]>();
  keys = new Map<string, { status: number; body: unknown }>();
  requests: SeenRequest[] = [];
  enrolRequests: unknown[] = [];
  script: Script[] = [];
  latencyMs = 0;
  inFlight = 0;
  maxInFlight = 0;

  revokeAll() {
    for (const device of this.devices.values()) device.isRevoked = true;
  }

  stored(): EventEnvelope[] {
    return [...this.logs.values()].flat();
  }

  fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    this.inFlight += 1;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      if (this.latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, this.latencyMs));
      const body: unknown = JSON.parse(String(init?.body ?? 'null'));
      const headers = new Headers(init?.headers);
      if (url.pathname === '/api/v1/devices/enrol') return this.enrol(body);
      if (url.pathname === '/api/v1/sync') return this.sync(headers, body);
      return json(404, { error: { code: 'bad-request', message: 'Not found' } });
    } finally {
      this.inFlight -= 1;
    }
  };

  private enrol(body: unknown): Response {
    this.enrolRequests.push(body);
    const parsed = enrolRequestSchema.safeParse(body);
    if (!parsed.success) return json(400, { error: { code: 'bad-request', message: 'Bad enrolment' } });
    if (!this.codes.delete(parsed.data.code)) {
      return json(400, { error: { code: 'invalid-code', message: 'Unknown or used code' } });
    }
    const id = `srv-${this.devices.size + 1}`;
    const token = `token-${id}-${'x'.repeat(40)}`;
    this.devices.set(token, { id, tabletId: parsed.data.deviceId, isRevoked: false });
    return json(201, { deviceId: id, token });
  }

  private sync(headers: Headers, body: unknown): Response {
    const token = (headers.get('authorization') ?? '').replace(/^Bearer /, '');
    const key = headers.get('idempotency-key') ?? '';
    const parsed = syncRequestSchema.safeParse(body);
    const events = (parsed.success ? parsed.data.events : []).map((e) => envelopeSchema.parse(e));
    this.requests.push({
      key,
      ids: events.map((e) => e.id),
      seqs: events.map((e) => e.seq),
      at: Date.now(),
      token,
    });
    const device = this.devices.get(token);
    if (!device) return json(401, { error: { code: 'unauthorised', message: 'Unknown token' } });
    if (device.isRevoked) return json(401, { error: { code: 'device-revoked', message: 'Revoked' } });
    if (!parsed.success || !key) return json(400, { error: { code: 'bad-request', message: 'Bad sync' } });
    if (parsed.data.deviceId !== device.id) {
      return json(403, { error: { code: 'wrong-device', message: 'Not your device id' } });
    }

    const next = this.script.shift();
    if (next === 'http-500') return new Response('oops', { status: 500 });
    if (next === 'network') throw new TypeError('Failed to fetch');
    if (typeof next === 'object') {
      return json(next.status, { error: { code: next.code, message: 'Refused', index: 0 } });
    }

    const seen = this.keys.get(key);
    if (seen) return finish(next, json(seen.status, seen.body));
    const acknowledged: Array<{ id: string; meetingId: string; seq: number }> = [];
    for (const [index, event] of events.entries()) {
      if (event.deviceId !== device.tabletId) {
        return json(422, { error: { code: 'wrong-device', message: 'Other tablet', index } });
      }
      const log = this.logs.get(event.meetingId) ?? [];
      const existing = log.find((e) => e.id === event.id);
      if (existing) {
        if (existing.hash !== event.hash)
          return json(409, { error: { code: 'conflict', message: 'x', index } });
        acknowledged.push({ id: event.id, meetingId: event.meetingId, seq: event.seq });
        continue;
      }
      if (event.seq !== log.length + 1) {
        return json(422, { error: { code: 'gap', message: 'Gap', index, expectedSeq: log.length + 1 } });
      }
      if (event.prevHash !== (log.at(-1)?.hash ?? GENESIS_HASH)) {
        return json(422, { error: { code: 'bad-prev-hash', message: 'Chain', index } });
      }
      log.push(event);
      this.logs.set(event.meetingId, log);
      acknowledged.push({ id: event.id, meetingId: event.meetingId, seq: event.seq });
    }
    const answer = { acknowledged, serverTime: new Date().toISOString() };
    this.keys.set(key, { status: 200, body: answer });
    return finish(next, json(200, answer));
  }
}

function finish(script: Script | undefined, response: Response): Response {
  // The request was processed, but its answer never reached the tablet.
  if (script === 'drop-response') throw new TypeError('Network connection was lost');
  return response;
}

function json(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** Lets IndexedDB (fake-indexeddb runs on the real setImmediate) and promises move on. */
async function flush(turns = 20): Promise<void> {
  for (let i = 0; i < turns; i += 1) await new Promise((resolve) => setImmediate(resolve));
}

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 400; i += 1) {
    if (await condition()) return;
    await flush(5);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** Advances fake time in small steps, letting IndexedDB work in between. */
async function advance(ms: number, step = 50): Promise<void> {
  for (let done = 0; done < ms; done += step) {
    await vi.advanceTimersByTimeAsync(Math.min(step, ms - done));
    await flush(5);
  }
}

let dbCount = 0;

interface Rig {
  db: KioskDb;
  store: MeetingStore;
  server: FakeRecordsService;
  online: EventTarget;
  random: ReturnType<typeof vi.fn<() => number>>;
  engine: SyncEngine;
  network: { isUp: boolean };
  makeEngine: () => SyncEngine;
}

const engines: SyncEngine[] = [];

async function rig({ isEnrolled = true } = {}): Promise<Rig> {
  dbCount += 1;
  const db = createDb(`sync-test-${dbCount}-${Math.random()}`);
  const deviceId = await ensureDeviceId(db);
  const store = new MeetingStore(db, { deviceId });
  const server = new FakeRecordsService();
  const online = new EventTarget();
  const random = vi.fn(() => 0.5);
  const network = { isUp: true };
  const makeEngine = () => {
    const engine = new SyncEngine({
      store,
      db,
      fetch: server.fetch,
      now: () => new Date(),
      random,
      serverUrl: SERVER,
      onlineEvents: online,
      isOnline: () => network.isUp,
    });
    engines.push(engine);
    return engine;
  };
  const engine = makeEngine();
  if (isEnrolled) {
    const enrolled = await engine.enrol(CODE);
    if (!enrolled.ok) throw new Error(`enrolment failed: ${enrolled.code}`);
  }
  return { db, store, server, online, random, engine, network, makeEngine };
}

async function meetingWith(store: MeetingStore, attendees: number): Promise<string> {
  const created = await store.createMeeting(s.opened() as EventOf<'meeting.opened'>);
  if (!created.ok) throw new Error(created.rejection.code);
  await addAttendees(store, created.meetingId, attendees, 0);
  return created.meetingId;
}

async function addAttendees(store: MeetingStore, meetingId: string, count: number, from: number) {
  for (let i = from; i < from + count; i += 1) {
    const result = await store.append(
      meetingId,
      s.added({ ...s.people.socialWorker, id: `sw-${i}`, name: `Worker ${i}` }),
    );
    if (!result.ok) throw new Error(result.rejection.code);
  }
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  vi.setSystemTime(new Date('2026-11-23T10:00:00Z'));
});

afterEach(() => {
  for (const engine of engines.splice(0)) engine.stop();
  vi.useRealTimers();
});

describe('SyncEngine', () => {
  it('events are pushed in order, in batches, one flight at a time', async () => {
    const { store, server, engine } = await rig();
    const meetingId = await meetingWith(store, 11); // 12 events: batches of 5, 5, 2
    server.latencyMs = 200;

    engine.start();
    await until(() => server.inFlight === 1, 'the first request');
    // Every other reason to push arrives while the first batch is in flight.
    engine.notifyNewEvent();
    const manual = engine.syncNow();
    await addAttendees(store, meetingId, 2, 11);
    engine.notifyNewEvent();
    await advance(3_000);
    await manual;
    await until(() => server.stored().length === 14, 'every event on the server');

    expect(server.maxInFlight).toBe(1);
    expect(server.requests.every((r) => r.ids.length <= 5)).toBe(true);
    // The two events written during the first flight joined the last batch.
    expect(server.requests.map((r) => r.ids.length)).toEqual([5, 5, 4]);
    expect(server.stored().map((e) => e.seq)).toEqual(Array.from({ length: 14 }, (_, i) => i + 1));
    // Seqs went out in order, each batch with its own key.
    const sentSeqs = server.requests.flatMap((r) => r.seqs);
    expect(sentSeqs).toEqual([...sentSeqs].sort((a, b) => a - b));
    expect(new Set(server.requests.map((r) => r.key)).size).toBe(server.requests.length);
    expect(engine.status().phase).toBe('idle');
  });

  it('an acknowledged event is marked synced and leaves the outbox', async () => {
    const { db, store, engine } = await rig();
    const meetingId = await meetingWith(store, 2);
    expect(await db.outbox.count()).toBe(3);
    expect((await engine.meetingStatus(meetingId)).pending).toBe(3);

    const outcome = await engine.syncNow();

    expect(outcome).toEqual({ kind: 'synced', sent: 3 });
    expect(await db.outbox.count()).toBe(0);
    const events = await db.events.where('meetingId').equals(meetingId).toArray();
    expect(events.every((e) => typeof e.syncedAt === 'string')).toBe(true);
    expect(await db.settings.get(BATCH_KEY)).toBeUndefined();
    const status = await engine.meetingStatus(meetingId);
    expect(status).toMatchObject({ pending: 0, lastError: null });
    expect(status.lastSuccessAt).not.toBeNull();
    expect(engine.status().lastSuccessAt).not.toBeNull();
    expect(engine.status().pending).toBe(0);
  });

  it('a failed push backs off exponentially with jitter', async () => {
    const { store, server, engine, random } = await rig();
    await meetingWith(store, 1);
    server.script = ['http-500', 'http-500', 'http-500', 'http-500', 'http-500'];

    engine.start();
    await until(() => engine.status().phase === 'retrying', 'the first failure');
    expect(server.requests.length).toBe(1);
    expect(engine.status().lastError?.code).toBe('http-500');
    // New events and the periodic timer do not cut the backoff short.
    engine.notifyNewEvent();
    await advance(900);
    expect(server.requests.length).toBe(1);

    await advance(40_000, 100);
    await until(() => server.stored().length === 2, 'the events to arrive');
    const gaps = server.requests.slice(1).map((r, i) => r.at - (server.requests[i]?.at ?? 0));
    // random() = 0.5 of min(5 min, 2 s · 2^(n-1)): 1 s, 2 s, 4 s, 8 s, 16 s (to within a step of fake time).
    expect(gaps.map((g) => Math.round(g / 500) * 500)).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
    expect(random).toHaveBeenCalledTimes(5);
    expect(engine.status()).toMatchObject({ phase: 'idle', attempt: 0, lastError: null });

    // Full jitter: anywhere from 0 to the ceiling, and the ceiling stops at 5 minutes.
    expect(backoffDelay(1, () => 0)).toBe(0);
    expect(backoffDelay(1, () => 0.999)).toBe(1_998);
    expect(backoffDelay(4, () => 0.25)).toBe(4_000);
    expect(backoffDelay(30, () => 0.999)).toBe(299_700);
  });

  it('a lost response is retried with the same idempotency key and nothing is duplicated', async () => {
    const { db, store, server, engine, makeEngine } = await rig();
    await meetingWith(store, 3);
    server.script = ['drop-response'];

    engine.start();
    await until(() => server.requests.length === 1, 'the first request');
    await until(() => engine.status().phase === 'retrying', 'the retry');
    // The service kept the batch, the tablet does not know: the outbox still holds it.
    expect(server.stored()).toHaveLength(4);
    expect(await db.outbox.count()).toBe(4);

    // The tablet is reloaded before the retry (a crash between send and ack).
    engine.stop();
    const reloaded = makeEngine();
    reloaded.start();
    await until(() => server.requests.length === 2, 'the re-send');
    await until(async () => (await db.outbox.count()) === 0, 'the ack');

    const [first, second] = server.requests;
    expect(second?.key).toBe(first?.key);
    expect(second?.ids).toEqual(first?.ids);
    expect(server.stored()).toHaveLength(4);
    expect(new Set(server.stored().map((e) => e.id)).size).toBe(4);
  });

  it('a revoked device stops and tells the chair', async () => {
    const { store, server, engine, online, makeEngine } = await rig();
    const meetingId = await meetingWith(store, 1);
    engine.start();
    await until(() => server.stored().length === 2, 'the first sync');

    server.revokeAll();
    await addAttendees(store, meetingId, 1, 1);
    engine.notifyNewEvent();
    await until(() => engine.status().phase === 'revoked', 'the revocation');
    const requests = server.requests.length;

    expect(engine.status().lastError).toMatchObject({ code: 'device-revoked', status: 401 });
    const meeting = await engine.meetingStatus(meetingId);
    expect(meeting.pending).toBe(1);
    expect(meeting.lastError?.code).toBe('device-revoked');
    const t = i18n.t.bind(i18n) as Parameters<typeof problemText>[0];
    expect(problemText(t, meeting.lastError ?? { code: '', message: '', at: '' })).toMatch(
      /removed from the records service/,
    );

    // Nothing more is sent: not on a timer, not when online, not after a new event, not after a reload.
    engine.notifyNewEvent();
    online.dispatchEvent(new Event('online'));
    await advance(10 * 60_000, 1_000);
    engine.stop();
    const reloaded = makeEngine();
    reloaded.start();
    await advance(2_000);
    expect(await reloaded.syncNow()).toMatchObject({ kind: 'stopped', reason: 'revoked' });
    expect(server.requests.length).toBe(requests);
    expect(reloaded.status().phase).toBe('revoked');

    // A new code from an administrator brings it back.
    server.codes.add('ENROL-654321');
    expect((await reloaded.enrol('ENROL-654321')).ok).toBe(true);
    await until(() => reloaded.status().phase === 'idle' && reloaded.status().pending === 0, 'the re-sync');
  });

  it('a 422 is shown in plain words and does not spin', async () => {
    const { store, server, engine } = await rig();
    const meetingId = await meetingWith(store, 1);
    server.script = [{ status: 422, code: 'illegal-transition' }];

    engine.start();
    await until(() => engine.status().phase === 'blocked', 'the refusal');
    expect(engine.status().lastError).toMatchObject({ code: 'illegal-transition', status: 422, meetingId });
    const meeting = await engine.meetingStatus(meetingId);
    expect(meeting.lastError?.code).toBe('illegal-transition');
    const t = i18n.t.bind(i18n) as Parameters<typeof problemText>[0];
    expect(problemText(t, meeting.lastError ?? { code: '', message: '', at: '' })).toBe(
      'The records service did not accept a step of this meeting as valid. Ask an administrator to check it.',
    );

    // Half an hour, a new event, the network coming back: still one request.
    await addAttendees(store, meetingId, 1, 1);
    engine.notifyNewEvent();
    await advance(30 * 60_000, 5_000);
    expect(server.requests.length).toBe(1);

    // "Sync now" tries again (the same batch, the same key) and this time it is taken.
    const outcome = await engine.syncNow();
    expect(outcome.kind).toBe('synced');
    expect(server.requests[1]?.key).toBe(server.requests[0]?.key);
    await until(() => engine.status().phase === 'idle' && engine.status().pending === 0, 'the rest');
    expect(engine.status().lastError).toBeNull();
  });

  it('going online triggers a push', async () => {
    const { store, server, engine, online, random, network } = await rig();
    random.mockReturnValue(0.99);
    const first = await meetingWith(store, 1);

    // Surely offline (navigator.onLine false): nothing is tried, on start, on a new event or on the timer.
    network.isUp = false;
    engine.start();
    engine.notifyNewEvent();
    await advance(2 * 60_000, 1_000);
    expect(server.requests).toHaveLength(0);
    network.isUp = true;
    online.dispatchEvent(new Event('online'));
    await until(() => server.stored().length === 2, 'the push when online');

    // The browser says online but the network fails: the backoff would wait almost 2 s...
    await addAttendees(store, first, 1, 1);
    server.script = ['network'];
    engine.notifyNewEvent();

    await until(() => engine.status().phase === 'retrying', 'the failure');
    expect(engine.status().lastError?.code).toBe('network');
    expect(server.requests.length).toBe(2);

    // ...but the network coming back does not wait.
    await advance(100);
    online.dispatchEvent(new Event('online'));
    await until(() => server.stored().length === 3, 'the push');
    expect(server.requests.length).toBe(3);
    expect(Date.now() - (server.requests[1]?.at ?? 0)).toBeLessThan(1_000);

    // And when idle, too: an event written without a notification goes out when online comes.
    await addAttendees(store, first, 1, 2);
    online.dispatchEvent(new Event('online'));
    await until(() => server.stored().length === 4, 'the second push');
  });

  it('enrolment sends the tablet device id and keeps the token; a tablet not enrolled sends nothing', async () => {
    const { db, store, server, engine } = await rig({ isEnrolled: false });
    await meetingWith(store, 1);
    engine.start();
    await advance(2 * 60_000, 1_000);
    expect(server.requests).toHaveLength(0);
    expect(engine.status().phase).toBe('not-enrolled');
    expect((await engine.meetingStatus((await store.list())[0]?.id ?? '')).phase).toBe('not-enrolled');

    expect(await engine.enrol('nope')).toMatchObject({ ok: false, code: 'invalid-code' });
    expect(await engine.enrol(CODE, 'not a url')).toMatchObject({ ok: false, code: 'bad-address' });
    const enrolled = await engine.enrol(CODE, `${SERVER}/`);
    expect(enrolled.ok).toBe(true);
    const deviceId = await ensureDeviceId(db);
    expect(server.enrolRequests.at(-1)).toMatchObject({ code: CODE, deviceId });
    expect((await db.settings.get('sync.enrolment'))?.value).toMatchObject({
      serverUrl: SERVER,
      serverDeviceId: 'srv-1',
      deviceId,
    });
    // Enrolling pushes what was waiting, with the token.
    await until(() => server.stored().length === 2, 'the push after enrolment');
    expect(server.requests[0]?.token).toMatch(/^token-srv-1/);
  });
});
