/**
 * Issue 19 on the tablet: meetings prepared on the records service are pulled when online, kept only if their
 * log verifies, kept in IndexedDB for offline use, and opened by adopting the log and claiming custody.
 */
import 'fake-indexeddb/auto';
import { Dexie } from 'dexie';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sealEvent } from '../../src/domain/chain';
import { bodyOf, type DomainEvent, type EventEnvelope } from '../../src/domain/events';
import {
  claimRequestSchema,
  PREPARED_PROTOCOL_VERSION,
  type PreparedMeeting,
  RECORDS_SERVICE_DEVICE_ID,
} from '../../src/domain/prepared';
import { i18n } from '../../src/shared/i18n';
import { createDb, type KioskDb } from '../../src/storage/db';
import { MeetingStore } from '../../src/storage/meetingStore';
import { claimPrepared, type PreparedDeps, pullPrepared, resetPullClock } from '../../src/sync/prepared';
import { enrolmentSetting, preparedSetting } from '../../src/sync/settings';
import { sendBatch } from '../../src/sync/transport';
import { problemText } from '../../src/sync/words';
import * as s from '../support/scenario';

const SERVER = 'https://records.example.gov.uk';
const TABLET = 'tablet-1';
const TOKEN = `token-${'x'.repeat(40)}`;
const NOW = new Date('2026-11-23T09:50:00+00:00');

const absent = (a: (typeof s.people)[keyof typeof s.people]): DomainEvent => ({
  type: 'attendee.added',
  payload: { attendee: a, isAbsent: true },
});

/** The office's part of a meeting, written the day before under the records service's own device id. */
async function officeLog(meetingId = s.MEETING_ID): Promise<EventEnvelope[]> {
  const steps: [DomainEvent, string][] = [
    [s.opened('child-protection-conference'), '2026-11-22T14:00:00+00:00'],
    [absent(s.people.chair), '2026-11-22T14:01:00+00:00'],
    [absent(s.people.father), '2026-11-22T14:02:00+00:00'],
    [absent(s.people.socialWorker), '2026-11-22T14:03:00+00:00'],
    [s.requested('father', 'in-advance', '2026-11-22T11:15:00+00:00'), '2026-11-22T14:05:00+00:00'],
    [{ type: 'request.attendees-notified', payload: { via: 'email' } }, '2026-11-22T15:30:00+00:00'],
  ];
  const log: EventEnvelope[] = [];
  for (const [i, [event, at]] of steps.entries()) {
    const id = `${meetingId.slice(0, 24)}${String(i + 1).padStart(12, '0')}`;
    log.push(
      await sealEvent(log.at(-1) ?? null, event, { meetingId, deviceId: RECORDS_SERVICE_DEVICE_ID, at, id }),
    );
  }
  return log;
}

function prepared(events: EventEnvelope[], title = 'Child protection conference for Jamie'): PreparedMeeting {
  return {
    meetingId: events[0]?.meetingId ?? s.MEETING_ID,
    title,
    kind: 'child-protection-conference',
    startsAt: '2026-11-23T10:00:00+00:00',
    place: 'Room 2, Civic Centre',
    forDeviceId: null,
    claimedByDeviceId: null,
    claimedByLabel: null,
    events,
  };
}

/** A records service that lists `meetings` and answers claims with `claimAnswer`. */
function service(meetings: () => unknown) {
  const requests: { url: string; method: string; auth: string | null; body: unknown }[] = [];
  let claimAnswer: (body: unknown) => Response = () => new Response(null, { status: 500 });
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(String(input));
    const headers = new Headers(init?.headers);
    const body = init?.body ? JSON.parse(String(init.body)) : undefined;
    requests.push({
      url: url.pathname,
      method: init?.method ?? 'GET',
      auth: headers.get('authorization'),
      body,
    });
    if (url.pathname === '/api/v1/prepared') return Response.json(meetings());
    return claimAnswer(body);
  };
  return {
    requests,
    fetch,
    answerClaims(answer: (body: unknown) => Response) {
      claimAnswer = answer;
    },
  };
}

const list = (meetings: PreparedMeeting[]) => ({
  protocolVersion: PREPARED_PROTOCOL_VERSION,
  serverTime: NOW.toISOString(),
  meetings,
});

