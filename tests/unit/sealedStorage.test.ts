/**
 * Issue 16 on the tablet: a closed meeting is sealed to the records service in the same transaction as its
 * close, the outbox sends it sealed, and once the reading window has passed every plaintext copy goes, but
 * never a record the service does not hold in some form: what it has not acknowledged stays sealed.
 */
import 'fake-indexeddb/auto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dexie } from 'dexie';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Keyring, openKeyring } from '../../server/keys';
import type { EventOf } from '../../src/domain/events';
import { syncRequestSchema } from '../../src/domain/protocol';
import { checkBeforeOpening, MEETING_ROOM_BYTES } from '../../src/sealing/gate';
import { openSealed, type SealedBatch } from '../../src/sealing/seal';
import { readServiceKey, serviceKeyFingerprint, writeServiceKey } from '../../src/sealing/serviceKey';
import { createDb, type KioskDb } from '../../src/storage/db';
import { ensureDeviceId, MeetingStore } from '../../src/storage/meetingStore';
import { purgeExpired, purgePlaintext } from '../../src/storage/retention';
import { sealWaiting } from '../../src/storage/sealedStore';
import { ENROLMENT_KEY } from '../../src/sync/enrolment';
import { pushOnce } from '../../src/sync/push';
import * as s from '../support/scenario';

const NAMES = [s.CHILD.name, s.people.chair.name, s.people.mother.name, 'Review meeting for Jamie'];
const HOUR = 60 * 60_000;
const CLOSED_AT = new Date('2026-11-23T11:00:00Z');

let keyring: Keyring;
beforeAll(async () => {
  keyring = await openKeyring(mkdtempSync(join(tmpdir(), 'ck-keys-')));
}, 60_000);

const open: KioskDb[] = [];
afterEach(async () => {
  for (const db of open.splice(0)) {
    db.close();
    await Dexie.delete(db.name);
  }
});

/** A records service that opens sealed batches with its keyring and acknowledges every event it gets. */
function fakeService() {
  const seen: { plain: unknown[]; sealed: SealedBatch[] }[] = [];
  const held = new Map<string, unknown>();
  let revoked = false;
  const fetch = async (_input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    if (revoked)
      return Response.json({ error: { code: 'device-revoked', message: 'Revoked' } }, { status: 401 });
    const body = syncRequestSchema.parse(JSON.parse(String(init?.body)));
    const sealed = (body.sealed ?? []) as SealedBatch[];
    seen.push({ plain: body.events, sealed });
    const opened = [];
    for (const batch of sealed) opened.push(...(await openSealed(batch, keyring.privateFor)));
    const all = [...body.events, ...opened] as { id: string; meetingId: string; seq: number }[];
    for (const e of all) held.set(e.id, e);
    return Response.json({
      acknowledged: all.map(({ id, meetingId, seq }) => ({ id, meetingId, seq })),
      serverTime: new Date().toISOString(),
    });
  };
  return {
    seen,
    held,
    fetch: fetch as typeof globalThis.fetch,
    revoke: () => {
      revoked = true;
    },
  };
}

async function tablet({ withKey = true, now = () => CLOSED_AT } = {}) {
  const db = createDb(`sealed-${crypto.randomUUID()}`);
  open.push(db);
  const deviceId = await ensureDeviceId(db);
  const store = new MeetingStore(db, { deviceId, now });
  await db.settings.put({
    key: ENROLMENT_KEY,
    value: {
      serverUrl: 'https://records.example.gov.uk',
      serverDeviceId: deviceId,
      deviceToken: `token-${'x'.repeat(40)}`,
      deviceId,
      enrolledAt: '2026-11-23T09:00:00+00:00',
      stoppedBy: null,
      stoppedAt: null,
    },
  });
  if (withKey) await writeServiceKey(db, keyring.current());
  return { db, store, deviceId };
}

async function meeting(store: MeetingStore, { close = true } = {}) {
  const created = await store.createMeeting(s.opened() as EventOf<'meeting.opened'>);
  if (!created.ok) throw new Error(created.rejection.code);
  const steps = [s.added(s.people.mother), ...(close ? s.chairAddedConfirmsAndCloses : [])];
  for (const event of steps) {
    const result = await store.append(created.meetingId, event);
    if (!result.ok) throw new Error(result.rejection.code);
  }
  return created.meetingId;
}

/** Everything the tablet's database holds, as text (what a finder of the tablet could read). */
async function dump(db: KioskDb): Promise<string> {
  const tables = await Promise.all(db.tables.map(async (t) => [t.name, await t.toArray()]));
  return JSON.stringify(tables);
}

const push = (db: KioskDb, store: MeetingStore, fetch: typeof globalThis.fetch, at: Date) =>
  pushOnce({ deps: { db, store, fetch, now: () => at }, release: [] });

