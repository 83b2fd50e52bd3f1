/**
 * Issue 16, revocation then re-enrolment: a tablet closes meetings offline (sealed), is revoked, is enrolled
 * again (under a new device id, since the service never enrols an id twice), and an administrator replaces
 * the old device by the new one. The tablet's own code (IndexedDB, the outbox, enrolment) runs against the
 * real records service: until the replacement, the old tablet's meetings wait with the reason in plain
 * words while the others are sent; after it, every sealed batch is taken exactly once, and the service's
 * minute entry is the tablet's.
 */
import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { minuteOf } from '../../server/records';
import { minuteEntry } from '../../src/domain';
import type { EventEnvelope, EventOf } from '../../src/domain/events';
import { PROTOCOL_VERSION } from '../../src/domain/protocol';
import { enGB } from '../../src/shared/i18n/en-GB';
import { createDb, type KioskDb, type SealedRow } from '../../src/storage/db';
import { ensureDeviceId, MeetingStore } from '../../src/storage/meetingStore';
import { readEnrolment } from '../../src/sync/enrolment';
import { type PushOutput, pushOnce, readQuarantine } from '../../src/sync/push';
import { createSync, type SyncHandle } from '../../src/sync/service';
import * as s from '../support/scenario';
import { adminCookie, fingerprint, type Harness, makeHarness, newCode, ORIGIN, TARGETS } from './harness';

const PASSWORD = 'correct horse battery staple';
const MINUTE = 60_000;

/** The tablet: its database, its meeting store, its sync (never pushing by itself), and its network. */
interface Tablet {
  db: KioskDb;
  store: MeetingStore;
  sync: SyncHandle;
  isOnline: boolean;
  clock: Date;
  close: () => Promise<void>;
}

async function makeTablet(h: Harness): Promise<Tablet> {
  const db = createDb(`reenrol-${crypto.randomUUID()}`);
  const deviceId = await ensureDeviceId(db);
  const tablet = { db, isOnline: true, clock: new Date('2026-11-23T10:00:00Z') } as Tablet;
  const now = () => tablet.clock;
  tablet.store = new MeetingStore(db, { deviceId, now });
  const fetch = ((input: RequestInfo | URL, init?: RequestInit) =>
    tablet.isOnline
      ? Promise.resolve(h.app.request(String(input), init))
      : Promise.reject(new TypeError('Failed to fetch'))) as typeof globalThis.fetch;
  // Pushes are made one at a time below (the sync machine's push actor); the machine itself stays idle.
  tablet.sync = createSync({
    db,
    store: tablet.store,
    fetch,
    now,
    random: () => 0.5,
    serverUrl: ORIGIN,
    networkEvents: null,
    isOnline: () => false,
  });
  tablet.close = async () => {
    tablet.sync.stop();
    db.close();
    await Dexie.delete(db.name);
  };
  return tablet;
}

const fetchOf = (t: Tablet) =>
  ((input: RequestInfo | URL, init?: RequestInit) =>
    t.sync.actor.getSnapshot().context.deps.fetch(input, init)) as typeof globalThis.fetch;

const push = (t: Tablet, release: readonly string[] = []): Promise<PushOutput> =>
  pushOnce({ deps: { db: t.db, store: t.store, fetch: fetchOf(t), now: () => t.clock }, release });

/** Pushes until the tablet has nothing more it may send; returns what each push did. */
async function pushAll(t: Tablet): Promise<PushOutput['kind'][]> {
  const kinds: PushOutput['kind'][] = [];
  for (let i = 0; i < 20; i++) {
    const out = await push(t);
    kinds.push(out.kind);
    if (out.kind !== 'sent' && out.kind !== 'refused') return kinds;
  }
  throw new Error(`the outbox never emptied: ${kinds.join(', ')}`);
}

async function open(t: Tablet, extra: readonly ReturnType<typeof s.added>[] = []): Promise<string> {
  const created = await t.store.createMeeting(s.opened() as EventOf<'meeting.opened'>);
  if (!created.ok) throw new Error(created.rejection.code);
  await append(t, created.meetingId, [s.added(s.people.mother), ...extra]);
  return created.meetingId;
}

