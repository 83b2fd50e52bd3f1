import 'fake-indexeddb/auto';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { EventOf } from '../../src/domain/events';
import { envelopeSchema, GENESIS_HASH } from '../../src/domain/events';
import { enrolRequestSchema, syncRequestSchema } from '../../src/domain/protocol';
import { i18n } from '../../src/shared/i18n';
import { createDb, type KioskDb } from '../../src/storage/db';
import { ensureDeviceId, MeetingStore } from '../../src/storage/meetingStore';
import { BATCH_KEY, QUARANTINE_KEY } from '../../src/sync/keys';
import { QUARANTINE_RETRY_MS } from '../../src/sync/push';
import { createSync, type SyncHandle } from '../../src/sync/service';
import { backoffDelay, pendingTotal, syncPhase } from '../../src/sync/syncMachine';
import { problemText } from '../../src/sync/words';
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

type Script =
  | 'http-500'
  | 'network'
  | 'drop-response'
  | { status: 409 | 422; code: string }
  | { status: 429 | 503; retryAfter: string };

type Refusal = { status: 403 | 409 | 413 | 422; code: string; message: string };

interface SeenRequest {
  key: string;
  ids: string[];
  seqs: number[];
  at: number;
  token: string;
  /** The tablet's clock as it sent the request (for the service's clock-skew warning). */
  sentAt: string | undefined;
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
  /** Meetings whose events this service refuses (until deleted from here), as a real one refuses a bad log. */
  refuse = new Map<string, Refusal>();
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
      sentAt: parsed.success ? parsed.data.sentAt : undefined,
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
    if (typeof next === 'object' && 'retryAfter' in next) {
      return new Response('busy', { status: next.status, headers: { 'retry-after': next.retryAfter } });
    }
    if (typeof next === 'object') {
      return json(next.status, { error: { code: next.code, message: 'Refused', index: 0 } });
    }
    for (const [index, event] of events.entries()) {
      const refusal = this.refuse.get(event.meetingId);
      if (refusal) {
        return json(refusal.status, {
          error: { code: refusal.code, message: refusal.message, index, eventId: event.id },
        });
      }
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

/** Waits for `condition`, letting a little fake time pass too (Dexie's live queries run on timers). */
async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 400; i += 1) {
    if (await condition()) return;
    await flush(5);
    await vi.advanceTimersByTimeAsync(2);
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
  sync: SyncHandle;
  network: { isUp: boolean };
  makeSync: () => SyncHandle;
}

const running: SyncHandle[] = [];

async function rig({ isEnrolled = true } = {}): Promise<Rig> {
  dbCount += 1;
  const db = createDb(`sync-test-${dbCount}-${Math.random()}`);
  const deviceId = await ensureDeviceId(db);
  const store = new MeetingStore(db, { deviceId });
  const server = new FakeRecordsService();
  const online = new EventTarget();
  const random = vi.fn(() => 0.5);
  const network = { isUp: true };
  const makeSync = () => {
    const sync = createSync({
      store,
      db,
      fetch: server.fetch,
      now: () => new Date(),
      random,
      serverUrl: SERVER,
      networkEvents: online,
      isOnline: () => network.isUp,
    });
    running.push(sync);
    return sync;
  };
  const sync = makeSync();
  if (isEnrolled) {
    const enrolled = await sync.enrol(CODE);
    if (!enrolled.ok) throw new Error(`enrolment failed: ${enrolled.code}`);
    await until(() => phaseOf(sync) === 'idle', 'the first push');
  }
  return { db, store, server, online, random, sync, network, makeSync };
}

const phaseOf = (sync: SyncHandle) => syncPhase(sync.actor.getSnapshot());
const contextOf = (sync: SyncHandle) => sync.actor.getSnapshot().context;

/** The browser says the network is gone (or back). */
function setNetwork(rig: Pick<Rig, 'network' | 'online'>, isUp: boolean) {
  rig.network.isUp = isUp;
  rig.online.dispatchEvent(new Event(isUp ? 'online' : 'offline'));
}

async function meetingWith(store: MeetingStore, attendees: number, { close = false } = {}): Promise<string> {
  const created = await store.createMeeting(s.opened() as EventOf<'meeting.opened'>);
  if (!created.ok) throw new Error(created.rejection.code);
  await addAttendees(store, created.meetingId, attendees, 0);
  if (close) {
    for (const event of s.chairAddedConfirmsAndCloses) {
      const result = await store.append(created.meetingId, event);
      if (!result.ok) throw new Error(result.rejection.code);
    }
  }
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

const heldOnServer = (server: FakeRecordsService, meetingId: string) =>
  server.logs.get(meetingId)?.length ?? 0;
const t = i18n.t.bind(i18n) as Parameters<typeof problemText>[0];

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  vi.setSystemTime(new Date('2026-11-23T10:00:00Z'));
});

