/**
 * Faults: answers lost after the server committed, a restart mid-sync, concurrent batches, and 1,000
 * malformed or hostile bodies that must all be 4xx with the database unchanged.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashOf } from '../../src/domain/chain';
import type { EventEnvelope } from '../../src/domain/events';
import { MAX_BODY_BYTES, SYNC_PROTOCOL_VERSIONS } from '../../src/domain/protocol';

const isSupportedVersion = (value: unknown): boolean =>
  (SYNC_PROTOCOL_VERSIONS as readonly unknown[]).includes(value);

import * as s from '../support/scenario';
import {
  ALL_AGREE,
  adminCookie,
  type Device,
  enrol,
  fingerprint,
  type Harness,
  makeHarness,
  newCode,
  ORIGIN,
  openTarget,
  sealLog,
  syncRequest,
  TARGETS,
} from './harness';

const PASSWORD = 'fault injection password';

/** A long but legal meeting: people join and leave after it starts (the log grows by 2 per round). */
function longMeeting(rounds: number) {
  const extra = Array.from({ length: rounds }, (_, i) => {
    const a = { id: `guest-${i}`, name: `Guest ${i}`, role: 'other' as const };
    return [s.joined(a), s.left(a.id)];
  }).flat();
  return [...ALL_AGREE.slice(0, -2), ...extra, ...s.confirmedAndClosed];
}