let db: KioskDb;
let online = true;
let clock = NOW;

function depsWith(fetch: typeof globalThis.fetch): PreparedDeps {
  return { db, fetch, now: () => clock, isOnline: () => online };
}

beforeEach(async () => {
  resetPullClock();
  online = true;
  clock = NOW;
  db = createDb(`prepared-${crypto.randomUUID()}`);
  await enrolmentSetting.write(db, {
    serverUrl: SERVER,
    serverDeviceId: TABLET,
    deviceToken: TOKEN,
    deviceId: TABLET,
    enrolledAt: '2026-11-20T09:00:00+00:00',
  });
});

afterEach(async () => {
  db.close();
  await Dexie.delete(db.name);
});

describe('pulling the meetings prepared for this tablet', () => {
  it('keeps a prepared meeting whose log verifies, with its whole log, for use offline', async () => {
    const log = await officeLog();
    const srv = service(() => list([prepared(log)]));
    const result = await pullPrepared(depsWith(srv.fetch));
    expect(result).toEqual({ kind: 'pulled', kept: 1, rejected: [] });
    expect(srv.requests[0]).toMatchObject({
      url: '/api/v1/prepared',
      method: 'GET',
      auth: `Bearer ${TOKEN}`,
    });
    const row = await db.prepared.get(s.MEETING_ID);
    expect(row).toMatchObject({
      title: 'Child protection conference for Jamie',
      place: 'Room 2, Civic Centre',
    });
    expect(row?.events).toEqual(log);
  });

  it('keeps nothing from an answer that is not a prepared-meetings list, and keeps what it had', async () => {
    const log = await officeLog();
    let answer: unknown = list([prepared(log)]);
    const srv = service(() => answer);
    await pullPrepared(depsWith(srv.fetch));
    answer = { protocolVersion: 2, meetings: [{ meetingId: 'x' }] };
    const result = await pullPrepared(depsWith(srv.fetch), { force: true });
    expect(result).toEqual({ kind: 'failed', code: 'bad-response' });
    expect(await db.prepared.count()).toBe(1);
  });

  it('does not keep a log whose chain does not verify, and tells the chair which meeting and why', async () => {
    const good = await officeLog('0193a1b2-0000-7000-8000-0000000000aa');
    const bad = await officeLog();
    // Someone changed the requester's purpose after the event was sealed: its hash no longer matches.
    const altered = bad.map((e) =>
      e.type === 'request.made'
        ? ({
            ...e,
            payload: { request: { ...e.payload.request, purpose: 'Something else.' } },
          } as EventEnvelope)
        : e,
    );
    const srv = service(() => list([prepared(good, 'Good one'), prepared(altered, 'Tampered one')]));
    const result = await pullPrepared(depsWith(srv.fetch));
    expect(result).toMatchObject({ kind: 'pulled', kept: 1 });
    expect(await db.prepared.get(s.MEETING_ID)).toBeUndefined();
    expect(await db.prepared.get(good[0]?.meetingId ?? '')).toBeDefined();
    const status = await preparedSetting.read(db);
    expect(status?.rejected).toEqual([
      expect.objectContaining({ meetingId: s.MEETING_ID, title: 'Tampered one', code: 'bad-hash' }),
    ]);
    expect(i18n.t(`prepared.why.${status?.rejected[0]?.code}`)).toMatch(/changed after it was written/);
  });

  it('a meeting whose log cannot be read is not kept, and does not hide the others', async () => {
    const good = await officeLog('0193a1b2-0000-7000-8000-0000000000aa');
    const unreadable = (await officeLog()).map((e) =>
      e.seq === 2 ? { ...e, payload: { attendee: 'x' } } : e,
    );
    const srv = service(() =>
      list([prepared(good, 'Good one'), prepared(unreadable as EventEnvelope[], 'Unreadable')]),
    );
    expect(await pullPrepared(depsWith(srv.fetch))).toMatchObject({ kind: 'pulled', kept: 1 });
    expect((await preparedSetting.read(db))?.rejected).toEqual([
      expect.objectContaining({ meetingId: s.MEETING_ID, title: 'Unreadable', code: 'bad-envelope' }),
    ]);
  });

  it('does not keep a log in which an event belongs to another meeting', async () => {
    const log = await officeLog();
    const other = await officeLog('0193a1b2-0000-7000-8000-0000000000bb');
    const mixed = [...log.slice(0, 3), ...other.slice(3)];
    const srv = service(() => list([prepared(mixed)]));
    await pullPrepared(depsWith(srv.fetch));
    expect(await db.prepared.count()).toBe(0);
    expect((await preparedSetting.read(db))?.rejected[0]?.code).toBe('wrong-meeting');
  });

  it('red team: does not keep a log the records service did not begin (it could never be taken over)', async () => {
    const own = await officeLog();
    // The same meeting as if a tablet had written it: a chain that verifies, but no prepared meeting.
    const byTablet: EventEnvelope[] = [];
    for (const e of own) {
      byTablet.push(
        await sealEvent(byTablet.at(-1) ?? null, bodyOf(e), {
          meetingId: e.meetingId,
          deviceId: 'tablet-9',
          at: e.at,
          id: e.id,
        }),
      );
    }
    const srv = service(() => list([prepared(byTablet)]));
    expect(await pullPrepared(depsWith(srv.fetch))).toMatchObject({ kind: 'pulled', kept: 0 });
    expect((await preparedSetting.read(db))?.rejected[0]?.code).toBe('not-prepared');
  });

  it('red team: does not keep a meeting prepared for another named tablet', async () => {
    const log = await officeLog();
    const srv = service(() => list([{ ...prepared(log), forDeviceId: 'tablet-2' }]));
    expect(await pullPrepared(depsWith(srv.fetch))).toMatchObject({ kind: 'pulled', kept: 0 });
    expect((await preparedSetting.read(db))?.rejected[0]?.code).toBe('not-for-this-device');
    expect(i18n.t('prepared.why.not-for-this-device')).toMatch(/another tablet/);
  });

  it('asks nothing offline, nor again within a minute of the last pull unless the chair asks', async () => {
    const srv = service(() => list([]));
    online = false;
    expect(await pullPrepared(depsWith(srv.fetch))).toEqual({ kind: 'skipped', reason: 'offline' });
    online = true;
    await pullPrepared(depsWith(srv.fetch));
    expect(await pullPrepared(depsWith(srv.fetch))).toEqual({ kind: 'skipped', reason: 'too-soon' });
    expect(await pullPrepared(depsWith(srv.fetch), { force: true })).toMatchObject({ kind: 'pulled' });
    expect(srv.requests).toHaveLength(2);
  });

  it('forgets a meeting the service no longer lists (claimed elsewhere, or over)', async () => {
    const log = await officeLog();
    let meetings = [prepared(log)];
    const srv = service(() => list(meetings));
    await pullPrepared(depsWith(srv.fetch));
    meetings = [];
    await pullPrepared(depsWith(srv.fetch), { force: true });
    expect(await db.prepared.count()).toBe(0);
  });
});