describe('sealed after closing', () => {
  it('closing seals every event not yet acknowledged, in the same write as the close, and the sealed form holds no name', async () => {
    const { db, store } = await tablet();
    const meetingId = await meeting(store);
    const events = await store.events(meetingId);
    const sealed = await db.sealed.where('meetingId').equals(meetingId).toArray();
    expect(sealed.map((b) => [b.firstSeq, b.lastSeq])).toEqual([[1, events.length]]);
    const text = JSON.stringify(sealed);
    for (const name of NAMES) expect(text).not.toContain(name);
    expect(await openSealed(sealed[0] as SealedBatch, keyring.privateFor)).toEqual(
      JSON.parse(JSON.stringify(events)),
    );
  }, 30_000);

  it('an open meeting syncs in plain form; a closed one only sealed, and its acknowledgement clears the outbox', async () => {
    const { db, store } = await tablet();
    const service = fakeService();
    const meetingId = await meeting(store, { close: false });
    expect(await push(db, store, service.fetch, CLOSED_AT)).toMatchObject({ kind: 'sent', sent: 2 });
    expect(service.seen[0]?.sealed).toEqual([]);

    for (const event of s.chairAddedConfirmsAndCloses)
      expect((await store.append(meetingId, event)).ok).toBe(true);
    const sealed = await db.sealed.where('meetingId').equals(meetingId).toArray();
    // Only what the service had not acknowledged is sealed.
    expect(sealed.map((b) => [b.firstSeq, b.lastSeq])).toEqual([[3, 5]]);
    expect(await push(db, store, service.fetch, CLOSED_AT)).toMatchObject({ kind: 'sent', sent: 3 });
    expect(service.seen[1]?.plain).toEqual([]);
    expect(service.seen[1]?.sealed).toHaveLength(1);
    expect(await db.outbox.count()).toBe(0);
    expect((await db.sealed.toArray()).every((b) => b.ackedAt !== null)).toBe(true);
    expect(await push(db, store, service.fetch, CLOSED_AT)).toMatchObject({ kind: 'nothing' });
  }, 30_000);

  it('a meeting closed before the tablet had a key stays readable; enrolling seals what is waiting', async () => {
    const { db, store } = await tablet({ withKey: false });
    const meetingId = await meeting(store);
    expect(await db.sealed.count()).toBe(0);
    const report = await purgeExpired(db, new Date(CLOSED_AT.getTime() + 9 * HOUR));
    expect(report.keptNotSealed).toEqual([meetingId]);
    expect(await store.events(meetingId)).toHaveLength(5);

    await writeServiceKey(db, keyring.current());
    expect(await sealWaiting(db)).toBe(1);
    expect(await sealWaiting(db)).toBe(0);
    expect((await db.sealed.toArray()).map((b) => [b.firstSeq, b.lastSeq])).toEqual([[1, 5]]);
    expect(await serviceKeyFingerprint(db)).toMatch(/^[\w-]{4}( [\w-]{4}){4}$/);
    expect((await readServiceKey(db))?.keyId).toBe(keyring.current().keyId);
  }, 30_000);
});