describe.each(TARGETS)('faults against %s', (target) => {
  let h: Harness;
  let cookie: string;
  let device: Device;

  beforeAll(async () => {
    h = await makeHarness(target, { adminPassword: PASSWORD });
    cookie = await adminCookie(h, PASSWORD);
    device = await enrol(h, await newCode(h, cookie));
  });
  afterAll(async () => h?.close());

  /** The server's head of the log's meeting is the log's last event. */
  const expectHeadAtEnd = async (log: EventEnvelope[]) => {
    const meeting = await h.database.db
      .selectFrom('meetings')
      .select(['head_seq', 'head_hash'])
      .where('id', '=', log[0]?.meetingId as string)
      .executeTakeFirstOrThrow();
    expect(meeting).toEqual({ head_seq: log.length, head_hash: log.at(-1)?.hash });
  };

  it('the answer lost after commit, 100 times in a row: every event is held exactly once', async () => {
    const log = await sealLog(device.deviceId, longMeeting(60));
    expect(log.length).toBeGreaterThanOrEqual(100);
    // The tablet appends one event at a time and pushes its whole unacknowledged outbox; every answer is lost
    // (the connection cut after the commit), so each retry resends everything not yet acknowledged.
    const outbox: EventEnvelope[] = [];
    for (const event of log.slice(0, 100)) {
      outbox.push(event);
      const lost = await syncRequest(h, device, outbox.slice(-200), { key: 'same-key-every-time' });
      expect(lost.status).toBe(200);
      // the body is never read: the client does not know the server committed
    }
    const final = await syncRequest(h, device, log);
    expect(final.status).toBe(200);
    const rows = await h.database.db
      .selectFrom('events')
      .select(['id', 'seq'])
      .where('meeting_id', '=', log[0]?.meetingId as string)
      .orderBy('seq')
      .execute();
    expect(rows.map((r) => r.id)).toEqual(log.map((e) => e.id));
  });

  it('concurrent batches for one meeting serialise on the meeting head', async () => {
    const log = await sealLog(device.deviceId, ALL_AGREE);
    const results = await Promise.all([
      syncRequest(h, device, log.slice(0, 10)),
      syncRequest(h, device, log.slice(0, 10)),
      syncRequest(h, device, log),
      syncRequest(h, device, log.slice(0, 5)),
    ]);
    expect(results.every((r) => r.status === 200 || r.status === 422)).toBe(true);
    expect((await syncRequest(h, device, log)).status).toBe(200);
    await expectHeadAtEnd(log);
  });

  it('concurrent batches over the same meetings, in opposite orders, all succeed and lose no event', async () => {
    const logs = await Promise.all(Array.from({ length: 4 }, () => sealLog(device.deviceId, ALL_AGREE)));
    // Two meetings already held in part, two new: every batch holds all four, in one order or the other.
    for (const log of logs.slice(0, 2))
      expect((await syncRequest(h, device, log.slice(0, 4))).status).toBe(200);
    const parts = logs.map((log, i) => (i < 2 ? log.slice(2) : log));
    const forward = parts.flat();
    const backward = [...parts].reverse().flat();
    const results = await Promise.all(
      [forward, backward, forward, backward].map((batch) => syncRequest(h, device, batch)),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const n = await h.database.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where(
        'meeting_id',
        'in',
        logs.map((log) => log[0]?.meetingId as string),
      )
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(logs.flat().length);
    for (const log of logs) await expectHeadAtEnd(log);
  });

  it('1,000 malformed or hostile bodies: all 4xx, no 5xx, the database unchanged', async () => {
    const log = await sealLog(device.deviceId, ALL_AGREE);
    expect((await syncRequest(h, device, log.slice(0, 8))).status).toBe(200);
    const revoked = await enrol(h, await newCode(h, cookie), 'revoked tablet');
    const other = await enrol(h, await newCode(h, cookie), 'other tablet');
    await h.app.request(`${ORIGIN}/admin/devices/${revoked.deviceId}/revoke`, {
      method: 'POST',
      headers: { Cookie: cookie },
    });
    const otherLog = await sealLog(other.deviceId, ALL_AGREE.slice(0, 3));
    const meetingId = log[0]?.meetingId as string;
    // The other tablet's own, correctly sealed events for this device's meeting: next to its head, and far on.
    const intruding = await sealLog(other.deviceId, ALL_AGREE.slice(8, 10), meetingId, log[7]);
    const farOn = { ...(intruding[0] as EventEnvelope), seq: 500 };
    // A meeting the other tablet never opened, from its event 5 (junk that once made a 'missing events' meeting).
    const fromNowhere = (await sealLog(other.deviceId, ALL_AGREE.slice(0, 6))).slice(4);
    // Correctly sealed, with a NUL in a name (PostgreSQL's jsonb refuses it).
    const nul = await sealLog(device.deviceId, [
      s.opened(),
      s.added({ ...s.people.mother, name: 'Sarah\u0000' }),
    ]);
    const codeForTakeover = await newCode(h, cookie);
    const before = await fingerprint(h.database);

    const next = log.slice(8, 12);
    const forged = async (mutate: (e: Record<string, unknown>) => void, rehash: boolean) => {
      const copy = structuredClone(next) as unknown as Record<string, unknown>[];
      const target = copy[1] as Record<string, unknown>;
      mutate(target);
      if (rehash) target.hash = await hashOf(target);
      return copy;
    };
    const conflicting = { ...(log[3] as EventEnvelope), payload: { attendeeId: 'someone' } };
    const hostileEvents: unknown[][] = [
      await forged((e) => {
        e.payload = { attendeeId: 'x'.repeat(65) };
      }, true),
      await forged((e) => {
        e.type = 'meeting.deleted';
      }, true),
      await forged((e) => {
        e.at = 'yesterday';
      }, false),
      await forged((e) => {
        e.seq = 99;
      }, true),
      await forged((e) => {
        e.prevHash = '0'.repeat(64);
      }, true),
      await forged((e) => {
        (e.payload as Record<string, unknown>).attendeeId = 'mother2';
      }, false),
      await forged((e) => {
        e.v = 2;
      }, true),
      await forged((e) => {
        e.extra = true;
      }, true),
      [{ ...conflicting, hash: await hashOf(conflicting) }],
      otherLog, // replayed events of another device
      log.slice(10), // a gap
      [...next, ...next.map((e) => ({ ...e, hash: 'f'.repeat(64) }))],
      [s.opened()],
      [null],
      [1, 2, 3],
      nul,
      // A lone surrogate (it has no canonical form: the hash is the one it had before).
      await forged((e) => {
        (e.payload as Record<string, unknown>).attendeeId = 'mother\ud800';
      }, false),
      await forged((e) => {
        (e.payload as Record<string, unknown>).attendeeId = 'mother\u0085';
      }, true),
      // An event already held, one character changed, its old hash kept.
      [{ ...(log[3] as EventEnvelope), payload: { attendeeId: 'mothex' } }],
      // Time running backwards, correctly hashed.
      await forged((e) => {
        e.at = '2026-11-23T09:00:00+00:00';
      }, true),
      await forged((e) => {
        e.at = '2026-11-23T11:00:00+02:00';
      }, true),
      // Upper-case ids, correctly hashed.
      await forged((e) => {
        e.meetingId = (e.meetingId as string).toUpperCase();
      }, true),
      await forged((e) => {
        e.id = (e.id as string).toUpperCase();
      }, true),
    ];

    type Attempt = {
      token: string;
      body: string | null;
      key?: string | null;
      path?: string;
      /** The whole Authorization header, instead of "Bearer <token>" (null: none). */
      authorization?: string | null;
      /** Instead of application/json (null: none). */
      contentType?: string | null;
    };
    const attempts: Attempt[] = [];
    const wrap = (events: unknown, deviceId = device.deviceId, protocolVersion: unknown = 1) =>
      JSON.stringify({ protocolVersion, deviceId, events });
    for (const events of hostileEvents) attempts.push({ token: device.token, body: wrap(events) });
    attempts.push({ token: revoked.token, body: wrap(next, revoked.deviceId) });
    attempts.push({ token: other.token, body: wrap(next, other.deviceId) });
    attempts.push({ token: other.token, body: wrap(next) });
    attempts.push({
      token: device.token,
      body: wrap(next, device.deviceId, Math.max(...SYNC_PROTOCOL_VERSIONS) + 1),
    });
    attempts.push({ token: device.token, body: wrap(next, device.deviceId, '1') });
    attempts.push({ token: device.token, body: wrap([]) });
    attempts.push({ token: device.token, body: wrap(Array(201).fill(next[0])) });
    attempts.push({ token: device.token, body: wrap(next).slice(0, 100) }); // truncated
    attempts.push({ token: device.token, body: `[${'['.repeat(100_000)}` });
    attempts.push({ token: device.token, body: JSON.stringify({ a: 'x'.repeat(MAX_BODY_BYTES) }) });
    attempts.push({ token: device.token, body: wrap(next), key: null });
    attempts.push({ token: 'not a token', body: wrap(next) });
    attempts.push({ token: device.token.slice(0, -1), body: wrap(next) });
    attempts.push({ token: device.token, body: '' });
    attempts.push({ token: device.token, body: 'null' });
    attempts.push({ token: device.token, body: '{"__proto__":{"polluted":1},"protocolVersion":1}' });
    // Another device writing into this device's meeting, or making meetings from nothing.
    attempts.push({ token: other.token, body: wrap(intruding, other.deviceId) });
    attempts.push({
      token: other.token,
      body: wrap([{ ...farOn, hash: await hashOf(farOn) }], other.deviceId),
    });
    attempts.push({ token: other.token, body: wrap(fromNowhere, other.deviceId) });
    // The device's id in upper case; a NUL in the request's device id.
    attempts.push({ token: device.token, body: wrap(next, device.deviceId.toUpperCase()) });
    attempts.push({ token: device.token, body: wrap(next, `${device.deviceId}\u0000`) });
    // Enrolment: a fresh code claiming this device's id; a NUL in a label; an upper-case id.
    const enrolBody = (fields: Record<string, unknown>) =>
      JSON.stringify({ protocolVersion: 1, code: codeForTakeover, label: 'Intruder', ...fields });
    const enrolPath = '/api/v1/devices/enrol';
    attempts.push({ token: '', path: enrolPath, body: enrolBody({ deviceId: device.deviceId }) });
    attempts.push({ token: '', path: enrolPath, body: enrolBody({ deviceId: other.deviceId }) });
    attempts.push({ token: '', path: enrolPath, body: enrolBody({ label: 'Tablet\u0000' }) });
    attempts.push({ token: '', path: enrolPath, body: enrolBody({ deviceId: uuidv7().toUpperCase() }) });
    attempts.push({ token: '', path: enrolPath, body: enrolBody({ deviceId: 'tablet\ud800' }) });
    // The Authorization header and the body's type as a client may garble them.
    for (const authorization of [
      null,
      '',
      'Bearer',
      'Bearer ',
      `bearer ${device.token}`.replace('bearer', 'Basic'),
      `Bearer ${device.token}=`,
      `Bearer ${device.token}.x`,
      `Bearer ${device.token} ${device.token}`,
      `Bearer ${'A'.repeat(10_000)}`,
      `Bearer ${revoked.token}`,
      `Token ${device.token}`,
    ])
      attempts.push({ token: device.token, body: wrap(intruding), authorization });
    attempts.push({ token: other.token, body: wrap(intruding, other.deviceId), contentType: null });
    attempts.push({ token: device.token, body: wrap(next).slice(0, 50), contentType: 'text/plain' });
    attempts.push({ token: device.token, body: '{"protocolVersion":1,', contentType: 'application/json' });
    attempts.push({
      token: device.token,
      body: new URLSearchParams({ protocolVersion: '1', deviceId: device.deviceId }).toString(),
      contentType: 'application/x-www-form-urlencoded',
    });
    attempts.push({ token: device.token, body: wrap(nul), contentType: 'application/vnd.api+json' });
    attempts.push({ token: device.token, body: wrap(next), key: 'k'.repeat(129) });
    attempts.push({ token: device.token, body: wrap(next), key: 'short' });
    attempts.push({
      token: '',
      path: enrolPath,
      body: '{"protocolVersion":1,',
      contentType: 'application/json',
    });
    attempts.push({ token: '', path: enrolPath, body: enrolBody({}).slice(0, 30), contentType: null });
    // Random bodies at enrolment too: arbitrary JSON, random strings, and random changes to a request
    // whose code is wrong (a right code is the one thing that may enrol).
    const validEnrol = { protocolVersion: 1, code: 'WRONG-CODE-42', label: 'Tablet' };
    const ENROL_RANDOM = 150;
    const enrolRng = fc.sample(
      fc.oneof(
        fc.json(),
        fc.string({ maxLength: 200 }),
        fc
          .tuple(fc.constantFrom('protocolVersion', 'code', 'label', 'deviceId', 'extra'), fc.jsonValue())
          .map(([key, value]) => JSON.stringify({ ...validEnrol, [key]: value })),
      ),
      { numRuns: ENROL_RANDOM, seed: 20261202 },
    );
    for (const body of enrolRng) attempts.push({ token: '', path: enrolPath, body });
    // The rest: arbitrary JSON shapes, random strings, and random mutations of a valid request.
    const valid = JSON.parse(wrap(next)) as Record<string, unknown>;
    const rng = fc.sample(
      fc.oneof(
        fc.json().map((body) => ({ kind: 'json', body })),
        fc.string({ maxLength: 200 }).map((body) => ({ kind: 'text', body })),
        fc
          .tuple(fc.constantFrom('protocolVersion', 'deviceId', 'events'), fc.jsonValue())
          // A supported protocol version is not a mutation: the request stays valid (and is accepted).
          .filter(([key, value]) => !(key === 'protocolVersion' && isSupportedVersion(value)))
          .map(([key, value]) => ({ kind: 'field', body: JSON.stringify({ ...valid, [key]: value }) })),
        fc
          .tuple(
            fc.nat(3),
            fc.constantFrom(
              'id',
              'meetingId',
              'deviceId',
              'seq',
              'at',
              'type',
              'payload',
              'prevHash',
              'hash',
              'v',
            ),
            fc.jsonValue(),
          )
          .map(([i, key, value]) => {
            const events = structuredClone(next) as unknown as Record<string, unknown>[];
            (events[i] as Record<string, unknown>)[key] = value;
            return { kind: 'event', body: JSON.stringify({ ...valid, events }) };
          }),
      ),
      { numRuns: 1000 - attempts.length, seed: 20261123 },
    );
    for (const r of rng) attempts.push({ token: device.token, body: r.body });
    expect(attempts).toHaveLength(1000);

    const statuses = new Map<number, number>();
    for (const a of attempts) {
      const headers: Record<string, string> = {};
      const authorization = a.authorization === undefined ? `Bearer ${a.token}` : a.authorization;
      if (authorization !== null) headers.Authorization = authorization;
      const contentType = a.contentType === undefined ? 'application/json' : a.contentType;
      if (contentType !== null) headers['Content-Type'] = contentType;
      if (a.key !== null) headers['Idempotency-Key'] = a.key ?? uuidv7();
      const res = await h.app.request(a.path ?? '/api/v1/sync', { method: 'POST', headers, body: a.body });
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      if (res.status < 400 || res.status >= 500) {
        throw new Error(`status ${res.status} for ${String(a.body).slice(0, 300)}`);
      }
    }
    expect([...statuses.keys()].every((st) => st >= 400 && st < 500)).toBe(true);
    // Gaps are recorded for the admin by design, but only the meeting's writer's: everything else is as it was.
    expect(await fingerprint(h.database)).toBe(before);
    const gaps = await h.database.db.selectFrom('sync_gaps').select(['meeting_id', 'device_id']).execute();
    expect(gaps.every((g) => g.meeting_id === meetingId && g.device_id === device.deviceId)).toBe(true);
  });
});

describe.each(TARGETS)('restart against %s', (target) => {
  it('the server restarted mid-sync: nothing lost, the retry completes the log', async () => {
    const dir = target === 'pglite' ? mkdtempSync(join(tmpdir(), 'ck-restart-')) : null;
    const opened = await openTarget(target, dir);
    let h = await makeHarness(target, { database: opened.database, adminPassword: PASSWORD });
    const cookie = await adminCookie(h, PASSWORD);
    const device = await enrol(h, await newCode(h, cookie));
    const log = await sealLog(device.deviceId, ALL_AGREE);
    expect((await syncRequest(h, device, log.slice(0, 6))).status).toBe(200);
    // The process stops while a batch is in flight: it either commits whole or not at all; the tablet resends.
    await Promise.allSettled([syncRequest(h, device, log.slice(6, 12)), h.database.close()]);

    h = await makeHarness(target, { database: await opened.reopen() });
    expect((await syncRequest(h, device, log)).status).toBe(200);
    const rows = await h.database.db.selectFrom('events').select('id').orderBy('seq').execute();
    expect(rows.map((r) => r.id)).toEqual(log.map((e) => e.id));
    await h.database.close();
    await opened.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
});