describe('opening a prepared meeting', () => {
  const claim: DomainEvent = { type: 'custody.claimed', payload: {} };

  async function adoptWith(answer: (body: unknown) => Response) {
    const log = await officeLog();
    const srv = service(() => list([]));
    srv.answerClaims(answer);
    const store = new MeetingStore(db, { deviceId: TABLET, now: () => clock });
    const result = await store.adopt(log, claim, (event) => claimPrepared(depsWith(srv.fetch), event));
    return { log, srv, store, result };
  }

  it('online, the log becomes the meeting’s own (same ids, same chain) and the claim is acknowledged at once', async () => {
    const { log, srv, store, result } = await adoptWith((body) => {
      const { event } = claimRequestSchema.parse(body);
      return Response.json({
        meetingId: event.meetingId,
        acknowledged: { id: event.id, seq: event.seq },
        serverTime: NOW.toISOString(),
      });
    });
    expect(result.ok).toBe(true);
    const events = await store.events(s.MEETING_ID);
    expect(events.slice(0, log.length)).toEqual(log);
    expect(events.at(-1)).toMatchObject({
      type: 'custody.claimed',
      seq: 7,
      deviceId: TABLET,
      prevHash: log.at(-1)?.hash,
    });
    const sent = claimRequestSchema.parse(srv.requests[0]?.body);
    expect(sent.event.id).toBe(events.at(-1)?.id);
    expect(srv.requests[0]?.url).toBe(`/api/v1/prepared/${s.MEETING_ID}/claim`);
    expect(await db.outbox.count()).toBe(0);
    expect((await db.meetings.get(s.MEETING_ID))?.status).toBe('open');
  });

  it('when another tablet has it, nothing is opened and the chair is told which tablet', async () => {
    const { result } = await adoptWith(() =>
      Response.json(
        { error: { code: 'meeting-claimed', message: 'Room 4 tablet has it', claimedBy: 'Room 4 tablet' } },
        { status: 409 },
      ),
    );
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.rejection.message).toMatch(/already open on another tablet, “Room 4 tablet”/);
    expect(await db.events.count()).toBe(0);
    expect(await db.meetings.count()).toBe(0);
    expect(await db.outbox.count()).toBe(0);
  });

  it('offline, it opens anyway and the claim waits in the outbox for the ordinary sync', async () => {
    online = false;
    const { srv, result } = await adoptWith(() => new Response(null, { status: 500 }));
    expect(result.ok).toBe(true);
    expect(srv.requests).toHaveLength(0);
    const waiting = await db.outbox.toArray();
    expect(waiting).toEqual([expect.objectContaining({ meetingId: s.MEETING_ID, seq: 7 })]);
  });

  it('a log that does not verify is not opened', async () => {
    const log = await officeLog();
    const broken = log.filter((e) => e.seq !== 3);
    const store = new MeetingStore(db, { deviceId: TABLET, now: () => clock });
    const result = await store.adopt(broken, claim, async () => ({ kind: 'pending' }));
    expect(result).toMatchObject({ ok: false, rejection: { code: 'broken-log' } });
    expect(await db.events.count()).toBe(0);
  });
});