describe('readable for a window, then gone', () => {
  it('within the window the minute is still on the tablet; after it, with the service holding everything, nothing of the meeting is left', async () => {
    const { db, store } = await tablet();
    const service = fakeService();
    const meetingId = await meeting(store);
    await push(db, store, service.fetch, CLOSED_AT);

    expect((await purgeExpired(db, new Date(CLOSED_AT.getTime() + 7 * HOUR))).purged).toEqual([]);
    expect(await store.events(meetingId)).toHaveLength(5);

    const report = await purgeExpired(db, new Date(CLOSED_AT.getTime() + 8 * HOUR + 1));
    expect(report.purged).toEqual([meetingId]);
    const text = await dump(db);
    for (const name of NAMES) expect(text).not.toContain(name);
    expect(text).not.toContain(meetingId);
  }, 30_000);

  it('after the window a meeting the service has not acknowledged keeps only its sealed form, which is still sent and then dropped', async () => {
    const { db, store } = await tablet();
    const meetingId = await meeting(store);
    const events = await store.events(meetingId);
    await purgeExpired(db, new Date(CLOSED_AT.getTime() + 9 * HOUR));
    const text = await dump(db);
    for (const name of NAMES) expect(text).not.toContain(name);
    expect(await db.events.count()).toBe(0);
    expect(await db.outbox.count()).toBe(5);

    const service = fakeService();
    expect(await push(db, store, service.fetch, CLOSED_AT)).toMatchObject({ kind: 'sent', sent: 5 });
    expect([...service.held.keys()]).toEqual(events.map((e) => e.id));
    await purgeExpired(db, new Date(CLOSED_AT.getTime() + 10 * HOUR));
    expect(await db.sealed.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
  }, 30_000);

  it('an open meeting is never purged, however old', async () => {
    const { db, store } = await tablet();
    const meetingId = await meeting(store, { close: false });
    await purgeExpired(db, new Date(CLOSED_AT.getTime() + 1000 * HOUR), { allClosed: true });
    expect(await store.events(meetingId)).toHaveLength(2);
  }, 30_000);

  it('the tablet closed at any point of the purge leaves the meeting either whole or sealed, never lost', async () => {
    for (let turns = 0; turns < 12; turns += 1) {
      const { db, store } = await tablet();
      const meetingId = await meeting(store);
      const purging = purgePlaintext(db, meetingId).catch(() => 'interrupted');
      for (let i = 0; i < turns; i += 1) await new Promise((resolve) => setImmediate(resolve));
      db.close();
      await purging;
      const reopened = createDb(db.name);
      open.push(reopened);
      const eventCount = await reopened.events.where('meetingId').equals(meetingId).count();
      const row = await reopened.meetings.get(meetingId);
      const sealed = await reopened.sealed.where('meetingId').equals(meetingId).toArray();
      const waiting = await reopened.outbox.where('meetingId').equals(meetingId).count();
      const isWhole = eventCount === 5 && row !== undefined;
      const isSealedOnly = eventCount === 0 && row === undefined && sealed.length === 1 && waiting === 5;
      expect(isWhole || isSealedOnly, `after ${turns} turns`).toBe(true);
      expect(sealed).toHaveLength(1);
    }
  }, 60_000);
});

describe('revocation', () => {
  it('the service answering device-revoked stops sync and deletes closed meetings’ plaintext; sealed kept, open meeting untouched', async () => {
    const { db, store } = await tablet();
    const closed = await meeting(store);
    const service = fakeService();
    service.revoke();
    expect(await push(db, store, service.fetch, CLOSED_AT)).toMatchObject({
      kind: 'stopped',
      reason: 'revoked',
    });
    expect(await db.events.where('meetingId').equals(closed).count()).toBe(0);
    expect(await db.meetings.get(closed)).toBeUndefined();
    expect(await db.sealed.where('meetingId').equals(closed).count()).toBe(1);
    const text = await dump(db);
    for (const name of NAMES) expect(text).not.toContain(name);
    const roomy = async () => ({ usage: 0, quota: 10 * MEETING_ROOM_BYTES });
    expect(await checkBeforeOpening(db, roomy)).toMatchObject({
      ok: false,
      reason: 'revoked',
      message: expect.stringMatching(/cannot open a new meeting/),
    });
  }, 30_000);
});

describe('before a meeting opens', () => {
  it('too little space refuses it in plain words; with room it opens, and says whether its record will be sealed', async () => {
    const { db } = await tablet({ withKey: false });
    const full = async () => ({ usage: 1_000_000_000 - MEETING_ROOM_BYTES / 2, quota: 1_000_000_000 });
    expect(await checkBeforeOpening(db, full)).toMatchObject({
      ok: false,
      reason: 'storage-full',
      message: expect.stringMatching(/not enough space on this tablet .*13 MB free/),
    });
    const roomy = async () => ({ usage: 0, quota: 10 * MEETING_ROOM_BYTES });
    expect(await checkBeforeOpening(db, roomy)).toEqual({ ok: true, isSealed: false });
    // A browser that cannot say how much is free does not block the meeting.
    expect(await checkBeforeOpening(db, null)).toEqual({ ok: true, isSealed: false });
    await writeServiceKey(db, keyring.current());
    expect(await checkBeforeOpening(db, roomy)).toEqual({ ok: true, isSealed: true });
  }, 30_000);
});

describe('storage full', () => {
  it('a quota error while sealing at the close leaves the meeting open and whole, and tells the chair', async () => {
    const { db, store } = await tablet();
    const created = await store.createMeeting(s.opened() as EventOf<'meeting.opened'>);
    if (!created.ok) throw new Error(created.rejection.code);
    const [chairAdded, confirmed, closed] = s.chairAddedConfirmsAndCloses;
    for (const event of [s.added(s.people.mother), chairAdded, confirmed]) {
      expect((await store.append(created.meetingId, event as never)).ok).toBe(true);
    }
    db.sealed.hook('creating', () => {
      throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    });
    const result = await store.append(created.meetingId, closed as never);
    expect(result).toMatchObject({ ok: false, rejection: { code: 'storage-full' } });
    if (!result.ok)
      expect(result.rejection.message).toMatch(/storage is full.*Everything saved before it is safe/);
    expect(await store.events(created.meetingId)).toHaveLength(4);
    expect((await db.meetings.get(created.meetingId))?.status).toBe('open');
    expect(await db.sealed.count()).toBe(0);
  }, 30_000);
});

describe('the database schema', () => {
  it('a tablet database written at version 1 opens at version 2 with its meetings intact', async () => {
    const name = `v1-${crypto.randomUUID()}`;
    const v1 = new Dexie(name);
    v1.version(1).stores({
      meetings: 'id, status, createdAt',
      events: '[meetingId+seq], &id, meetingId',
      outbox: '++id, &eventId, meetingId',
      snapshots: 'meetingId',
      settings: 'key',
    });
    await v1.table('settings').put({ key: 'deviceId', value: 'dev-1' });
    await v1.table('meetings').put({ id: 'm1', status: 'closed', createdAt: '2026-11-23T10:00:00+00:00' });
    v1.close();
    const db = createDb(name);
    open.push(db);
    expect(await db.meetings.get('m1')).toMatchObject({ status: 'closed' });
    expect((await db.settings.get('deviceId'))?.value).toBe('dev-1');
    expect(await db.sealed.count()).toBe(0);
    expect(db.verno).toBeGreaterThanOrEqual(2);
  });
});
