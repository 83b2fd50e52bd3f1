import 'fake-indexeddb/auto';
import { type DBCore, Dexie, type Middleware } from 'dexie';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isoWithOffset } from '../../src/domain/chain';
import { phaseOf, SNAPSHOT_VERSION } from '../../src/domain/engine';
import type { DomainEvent, EventOf } from '../../src/domain/events';
import { replay } from '../../src/domain/replay';
import { createDb, type KioskDb } from '../../src/storage/db';
import {
  BrokenLogError,
  checkStorage,
  ensureDeviceId,
  MeetingStore,
  type MeetingStoreOptions,
} from '../../src/storage/meetingStore';
import * as s from '../support/scenario';

const { people } = s;

/** Lets a test act between sealing an event and writing it (another tab writing in that moment). */
const afterSeal = vi.hoisted(() => ({ current: null as null | (() => Promise<void>) }));
vi.mock('../../src/domain/chain', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../src/domain/chain')>();
  return {
    ...actual,
    sealEvent: async (...args: Parameters<typeof actual.sealEvent>) => {
      const sealed = await actual.sealEvent(...args);
      // One shot: a hook that wants to run again re-arms itself.
      const hook = afterSeal.current;
      afterSeal.current = null;
      if (hook) await hook();
      return sealed;
    },
  };
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const openDbs: KioskDb[] = [];
let dbCount = 0;

function newDb(): KioskDb {
  dbCount += 1;
  const db = createDb(`kiosk-test-${dbCount}-${crypto.randomUUID()}`);
  openDbs.push(db);
  return db;
}

afterEach(async () => {
  afterSeal.current = null;
  vi.restoreAllMocks();
  for (const db of openDbs.splice(0)) await db.delete();
});

/** A clock that moves on a minute each time it is read. */
function clock(start = '2026-11-23T09:58:00Z'): () => Date {
  let t = Date.parse(start);
  return () => {
    const now = new Date(t);
    t += 60_000;
    return now;
  };
}

function storeOn(db: KioskDb, options: Partial<MeetingStoreOptions> = {}): MeetingStore {
  return new MeetingStore(db, { deviceId: s.DEVICE_ID, now: clock(), ...options });
}

const openedEvent = (title = 'Review meeting for Jamie'): EventOf<'meeting.opened'> => {
  const event = s.opened() as EventOf<'meeting.opened'>;
  return { ...event, payload: { ...event.payload, meeting: { ...event.payload.meeting, title } } };
};

async function openMeeting(store: MeetingStore, title?: string): Promise<string> {
  const result = await store.createMeeting(openedEvent(title));
  if (!result.ok) throw new Error(`could not open: ${result.rejection.code}`);
  return result.meetingId;
}

async function appendAll(store: MeetingStore, meetingId: string, events: readonly DomainEvent[]) {
  for (const event of events) {
    const result = await store.append(meetingId, event);
    if (!result.ok)
      throw new Error(`${event.type} refused: ${result.rejection.code} ${result.rejection.message}`);
  }
}

/** Up to the point where the chair asks the attendees, one at a time. */
const UP_TO_THE_ROUND: DomainEvent[] = [
  s.added(people.chair),
  s.added(people.mother),
  s.added(people.socialWorker),
  s.requested('mother'),
  s.eligible(),
  s.signed('mother'),
];

async function tableCounts(db: KioskDb) {
  return {
    events: await db.events.count(),
    outbox: await db.outbox.count(),
    snapshots: await db.snapshots.count(),
    meetings: await db.meetings.count(),
  };
}

/** A database whose next writes to one table fail with `error` (as IndexedDB would when the disk is full). */
function dbWithFailingWrites() {
  const db = newDb();
  const failure: { table: string | null; error: unknown } = { table: null, error: null };
  const middleware: Middleware<DBCore> = {
    stack: 'dbcore',
    name: 'test-failing-writes',
    create: (down) => ({
      ...down,
      table: (tableName) => {
        const table = down.table(tableName);
        return {
          ...table,
          mutate: (req) => (failure.table === tableName ? Promise.reject(failure.error) : table.mutate(req)),
        };
      },
    }),
  };
  db.use(middleware);
  return { db, failure };
}

const quotaError = () =>
  new DOMException(
    'An attempt was made to add something to storage that exceeded the quota.',
    'QuotaExceededError',
  );

describe('the database schema', () => {
  it('opens on a fresh IndexedDB with every table and the indexes the store uses', async () => {
    const db = newDb();
    await db.open();
    expect(db.verno).toBe(3);

    const schema = Object.fromEntries(
      db.tables.map((t) => [
        t.name,
        {
          primKey: t.schema.primKey.keyPath,
          auto: t.schema.primKey.auto,
          indexes: Object.fromEntries(t.schema.indexes.map((i) => [i.name, { unique: !!i.unique }])),
        },
      ]),
    );
    expect(schema).toEqual({
      meetings: {
        primKey: 'id',
        auto: false,
        indexes: { status: { unique: false }, createdAt: { unique: false } },
      },
      events: {
        primKey: ['meetingId', 'seq'],
        auto: false,
        indexes: { id: { unique: true }, meetingId: { unique: false } },
      },
      outbox: {
        primKey: 'id',
        auto: true,
        indexes: { eventId: { unique: true }, meetingId: { unique: false } },
      },
      snapshots: { primKey: 'meetingId', auto: false, indexes: {} },
      settings: { primKey: 'key', auto: false, indexes: {} },
      sealed: {
        primKey: ['meetingId', 'firstSeq'],
        auto: false,
        indexes: { meetingId: { unique: false } },
      },
      prepared: { primKey: 'meetingId', auto: false, indexes: { startsAt: { unique: false } } },
    });

    // And IndexedDB itself has them (not only Dexie's idea of the schema).
    const idb = db.backendDB();
    expect([...idb.objectStoreNames].sort()).toEqual([
      'events',
      'meetings',
      'outbox',
      'prepared',
      'sealed',
      'settings',
      'snapshots',
    ]);
    const tx = idb.transaction(['events', 'outbox', 'meetings'], 'readonly');
    expect([...tx.objectStore('events').indexNames].sort()).toEqual(['id', 'meetingId']);
    expect(tx.objectStore('events').index('id').unique).toBe(true);
    expect(tx.objectStore('events').keyPath).toEqual(['meetingId', 'seq']);
    expect([...tx.objectStore('outbox').indexNames].sort()).toEqual(['eventId', 'meetingId']);
    expect(tx.objectStore('outbox').index('eventId').unique).toBe(true);
    expect([...tx.objectStore('meetings').indexNames].sort()).toEqual(['createdAt', 'status']);
  });

  it('refuses a second event with the same number in a meeting', async () => {
    const db = newDb();
    const store = storeOn(db);
    const meetingId = await openMeeting(store);
    const [first] = await store.events(meetingId);
    if (!first) throw new Error('no first event');
    await expect(db.events.add({ ...first, id: crypto.randomUUID(), syncedAt: null })).rejects.toMatchObject({
      name: 'ConstraintError',
    });
  });
});

describe('a meeting on the tablet', () => {
  it('opening a meeting writes its first event, outbox row, snapshot and meeting row', async () => {
    const db = newDb();
    const store = storeOn(db);
    const result = await store.createMeeting(openedEvent('Jamie review'));
    if (!result.ok) throw new Error(result.rejection.message);

    expect(result.meetingId).toMatch(UUID);
    expect(result.envelope).toMatchObject({ seq: 1, meetingId: result.meetingId, deviceId: s.DEVICE_ID });
    expect(phaseOf(result.snapshot)).toBe('preparing');
    expect(await tableCounts(db)).toEqual({ events: 1, outbox: 1, snapshots: 1, meetings: 1 });
    expect(await db.meetings.get(result.meetingId)).toEqual({
      id: result.meetingId,
      status: 'open',
      title: 'Jamie review',
      kind: 'meeting',
      profileId: 'hertfordshire',
      createdAt: result.envelope.at,
      closedAt: null,
      headSeq: 1,
      headHash: result.envelope.hash,
      phase: 'preparing',
      updatedAt: result.envelope.at,
    });
  });

  it('an event, its outbox row and the snapshot are written together', async () => {
    const db = newDb();
    const store = storeOn(db);
    const meetingId = await openMeeting(store);
    const result = await store.append(meetingId, s.added(people.chair));
    if (!result.ok) throw new Error(result.rejection.message);

    const { envelope } = result;
    expect(envelope.seq).toBe(2);
    expect(await db.events.get([meetingId, 2])).toEqual({ ...envelope, syncedAt: null });
    expect(await db.outbox.where('eventId').equals(envelope.id).first()).toMatchObject({ meetingId, seq: 2 });
    expect(await db.snapshots.get(meetingId)).toMatchObject({
      headSeq: 2,
      snapshotVersion: SNAPSHOT_VERSION,
      value: 'preparing',
    });
    expect((await db.snapshots.get(meetingId))?.context.attendees.map((a) => a.id)).toEqual(['chair']);
    expect(await db.meetings.get(meetingId)).toMatchObject({
      headSeq: 2,
      headHash: envelope.hash,
      updatedAt: envelope.at,
    });
  });

  it('if any part of an event cannot be written, none of it is', async () => {
    const { db, failure } = dbWithFailingWrites();
    const store = storeOn(db);
    const meetingId = await openMeeting(store);
    const before = await tableCounts(db);

    // The snapshot is written after the event and its outbox row: its failure must undo them.
    failure.table = 'snapshots';
    failure.error = new Dexie.UnknownError('disk error');
    const result = await store.append(meetingId, s.added(people.chair));
    expect(result).toMatchObject({ ok: false, rejection: { code: 'storage-failed' } });
    expect(await tableCounts(db)).toEqual(before);
    expect(await db.meetings.get(meetingId)).toMatchObject({ headSeq: 1 });
  });

  it('each event is sealed into an unbroken chain, timed by the tablet clock with its offset', async () => {
    const db = newDb();
    const times = [
      new Date('2026-11-23T10:00:00Z'),
      new Date('2026-11-23T10:01:30Z'),
      new Date('2026-11-23T10:02:00Z'),
    ];
    let i = 0;
    const store = storeOn(db, { now: () => times[i++] ?? new Date() });
    const meetingId = await openMeeting(store);
    await appendAll(store, meetingId, [s.added(people.chair), s.added(people.mother)]);

    const events = await store.events(meetingId);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(events.map((e) => e.at)).toEqual(times.map(isoWithOffset));
    expect(events.every((e) => e.deviceId === s.DEVICE_ID && !('syncedAt' in e))).toBe(true);
    const replayed = await replay(events);
    expect(replayed.ok).toBe(true);
    expect(replayed.ok && replayed.headHash).toBe((await db.meetings.get(meetingId))?.headHash);
  });

  it('a clock set back during a meeting never dates an event before the one it follows', async () => {
    const db = newDb();
    const times = [
      new Date('2026-11-23T10:05:00Z'),
      new Date('2026-11-23T09:40:00Z'), // the clock was set back 25 minutes
      new Date('2026-11-23T09:41:00Z'),
      new Date('2026-11-23T10:06:00Z'),
    ];
    let i = 0;
    const store = storeOn(db, { now: () => times[i++] ?? new Date() });
    const meetingId = await openMeeting(store);
    await appendAll(store, meetingId, [
      s.added(people.chair),
      s.added(people.mother),
      s.added(people.health),
    ]);

    const events = await store.events(meetingId);
    expect(events.map((e) => e.at)).toEqual(
      [times[0], times[0], times[0], times[3]].map((t) => isoWithOffset(t as Date)),
    );
    // The records service's check (replay) takes the log.
    expect((await replay(events)).ok).toBe(true);
    // A new store (a reload) knows the time of the last event from the stored log.
    i = 1;
    const reloaded = storeOn(db, { now: () => times[i++] ?? new Date() });
    const late = await reloaded.append(meetingId, s.added(people.socialWorker));
    expect(late.ok && late.envelope.at).toBe(isoWithOffset(times[3] as Date));
  });

  it('reloading resumes at the same step', async () => {
    const db = newDb();
    const store = storeOn(db);
    const meetingId = await openMeeting(store);
    await appendAll(store, meetingId, [...UP_TO_THE_ROUND, s.asked('chair')]);
    const before = await store.load(meetingId);

    // A reload: a new store on the same database, knowing nothing.
    const reloaded = storeOn(db);
    expect((await reloaded.openMeeting())?.id).toBe(meetingId);
    const loaded = await reloaded.load(meetingId);
    if (!loaded || !before) throw new Error('not loaded');
    expect(phaseOf(loaded.snapshot)).toBe('review.round');
    expect(loaded.snapshot.context.asking).toBe('chair');
    expect(loaded.snapshot.value).toEqual(before.snapshot.value);
    expect(loaded.snapshot.context).toEqual(before.snapshot.context);
    expect(loaded.events).toEqual(before.events);

    // And it carries on from there.
    const next = await reloaded.append(meetingId, {
      type: 'consent.given',
      payload: { attendeeId: 'chair' },
    });
    expect(next).toMatchObject({ ok: true, envelope: { seq: UP_TO_THE_ROUND.length + 3 } });
  });

  it('only one meeting can be open at a time', async () => {
    const db = newDb();
    const store = storeOn(db);
    const first = await openMeeting(store, 'First');

    const second = await store.createMeeting(openedEvent('Second'));
    expect(second).toMatchObject({ ok: false, rejection: { code: 'meeting-already-open' } });
    // Another tab is held to the same rule.
    const otherTab = await storeOn(db).createMeeting(openedEvent('Second'));
    expect(otherTab).toMatchObject({ ok: false, rejection: { code: 'meeting-already-open' } });
    expect(await tableCounts(db)).toEqual({ events: 1, outbox: 1, snapshots: 1, meetings: 1 });

    await appendAll(store, first, s.chairAddedConfirmsAndCloses);
    expect(await store.openMeeting()).toBeUndefined();
    const third = await store.createMeeting(openedEvent('Third'));
    expect(third.ok).toBe(true);
  });

  it('closing a meeting marks it closed, with when', async () => {
    const db = newDb();
    const store = storeOn(db);
    const meetingId = await openMeeting(store);
    await appendAll(store, meetingId, [s.added(people.chair), s.confirmed()]);
    const result = await store.append(meetingId, s.closed);
    if (!result.ok) throw new Error(result.rejection.message);
    expect(await db.meetings.get(meetingId)).toMatchObject({
      status: 'closed',
      closedAt: result.envelope.at,
      phase: 'closed',
      headSeq: 4,
    });
    // Nothing can be added to a closed meeting.
    const late = await store.append(meetingId, s.added(people.chair));
    expect(late).toMatchObject({ ok: false, rejection: { code: 'not-allowed-now' } });
  });

  it('a rejected event writes nothing', async () => {
    const db = newDb();
    const store = storeOn(db);
    const meetingId = await openMeeting(store);
    await appendAll(store, meetingId, [s.added(people.chair)]);
    const before = {
      counts: await tableCounts(db),
      snapshot: await db.snapshots.get(meetingId),
      row: await db.meetings.get(meetingId),
    };

    const duplicate = await store.append(meetingId, s.added(people.chair));
    expect(duplicate).toMatchObject({ ok: false, rejection: { code: 'duplicate-attendee' } });
    const outOfOrder = await store.append(meetingId, s.recordingStarted);
    expect(outOfOrder).toMatchObject({ ok: false, rejection: { code: 'not-allowed-now' } });
    const malformed = await store.append(meetingId, {
      type: 'attendee.left',
      payload: {},
    } as unknown as DomainEvent);
    expect(malformed).toMatchObject({
      ok: false,
      rejection: { code: 'field-required', field: 'attendeeId' },
    });

    expect(await tableCounts(db)).toEqual(before.counts);
    expect(await db.snapshots.get(meetingId)).toEqual(before.snapshot);
    expect(await db.meetings.get(meetingId)).toEqual(before.row);
  });

  it('an event for a meeting that is not on the tablet is refused', async () => {
    const store = storeOn(newDb());
    const result = await store.append('0193a1b2-0000-7000-8000-00000000ffff', s.added(people.chair));
    expect(result).toMatchObject({ ok: false, rejection: { code: 'unknown-meeting' } });
    expect(await store.load('0193a1b2-0000-7000-8000-00000000ffff')).toBeNull();
  });

  it('two fast taps are written one after the other, never both against the same step', async () => {
    const db = newDb();
    const store = storeOn(db);
    const meetingId = await openMeeting(store);

    // Same button twice: the second is checked against the state after the first, so it is refused.
    const [tap1, tap2] = await Promise.all([
      store.append(meetingId, s.added(people.chair)),
      store.append(meetingId, s.added(people.chair)),
    ]);
    expect(tap1.ok).toBe(true);
    expect(tap2).toMatchObject({ ok: false, rejection: { code: 'duplicate-attendee' } });

    // Different events in quick succession all land, in the order they were sent.
    const results = await Promise.all(
      [people.mother, people.socialWorker, people.health].map((p) => store.append(meetingId, s.added(p))),
    );
    expect(results.map((r) => r.ok && r.envelope.seq)).toEqual([3, 4, 5]);
    const events = await store.events(meetingId);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3, 4, 5]);
    expect((await replay(events)).ok).toBe(true);
  });

  it('an event written meanwhile by another tab is noticed, and the event is checked again after it', async () => {
    const db = newDb();
    const tabA = storeOn(db);
    const tabB = storeOn(db);
    const meetingId = await openMeeting(tabA);
    await tabB.load(meetingId);

    // Tab B adds the chair while tab A is sealing its own event.
    afterSeal.current = () => appendAll(tabB, meetingId, [s.added(people.chair)]);
    const result = await tabA.append(meetingId, s.added(people.mother));
    expect(result).toMatchObject({ ok: true, envelope: { seq: 3 } });
    expect(result.ok && result.snapshot.context.attendees.map((a) => a.id)).toEqual(['chair', 'mother']);
    expect((await replay(await tabA.events(meetingId))).ok).toBe(true);

    // The re-check uses the other tab's event: the same person cannot be added twice that way.
    afterSeal.current = () => appendAll(tabB, meetingId, [s.added(people.socialWorker)]);
    const duplicate = await tabA.append(meetingId, s.added(people.socialWorker));
    expect(duplicate).toMatchObject({ ok: false, rejection: { code: 'duplicate-attendee' } });
    expect(await db.events.count()).toBe(4);
  });

  it('a meeting that keeps changing elsewhere while saving is refused, writing nothing', async () => {
    const db = newDb();
    const tabA = storeOn(db);
    const tabB = storeOn(db);
    const meetingId = await openMeeting(tabA);
    const others = [people.chair, people.socialWorker];
    // Every time tab A seals, tab B gets in first.
    const interfere = async () => {
      const next = others.shift();
      if (next) await appendAll(tabB, meetingId, [s.added(next)]);
      afterSeal.current = interfere;
    };
    afterSeal.current = interfere;
    const result = await tabA.append(meetingId, s.added(people.mother));
    expect(result).toMatchObject({ ok: false, rejection: { code: 'concurrent-change' } });
    afterSeal.current = null;
    const events = await tabA.events(meetingId);
    expect(events.map((e) => e.type)).toEqual(['meeting.opened', 'attendee.added', 'attendee.added']);
    expect(await db.outbox.count()).toBe(3);
    // Trying again works.
    expect(await tabA.append(meetingId, s.added(people.mother))).toMatchObject({
      ok: true,
      envelope: { seq: 4 },
    });
  });

  it.each([
    ['QuotaExceededError', 'storage-full', quotaError],
    [
      'AbortError wrapping QuotaExceededError (Chrome)',
      'storage-full',
      () => new Dexie.AbortError('Transaction aborted', quotaError()),
    ],
    ['an unknown IndexedDB error', 'storage-failed', () => new Dexie.UnknownError('Internal error')],
  ])('a storage failure (%s) loses no event already written', async (_label, code, makeError) => {
    const { db, failure } = dbWithFailingWrites();
    const store = storeOn(db);
    const meetingId = await openMeeting(store);
    await appendAll(store, meetingId, [s.added(people.chair), s.added(people.mother)]);
    const before = {
      events: await db.events.toArray(),
      outbox: await db.outbox.toArray(),
      snapshot: await db.snapshots.get(meetingId),
      row: await db.meetings.get(meetingId),
    };

    failure.table = 'events';
    failure.error = makeError();
    const result = await store.append(meetingId, s.added(people.socialWorker));
    expect(result).toMatchObject({ ok: false, rejection: { code } });
    expect(result.ok || result.rejection.message).toMatch(/saved before it is safe/);

    expect(await db.events.toArray()).toEqual(before.events);
    expect(await db.outbox.toArray()).toEqual(before.outbox);
    expect(await db.snapshots.get(meetingId)).toEqual(before.snapshot);
    expect(await db.meetings.get(meetingId)).toEqual(before.row);

    // Once there is room again, the same step can be saved, and the chain carries on unbroken.
    failure.table = null;
    expect(await store.append(meetingId, s.added(people.socialWorker))).toMatchObject({
      ok: true,
      envelope: { seq: 4 },
    });
    const loaded = await storeOn(db).load(meetingId);
    expect(loaded?.events.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
  });

  it('a full tablet cannot open a new meeting, and says so', async () => {
    const { db, failure } = dbWithFailingWrites();
    failure.table = 'events';
    failure.error = new Dexie.AbortError('Transaction aborted', quotaError());
    const result = await storeOn(db).createMeeting(openedEvent());
    expect(result).toMatchObject({ ok: false, rejection: { code: 'storage-full' } });
    expect(await tableCounts(db)).toEqual({ events: 0, outbox: 0, snapshots: 0, meetings: 0 });
  });

  it('a stale snapshot is rebuilt from the log', async () => {
    const db = newDb();
    const store = storeOn(db);
    const meetingId = await openMeeting(store);
    await appendAll(store, meetingId, UP_TO_THE_ROUND);
    const expected = await store.load(meetingId);
    const stored = await db.snapshots.get(meetingId);
    if (!stored || !expected) throw new Error('missing');

    // As if the tab had died after an older snapshot: the snapshot says step 2, the log has more.
    const { attendees: _a, ...context } = stored.context;
    await db.snapshots.put({
      ...stored,
      headSeq: 2,
      value: 'preparing',
      context: { ...context, attendees: [] },
    });

    const loaded = await storeOn(db).load(meetingId);
    expect(phaseOf(loaded?.snapshot ?? expected.snapshot)).toBe(phaseOf(expected.snapshot));
    expect(loaded?.snapshot.context).toEqual(expected.snapshot.context);
    // ...and the stored snapshot is repaired.
    expect(await db.snapshots.get(meetingId)).toEqual(stored);
  });

  it('a snapshot from another app version is rebuilt from the log', async () => {
    const db = newDb();
    const store = storeOn(db);
    const meetingId = await openMeeting(store);
    await appendAll(store, meetingId, UP_TO_THE_ROUND);
    const stored = await db.snapshots.get(meetingId);
    if (!stored) throw new Error('missing');
    await db.snapshots.put({ ...stored, snapshotVersion: SNAPSHOT_VERSION + 99, value: 'nonsense' });

    const loaded = await storeOn(db).load(meetingId);
    expect(loaded && phaseOf(loaded.snapshot)).toBe('review.round');
    expect(await db.snapshots.get(meetingId)).toEqual(stored);
  });

  it('an altered event is reported as a broken log, not papered over', async () => {
    const db = newDb();
    const store = storeOn(db);
    const meetingId = await openMeeting(store);
    await appendAll(store, meetingId, [s.added(people.chair), s.added(people.mother)]);
    const second = await db.events.get([meetingId, 2]);
    if (second?.type !== 'attendee.added') throw new Error('missing');
    await db.events.put({
      ...second,
      payload: { attendee: { ...second.payload.attendee, name: 'Someone Else' } },
    });
    await db.snapshots.delete(meetingId);

    const fresh = storeOn(db);
    const error = await fresh.load(meetingId).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BrokenLogError);
    expect(error).toMatchObject({ replayError: { code: 'bad-hash', seq: 2 } });
    // Nothing more is written onto a broken log.
    expect(await fresh.append(meetingId, s.added(people.socialWorker))).toMatchObject({
      ok: false,
      rejection: { code: 'broken-log' },
    });
    expect(await db.events.count()).toBe(3);
  });

  it('every event waits in the outbox until the records service acknowledges it', async () => {
    const db = newDb();
    const store = storeOn(db);
    const meetingId = await openMeeting(store);
    await appendAll(store, meetingId, [
      s.added(people.chair),
      s.added(people.mother),
      s.added(people.health),
    ]);

    const pending = await store.pendingOutbox(2);
    expect(pending.map((e) => e.seq)).toEqual([1, 2]);
    expect(pending.every((e) => !('syncedAt' in e))).toBe(true);

    await store.markSynced(
      pending.map((e) => e.id),
      '2026-11-23T11:00:00+00:00',
    );
    expect((await store.pendingOutbox(10)).map((e) => e.seq)).toEqual([3, 4]);
    expect((await db.events.get([meetingId, 1]))?.syncedAt).toBe('2026-11-23T11:00:00+00:00');
    expect((await db.events.get([meetingId, 3]))?.syncedAt).toBeNull();
    // Acknowledging again (a retried response) changes nothing.
    await store.markSynced([pending[0]?.id ?? ''], '2026-11-23T12:00:00+00:00');
    expect(await db.outbox.count()).toBe(2);
  });

  it('meetings are listed newest first', async () => {
    const db = newDb();
    const store = storeOn(db);
    const first = await openMeeting(store, 'First');
    await appendAll(store, first, s.chairAddedConfirmsAndCloses);
    const second = await openMeeting(store, 'Second');
    await appendAll(store, second, s.chairAddedConfirmsAndCloses);
    const third = await openMeeting(store, 'Third');

    expect((await store.list()).map((m) => m.title)).toEqual(['Third', 'Second', 'First']);
    expect((await store.list()).map((m) => m.status)).toEqual(['open', 'closed', 'closed']);
    expect((await store.openMeeting())?.id).toBe(third);
  });
});