describe('a claim that went with the ordinary sync', () => {
  it('when the service refuses it, the chair is told which tablet has the meeting', async () => {
    const log = await officeLog();
    const fetch = async () =>
      Response.json(
        { error: { code: 'meeting-claimed', message: 'Claimed', claimedBy: 'Room 4 tablet' } },
        { status: 409 },
      );
    const enrolment = {
      serverUrl: SERVER,
      serverDeviceId: TABLET,
      deviceToken: TOKEN,
      deviceId: TABLET,
      enrolledAt: '',
      stoppedBy: null,
      stoppedAt: null,
    };
    const result = await sendBatch(
      { fetch, now: () => NOW, iso: (d) => d.toISOString() },
      enrolment,
      'key',
      log.slice(0, 1),
    );
    expect(result.kind).toBe('refused');
    if (result.kind !== 'refused') return;
    expect(problemText(i18n.t, result.problem)).toBe(
      'Another tablet, “Room 4 tablet”, has this meeting: it was opened there first, so the records service keeps that tablet’s record.',
    );
  });
});

describe('the database schema', () => {
  it('a tablet database written at version 2 opens at version 3 with its meetings and sealed batches intact', async () => {
    const name = `v2-${crypto.randomUUID()}`;
    const v2 = new Dexie(name);
    v2.version(1).stores({
      meetings: 'id, status, createdAt',
      events: '[meetingId+seq], &id, meetingId',
      outbox: '++id, &eventId, meetingId',
      snapshots: 'meetingId',
      settings: 'key',
    });
    v2.version(2).stores({ sealed: '[meetingId+firstSeq], meetingId' });
    await v2.table('meetings').put({ id: 'm1', status: 'closed', createdAt: '2026-11-23T10:00:00+00:00' });
    await v2.table('sealed').put({ meetingId: 'm1', firstSeq: 1, lastSeq: 3 });
    await v2.table('outbox').add({ eventId: 'e1', meetingId: 'm1', seq: 1 });
    v2.close();
    const upgraded = createDb(name);
    try {
      expect(await upgraded.meetings.get('m1')).toMatchObject({ status: 'closed' });
      expect(await upgraded.sealed.count()).toBe(1);
      expect(await upgraded.outbox.count()).toBe(1);
      expect(await upgraded.prepared.count()).toBe(0);
      expect(upgraded.verno).toBe(3);
    } finally {
      upgraded.close();
      await Dexie.delete(name);
    }
  });
});