async function append(t: Tablet, meetingId: string, events: readonly ReturnType<typeof s.added>[]) {
  for (const event of events) {
    t.clock = new Date(t.clock.getTime() + MINUTE);
    const result = await t.store.append(meetingId, event);
    if (!result.ok) throw new Error(result.rejection.code);
  }
}

const close = (t: Tablet, meetingId: string) => append(t, meetingId, s.chairAddedConfirmsAndCloses);

const tabletMinute = (log: EventEnvelope[]) => JSON.parse(JSON.stringify(minuteEntry(log)));

describe.each(TARGETS)('a revoked tablet enrolled again, against %s', (target) => {
  let h: Harness;
  let cookie: string;
  const tablets: Tablet[] = [];

  beforeAll(async () => {
    h = await makeHarness(target, { adminPassword: PASSWORD });
    cookie = await adminCookie(h, PASSWORD);
  }, 60_000);
  afterAll(async () => {
    for (const t of tablets.splice(0)) await t.close();
    await h?.close();
  });

  const admin = (path: string, fields: Record<string, string> = {}) =>
    h.app.request(`${ORIGIN}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie },
      body: new URLSearchParams(fields).toString(),
    });
  const heldEvents = async (meetingId: string) =>
    (
      await h.database.db
        .selectFrom('events')
        .select(['seq', 'hash'])
        .where('meeting_id', '=', meetingId)
        .orderBy('seq')
        .execute()
    ).map((e) => [e.seq, e.hash]);

  it('sends the old enrolment’s sealed meetings once an administrator replaces the old device by the new one, exactly once, with the tablet’s minute entry', async () => {
    const t = await makeTablet(h);
    tablets.push(t);
    const first = await t.sync.enrol(await newCode(h, cookie), ORIGIN);
    if (!first.ok) throw new Error(first.message);
    const a = first.enrolment.deviceId;

    // M1: opened and partly sent while online (the service holds it open, written by A), closed offline.
    const m1 = await open(t);
    expect(await pushAll(t)).toEqual(['sent', 'nothing']);
    t.isOnline = false;
    await close(t, m1);
    // M2: opened and closed offline: the service never saw it. M3: still open when A is revoked.
    const m2 = await open(t);
    await close(t, m2);
    const m3 = await open(t);
    const logs = { [m1]: await t.store.events(m1), [m2]: await t.store.events(m2) };
    expect(
      (await t.db.sealed.toArray()).map((b) => [b.meetingId, b.firstSeq, b.lastSeq, b.deviceId]),
    ).toEqual([
      [m1, 3, 5, a],
      [m2, 1, 5, a],
    ]);

    // A is revoked: the tablet stops, keeps only the sealed form of its closed meetings.
    expect((await admin(`/admin/devices/${a}/revoke`)).status).toBe(303);
    t.isOnline = true;
    expect(await push(t)).toMatchObject({ kind: 'stopped', reason: 'revoked' });
    expect(await t.db.meetings.get(m1)).toBeUndefined();
    expect(await t.db.meetings.get(m2)).toBeUndefined();
    expect(await t.db.sealed.count()).toBe(2);
    expect((await t.db.meetings.get(m3))?.status).toBe('open');

    // Enrolled again: A stays revoked, so the tablet is enrolled as a new device B, with a new token.
    const again = await t.sync.enrol(await newCode(h, cookie), ORIGIN);
    if (!again.ok) throw new Error(again.message);
    const b = again.enrolment.deviceId;
    expect(b).not.toBe(a);
    expect(again.enrolment.serverDeviceId).toBe(b);
    expect(again.enrolment.deviceToken).not.toBe(first.enrolment.deviceToken);
    expect((await readEnrolment(t.db))?.stoppedBy).toBeNull();
    expect(await ensureDeviceId(t.db)).toBe(b);

    // M3 goes on under B and closes: its sealed form is cut where the writer changed.
    await close(t, m3);
    const m3Log = await t.store.events(m3);
    expect(m3Log.map((e) => e.deviceId)).toEqual([a, a, b, b, b]);
    expect(
      (await t.db.sealed.where('meetingId').equals(m3).toArray()).map((x) => [
        x.firstSeq,
        x.lastSeq,
        x.deviceId,
      ]),
    ).toEqual([
      [1, 2, a],
      [3, 5, b],
    ]);
    // M4: a meeting B opens, all its own.
    const m4 = await open(t);

    // Before the replacement: A's meetings wait, with the reason in plain words; M4 is sent.
    const before = await pushAll(t);
    expect(before.filter((k) => k === 'refused')).toHaveLength(3);
    expect(before.filter((k) => k === 'sent')).toHaveLength(1);
    const held = await readQuarantine(t.db);
    expect(Object.keys(held).sort()).toEqual([m1, m2, m3].sort());
    for (const entry of Object.values(held)) {
      expect(entry.problem).toMatchObject({ code: 'wrong-device', status: 403 });
    }
    expect(enGB.sync.error['wrong-device']).toMatch(/administrator to replace the old tablet by this one/);
    expect(await heldEvents(m4)).toHaveLength(2);
    expect(await heldEvents(m2)).toEqual([]);
    expect(await heldEvents(m1)).toHaveLength(2);

    // The administrator replaces A by B (the hand-over of a whole tablet): M1, open at the service, is B's.
    expect((await admin(`/admin/devices/${a}/replace`, { replacement: b })).status).toBe(303);
    const custody = await h.database.db
      .selectFrom('custody_transfers')
      .select(['meeting_id', 'from_device_id', 'to_device_id', 'from_seq'])
      .execute();
    expect(custody).toEqual([{ meeting_id: m1, from_device_id: a, to_device_id: b, from_seq: 3 }]);

    // The held meetings are asked about again by themselves (half an hour later) and now go in.
    t.clock = new Date(t.clock.getTime() + 31 * MINUTE);
    const sealedRows: SealedRow[] = await t.db.sealed.toArray();
    const after = await pushAll(t);
    expect(after.at(-1)).toBe('nothing');
    expect(after.filter((k) => k === 'refused')).toEqual([]);
    expect(await readQuarantine(t.db)).toEqual({});
    expect(await t.db.outbox.count()).toBe(0);
    expect((await t.db.sealed.toArray()).every((x) => x.ackedAt !== null)).toBe(true);

    for (const [id, log] of [...Object.entries(logs), [m3, m3Log] as const]) {
      expect(await heldEvents(id)).toEqual(log.map((e) => [e.seq, e.hash]));
      expect((await minuteOf(h.database.db, id))?.entry).toEqual(tabletMinute([...log]));
    }
    const writers = await h.database.db
      .selectFrom('meetings')
      .select(['id', 'writer_device_id', 'is_closed'])
      .where('id', 'in', [m1, m2, m3, m4])
      .orderBy('id')
      .execute();
    expect(writers.map((w) => [w.id, w.writer_device_id, w.is_closed])).toEqual([
      [m1, b, true],
      [m2, b, true],
      [m3, b, true],
      [m4, b, false],
    ]);

    // Each sealed batch sent again (a lost answer) is acknowledged again and changes nothing.
    const unchanged = await fingerprint(h.database);
    for (const row of sealedRows) {
      t.clock = new Date(t.clock.getTime() + MINUTE);
      const res = await h.app.request(`${ORIGIN}/api/v1/sync`, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          Authorization: `Bearer ${again.enrolment.deviceToken}`,
          'Idempotency-Key': crypto.randomUUID(),
        },
        body: JSON.stringify({
          protocolVersion: PROTOCOL_VERSION,
          deviceId: b,
          events: [],
          sealed: [
            {
              meetingId: row.meetingId,
              deviceId: row.deviceId,
              firstSeq: row.firstSeq,
              lastSeq: row.lastSeq,
              count: row.count,
              jwe: row.jwe,
            },
          ],
        }),
      });
      expect(res.status).toBe(200);
    }
    expect(await fingerprint(h.database)).toBe(unchanged);
  }, 120_000);
});