afterEach(() => {
  for (const sync of running.splice(0)) sync.stop();
  vi.useRealTimers();
});

describe('sync', () => {
  it('events go out in order, in batches of one meeting, one request at a time', async () => {
    const r = await rig();
    const { store, server } = r;
    setNetwork(r, false);
    const first = await meetingWith(store, 9, { close: true }); // 13 events (9 attendees, the chair, confirmation, closing): batches of 5, 5, 3
    const second = await meetingWith(store, 2); // 3 events
    await advance(2 * 60_000, 1_000);
    expect(server.requests).toHaveLength(0);
    server.latencyMs = 200;

    setNetwork(r, true);
    await until(() => server.inFlight === 1, 'the first request');
    // More events arrive while the first batch is in flight; "Sync now" too.
    await addAttendees(store, second, 2, 2);
    const manual = r.sync.syncNow();
    await advance(5_000);
    await manual;
    await until(() => heldOnServer(server, second) === 5, 'the second meeting on the server');

    expect(server.maxInFlight).toBe(1);
    expect(server.requests.map((q) => q.ids.length)).toEqual([5, 5, 3, 5]);
    const meetingsOf = (ids: string[]) =>
      new Set(
        server
          .stored()
          .filter((e) => ids.includes(e.id))
          .map((e) => e.meetingId),
      );
    expect(server.requests.map((q) => [...meetingsOf(q.ids)])).toEqual([[first], [first], [first], [second]]);
    expect(heldOnServer(server, first)).toBe(13);
    expect(new Set(server.requests.map((q) => q.key)).size).toBe(server.requests.length);
    // Each request says the tablet's clock, so the service can warn of a clock far from its own.
    expect(server.requests.every((q) => q.sentAt !== undefined && !Number.isNaN(Date.parse(q.sentAt)))).toBe(
      true,
    );
    expect(phaseOf(r.sync)).toBe('idle');
  });

  it('an event written to the outbox is sent without anyone telling sync (it watches the outbox)', async () => {
    const { db, store, server, sync } = await rig();
    const meetingId = await meetingWith(store, 2);
    await until(async () => (await db.outbox.count()) === 0, 'the outbox to empty');

    expect(heldOnServer(server, meetingId)).toBe(3);
    const events = await db.events.where('meetingId').equals(meetingId).toArray();
    expect(events.every((e) => typeof e.syncedAt === 'string')).toBe(true);
    expect(await db.settings.get(BATCH_KEY)).toBeUndefined();
    await until(() => pendingTotal(sync.actor.getSnapshot()) === 0, 'the live count');
    expect(contextOf(sync).sentAt[meetingId]).toBeTruthy();
    expect(contextOf(sync).lastError).toBeNull();
  });

  it('a meeting the service refuses is held back with its reason, and a second meeting is still sent', async () => {
    const { db, store, server, sync } = await rig();
    const refusal = { status: 422, code: 'bad-hash', message: 'Event 1 does not match its hash.' } as const;
    const refusedFirst = await store.createMeeting(s.opened() as EventOf<'meeting.opened'>);
    if (!refusedFirst.ok) throw new Error('not created');
    const refused = refusedFirst.meetingId;
    server.refuse.set(refused, refusal);
    await addAttendees(store, refused, 1, 0);
    for (const event of s.chairAddedConfirmsAndCloses) await store.append(refused, event);
    await until(() => refused in contextOf(sync).quarantine, 'the refusal');

    const second = await meetingWith(store, 3);
    await until(() => heldOnServer(server, second) === 4, 'the second meeting on the server');

    expect(heldOnServer(server, refused)).toBe(0);
    const held = contextOf(sync).quarantine[refused];
    expect(held?.problem).toMatchObject({ code: 'bad-hash', status: 422, message: refusal.message });
    expect(problemText(t, held?.problem ?? { code: '', message: '', at: '' })).toBe(
      'The records service found a record that had been changed. Ask an administrator to check it.',
    );
    // The hold survives a reload (it is in IndexedDB), and so does the service's message.
    expect((await db.settings.get(QUARANTINE_KEY))?.value).toMatchObject({
      [refused]: { problem: { code: 'bad-hash', message: refusal.message } },
    });
    expect(await db.outbox.where('meetingId').equals(refused).count()).toBe(5);
    // Not asked again and again: one refusal, then quiet, though the periodic push runs.
    const asked = server.requests.filter((q) =>
      q.ids.some((id) => server.stored().every((e) => e.id !== id)),
    );
    await advance(10 * 60_000, 5_000);
    const askedLater = server.requests.filter((q) =>
      q.ids.some((id) => server.stored().every((e) => e.id !== id)),
    );
    expect(askedLater.length).toBe(asked.length);
    await until(() => phaseOf(sync) === 'idle', 'idle after the periodic push');
  });

  it('a held meeting is sent on "Try again" once the service accepts it', async () => {
    const { db, store, server, sync } = await rig();
    const meetingId = await meetingWith(store, 1, { close: true });
    await until(() => heldOnServer(server, meetingId) === 5, 'the meeting on the server');
    // A later event of another meeting is refused, e.g. before an administrator's hand-over.
    const second = await store.createMeeting(s.opened() as EventOf<'meeting.opened'>);
    if (!second.ok) throw new Error('not created');
    server.refuse.set(second.meetingId, {
      status: 409,
      code: 'conflict',
      message: 'Held with other content.',
    });
    await addAttendees(store, second.meetingId, 1, 0);
    await until(() => second.meetingId in contextOf(sync).quarantine, 'the refusal');

    // The chair tries again while the service still refuses: still held, with the reason.
    const before = server.requests.length;
    sync.retryMeeting(second.meetingId);
    await until(() => server.requests.length > before, 'the try');
    await until(() => second.meetingId in contextOf(sync).quarantine, 'the second refusal');

    // The administrator sorted it out; the chair tries again and it goes.
    server.refuse.delete(second.meetingId);
    sync.retryMeeting(second.meetingId);
    await until(() => heldOnServer(server, second.meetingId) === 2, 'the held meeting on the server');
    await until(() => phaseOf(sync) === 'idle', 'idle');
    expect(contextOf(sync).quarantine).toEqual({});
    expect((await db.settings.get(QUARANTINE_KEY))?.value).toEqual({});
    expect(await db.outbox.count()).toBe(0);
  });

  it('a held meeting is asked about again by itself after half an hour, and at the next enrolment', async () => {
    const { store, server, sync } = await rig();
    const meetingId = await meetingWith(store, 0);
    server.refuse.set(meetingId, { status: 403, code: 'wrong-device', message: 'Another tablet holds it.' });
    await addAttendees(store, meetingId, 1, 0);
    await until(() => meetingId in contextOf(sync).quarantine, 'the refusal');
    const refusedAt = server.requests.length;

    await advance(QUARANTINE_RETRY_MS - 2 * 60_000, 10_000);
    expect(server.requests.length).toBe(refusedAt);
    await advance(3 * 60_000, 10_000);
    await until(() => server.requests.length === refusedAt + 1, 'the retry after half an hour');
    await until(() => meetingId in contextOf(sync).quarantine, 'held again');

    // A new enrolment (an administrator's fix) releases it at once.
    server.refuse.delete(meetingId);
    server.codes.add('ENROL-777777');
    expect((await sync.enrol('ENROL-777777')).ok).toBe(true);
    await until(() => heldOnServer(server, meetingId) === 2, 'the meeting on the server');
    expect(contextOf(sync).quarantine).toEqual({});
  });

  it('a refusal with a code this app does not know yet keeps the service’s code and words for the chair', async () => {
    const { store, server, sync } = await rig();
    const meetingId = await meetingWith(store, 0);
    server.refuse.set(meetingId, {
      status: 409,
      code: 'custody-moved',
      message: 'This meeting was handed to another tablet.',
    });
    await addAttendees(store, meetingId, 1, 0);
    await until(() => meetingId in contextOf(sync).quarantine, 'the refusal');

    const problem = contextOf(sync).quarantine[meetingId]?.problem ?? { code: '', message: '', at: '' };
    expect(problem).toMatchObject({
      code: 'custody-moved',
      status: 409,
      message: 'This meeting was handed to another tablet.',
    });
    expect(problemText(t, problem)).toBe(
      'The records service did not accept what was sent (custody-moved). Ask an administrator.',
    );
  });

  it('failures that may pass back off exponentially with jitter, then recover', async () => {
    const r = await rig();
    const { store, server, sync, random } = r;
    server.script = ['http-500', 'network', 'http-500', 'http-500', 'http-500'];
    await meetingWith(store, 1);
    await until(() => phaseOf(sync) === 'retrying', 'the first failure');
    expect(server.requests.length).toBe(1);
    expect(contextOf(sync).lastError?.code).toBe('http-500');
    // New events and the periodic timer do not cut the backoff short.
    await addAttendees(store, (await store.list())[0]?.id ?? '', 1, 1);
    await advance(900);
    expect(server.requests.length).toBe(1);

    await advance(40_000, 100);
    await until(() => server.stored().length === 3, 'the events to arrive');
    const gaps = server.requests.slice(1).map((q, i) => q.at - (server.requests[i]?.at ?? 0));
    // random() = 0.5 of min(5 min, 2 s · 2^(n-1)): 1 s, 2 s, 4 s, 8 s, 16 s (to within a step of fake time).
    expect(gaps.slice(0, 5).map((g) => Math.round(g / 500) * 500)).toEqual([
      1_000, 2_000, 4_000, 8_000, 16_000,
    ]);
    expect(random).toHaveBeenCalledTimes(5);
    await until(() => phaseOf(sync) === 'idle', 'idle');
    expect(contextOf(sync)).toMatchObject({ attempt: 0, lastError: null });

    // Full jitter: anywhere from 0 to the ceiling, and the ceiling stops at 5 minutes.
    expect(backoffDelay(1, () => 0)).toBe(0);
    expect(backoffDelay(1, () => 0.999)).toBe(1_998);
    expect(backoffDelay(4, () => 0.25)).toBe(4_000);
    expect(backoffDelay(30, () => 0.999)).toBe(299_700);
  });

  it('a 429 waits at least as long as the service’s Retry-After', async () => {
    const { store, server, sync } = await rig();
    server.script = [{ status: 429, retryAfter: '120' }];
    await meetingWith(store, 0);
    await until(() => phaseOf(sync) === 'retrying', 'the 429');
    expect(contextOf(sync).retryInMs).toBe(120_000);
    await advance(110_000, 5_000);
    expect(server.requests.length).toBe(1);
    await advance(15_000, 1_000);
    await until(() => server.stored().length === 1, 'the retry');
  });

  it('a lost response is retried with the same idempotency key and nothing is duplicated', async () => {
    const { db, store, server, sync, makeSync } = await rig();
    server.script = ['drop-response'];
    await meetingWith(store, 3);
    await until(() => server.requests.length >= 1, 'the first request');
    await until(() => phaseOf(sync) === 'retrying', 'the retry');
    // The service kept the batch, the tablet does not know: the outbox still holds it.
    expect(server.stored().length).toBeGreaterThan(0);
    expect(await db.outbox.count()).toBe(4);

    // The tablet is reloaded before the retry (a crash between send and ack).
    sync.stop();
    const reloaded = makeSync();
    await until(async () => (await db.outbox.count()) === 0, 'the ack');

    const [firstRequest, resent] = server.requests;
    expect(resent?.key).toBe(firstRequest?.key);
    expect(resent?.ids).toEqual(firstRequest?.ids);
    expect(server.stored()).toHaveLength(4);
    expect(new Set(server.stored().map((e) => e.id)).size).toBe(4);
    await until(() => phaseOf(reloaded) === 'idle', 'idle');
  });

  it('a revoked tablet stops sending, tells the chair, and starts again when enrolled anew', async () => {
    const { store, server, sync, online, makeSync } = await rig();
    const meetingId = await meetingWith(store, 1);
    await until(() => heldOnServer(server, meetingId) === 2, 'the first sync');

    server.revokeAll();
    await addAttendees(store, meetingId, 1, 1);
    await until(() => phaseOf(sync) === 'revoked', 'the revocation');
    const requests = server.requests.length;
    expect(contextOf(sync).lastError).toMatchObject({ code: 'device-revoked', status: 401 });
    expect(problemText(t, contextOf(sync).lastError ?? { code: '', message: '', at: '' })).toMatch(
      /removed from the records service/,
    );

    // Nothing more is sent: not on a timer, not when online, not after a new event, not after a reload.
    await addAttendees(store, meetingId, 1, 2);
    online.dispatchEvent(new Event('online'));
    await advance(10 * 60_000, 1_000);
    sync.stop();
    const reloaded = makeSync();
    await advance(2_000);
    expect(await reloaded.syncNow()).toMatchObject({ kind: 'stopped', reason: 'revoked' });
    expect(server.requests.length).toBe(requests);
    expect(phaseOf(reloaded)).toBe('revoked');

    // A new code from an administrator brings it back.
    server.codes.add('ENROL-654321');
    expect((await reloaded.enrol('ENROL-654321')).ok).toBe(true);
    await until(() => heldOnServer(server, meetingId) === 4, 'the re-sync');
    await until(() => phaseOf(reloaded) === 'idle', 'idle');
  });

  it('going online pushes at once; surely offline, nothing is tried', async () => {
    const r = await rig();
    const { store, server, random } = r;
    random.mockReturnValue(0.99);
    setNetwork(r, false);
    const meetingId = await meetingWith(store, 1);
    await advance(2 * 60_000, 1_000);
    expect(server.requests).toHaveLength(0);
    setNetwork(r, true);
    await until(() => heldOnServer(server, meetingId) === 2, 'the push when online');

    // The browser says online but the network fails: the backoff would wait almost 2 s...
    server.script = ['network'];
    await addAttendees(store, meetingId, 1, 1);
    await until(() => phaseOf(r.sync) === 'retrying', 'the failure');
    expect(contextOf(r.sync).lastError?.code).toBe('network');
    const failedAt = server.requests.at(-1)?.at ?? 0;
    // ...but the network coming back does not wait.
    await advance(100);
    r.online.dispatchEvent(new Event('online'));
    await until(() => heldOnServer(server, meetingId) === 3, 'the push');
    expect(Date.now() - failedAt).toBeLessThan(1_000);
  });

  it('enrolment sends the tablet device id and keeps the token; a tablet not enrolled sends nothing', async () => {
    const { db, store, server, sync } = await rig({ isEnrolled: false });
    await meetingWith(store, 1);
    await advance(2 * 60_000, 1_000);
    expect(server.requests).toHaveLength(0);
    expect(phaseOf(sync)).toBe('not-enrolled');
    expect(await sync.syncNow()).toEqual({ kind: 'not-enrolled' });

    expect(await sync.enrol('nope')).toMatchObject({ ok: false, code: 'invalid-code' });
    expect(await sync.enrol(CODE, 'not a url')).toMatchObject({ ok: false, code: 'bad-address' });
    const enrolled = await sync.enrol(CODE, `${SERVER}/`);
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

  it('the name the chair gives the tablet is its label at the records service, on one line', async () => {
    const { server, sync } = await rig({ isEnrolled: false });
    expect((await sync.enrol(CODE, SERVER, '  Room 2\n  tablet ')).ok).toBe(true);
    expect(server.enrolRequests.at(-1)).toMatchObject({ label: 'Room 2 tablet' });
  });
});