describe('the tablet itself', () => {
  it('the device id is made once and kept', async () => {
    const db = newDb();
    const [a, b] = await Promise.all([ensureDeviceId(db), ensureDeviceId(db)]);
    expect(a).toMatch(UUID);
    expect(a).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(b).toBe(a);
    db.close();
    const reopened = createDb(db.name);
    openDbs.push(reopened);
    expect(await ensureDeviceId(reopened)).toBe(a);
    reopened.close();
  });

  it('working storage passes the check and keeps nothing from it', async () => {
    const db = newDb();
    expect(await checkStorage(db)).toEqual({ ok: true });
    expect(await db.settings.count()).toBe(0);
  });

  it('a private window that cannot write is refused, not replaced by memory', async () => {
    const { db, failure } = dbWithFailingWrites();
    failure.table = 'settings';
    failure.error = new DOMException(
      'A mutation operation was attempted on a database that did not allow mutations.',
      'InvalidStateError',
    );
    expect(await checkStorage(db)).toMatchObject({ ok: false, reason: 'private-mode' });
  });

  it('a browser without IndexedDB is reported as unavailable', async () => {
    const db = newDb();
    vi.spyOn(db, 'open').mockRejectedValue(new Dexie.MissingAPIError('IndexedDB API missing'));
    expect(await checkStorage(db)).toMatchObject({ ok: false, reason: 'unavailable' });
  });

  it('storage that never opens (held by another tab) is reported as blocked', async () => {
    const db = newDb();
    vi.spyOn(db, 'open').mockReturnValue(new Promise(() => undefined) as never);
    expect(await checkStorage(db, { timeoutMs: 20 })).toMatchObject({ ok: false, reason: 'blocked' });
  });
});
