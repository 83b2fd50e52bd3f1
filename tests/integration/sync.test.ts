/** Enrolment and sync routes: idempotency, conflicts, chain and sequence errors, gaps, revocation. */

import type { Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OpenDatabase } from '../../server/db/connect';
import type { Database } from '../../server/db/schema';
import { minuteOf } from '../../server/records';
import { acceptBatch, loadLog } from '../../server/sync';
import { minuteEntry, renderMinuteText } from '../../src/domain';
import { sealEvent } from '../../src/domain/chain';
import type { DomainEvent, EventEnvelope } from '../../src/domain/events';
import { errorResponseSchema, MAX_BODY_BYTES, syncResponseSchema } from '../../src/domain/protocol';
import { minuteExport } from '../../src/export/json';
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
  sealLog,
  syncRequest,
  TARGETS,
} from './harness';

const PASSWORD = 'correct horse battery staple';

describe.each(TARGETS)('sync against %s', (target) => {
  let h: Harness;
  let cookie: string;
  let device: Device;

  beforeAll(async () => {
    h = await makeHarness(target, { adminPassword: PASSWORD });
    cookie = await adminCookie(h, PASSWORD);
    device = await enrol(h, await newCode(h, cookie));
  });
  afterAll(async () => h?.close());

  const errorOf = async (res: Response) => errorResponseSchema.parse(await res.json()).error;

  it('GET /api/v1/health answers with the protocol version', async () => {
    const res = await h.app.request('/api/v1/health');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, protocolVersion: 1 });
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
    expect(res.headers.get('Content-Security-Policy')).toContain("frame-ancestors 'none'");
  });

  it('enrol: a code works once, stores only a hash of the token', async () => {
    const code = await newCode(h, cookie);
    const d = await enrol(h, code.toLowerCase().replace(/-/g, ' '), 'Tablet B');
    expect(d.deviceId).toMatch(/^dev_/);
    expect(d.token.length).toBeGreaterThanOrEqual(32);
    const again = await h.app.request('/api/v1/devices/enrol', {
      method: 'POST',
      body: JSON.stringify({ protocolVersion: 1, code, label: 'Tablet C' }),
    });
    expect(again.status).toBe(400);
    expect((await errorOf(again)).code).toBe('invalid-code');
    const rows = await h.database.db.selectFrom('devices').select('token_hash').execute();
    expect(rows.some((r) => r.token_hash === d.token)).toBe(false);
    const bad = await h.app.request('/api/v1/devices/enrol', {
      method: 'POST',
      body: JSON.stringify({ protocolVersion: 2, code, label: 'x' }),
    });
    expect((await errorOf(bad)).code).toBe('unsupported-version');
  });

  it('sync: a whole meeting is accepted, projected, and acknowledged in order', async () => {
    const log = await sealLog(device.deviceId, ALL_AGREE);
    const res = await syncRequest(h, device, log);
    expect(res.status).toBe(200);
    const body = syncResponseSchema.parse(await res.json());
    expect(body.acknowledged.map((a) => a.seq)).toEqual(log.map((e) => e.seq));
    const meetingId = log[0]?.meetingId as string;
    const meeting = await h.database.db
      .selectFrom('meetings')
      .selectAll()
      .where('id', '=', meetingId)
      .executeTakeFirstOrThrow();
    expect(meeting.head_seq).toBe(log.length);
    expect(meeting.head_hash).toBe(log.at(-1)?.hash);
    expect(meeting.is_closed).toBe(true);
    const minute = await minuteOf(h.database.db, meetingId);
    expect(minute?.text).toContain('Sarah Doe');
    expect(minute?.headHash).toBe(log.at(-1)?.hash);
    const undertakings = await h.database.db
      .selectFrom('undertakings')
      .selectAll()
      .where('meeting_id', '=', meetingId)
      .execute();
    expect(undertakings.map((u) => u.signer_name)).toEqual(['Sarah Doe']);
    expect(h.logs.join('')).not.toContain('Sarah Doe');
    expect(h.logs.join('')).not.toContain(device.token);
  });

  it('sync: in batches, each replayed from the stored head; the same events again are acknowledged again', async () => {
    const log = await sealLog(device.deviceId, ALL_AGREE);
    for (const part of [log.slice(0, 5), log.slice(5, 12), log.slice(12)]) {
      expect((await syncRequest(h, device, part)).status).toBe(200);
    }
    const again = await syncRequest(h, device, log);
    expect(again.status).toBe(200);
    expect(syncResponseSchema.parse(await again.json()).acknowledged).toHaveLength(log.length);
    const n = await h.database.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('meeting_id', '=', log[0]?.meetingId as string)
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(log.length);
  });

  it('sync: one batch for several meetings, new and continued, interleaved: each projected as its stored log says', async () => {
    const continued = await sealLog(device.deviceId, ALL_AGREE);
    // Held up to its signed undertaking: the minute entry's signature comes from a stored event.
    expect((await syncRequest(h, device, continued.slice(0, 8))).status).toBe(200);
    // Keys of a payload in another order than jsonb keeps them: the projections must not depend on it.
    const twoChildren = [s.CHILD, { id: 'child-2', name: 'Alex Doe' }];
    const mother = { ...s.people.mother, parentalResponsibility: { 'child-2': true, 'child-1': true } };
    const fresh = await sealLog(device.deviceId, [
      s.opened('meeting', 'hertfordshire', twoChildren),
      ...[s.people.chair, mother, s.people.socialWorker, s.people.health].map(s.added),
      ...ALL_AGREE.slice(5),
    ]);
    const rest = continued.slice(6); // events 7 and 8 are held already: acknowledged again
    const batch = Array.from({ length: Math.max(rest.length, fresh.length) }, (_, i) => [rest[i], fresh[i]])
      .flat()
      .filter((e) => e !== undefined);
    const res = await syncRequest(h, device, batch);
    expect(res.status).toBe(200);
    const body = syncResponseSchema.parse(await res.json());
    expect(body.acknowledged.map((a) => a.id)).toEqual(batch.map((e) => e.id));

    for (const log of [continued, fresh]) {
      const meetingId = log[0]?.meetingId as string;
      const stored = await loadLog(h.database.db, meetingId);
      expect(stored.map((e) => e.id)).toEqual(log.map((e) => e.id));
      const entry = minuteEntry(stored);
      const minute = await minuteOf(h.database.db, meetingId);
      expect(minute?.text).toBe(renderMinuteText(entry));
      expect(minute?.entry).toEqual(JSON.parse(JSON.stringify(entry)));
      expect(minute).toMatchObject({
        headHash: log.at(-1)?.hash,
        eventCount: log.length,
        isComplete: true,
      });
      const meeting = await h.database.db
        .selectFrom('meetings')
        .selectAll()
        .where('id', '=', meetingId)
        .executeTakeFirstOrThrow();
      expect(meeting).toMatchObject({
        head_seq: log.length,
        head_hash: log.at(-1)?.hash,
        is_closed: true,
        title: entry.meeting.title,
        first_at: log[0]?.at,
        last_at: log.at(-1)?.at,
      });
      const undertakings = await h.database.db
        .selectFrom('undertakings')
        .select(['signer_name', 'signature'])
        .where('meeting_id', '=', meetingId)
        .execute();
      expect(undertakings).toEqual([{ signer_name: 'Sarah Doe', signature: entry.undertaking?.signature }]);
    }
  });

  it('sync: a meeting sent a few events at a time reads back, at every point, the minute entry its whole stored log gives', async () => {
    const { people } = s;
    // A name corrected after its owner signed, someone removed, a decliner who leaves and a second round,
    // recording, the chair's confirmation and the close: each a fact the minute entry tells.
    const log = await sealLog(device.deviceId, [
      s.opened('meeting'),
      ...[people.chair, { ...people.mother, name: 'Sara Doe' }, people.socialWorker, people.police].map(
        s.added,
      ),
      s.added(people.health),
      s.removed('health', 'Dr Bello sent apologies; added by mistake.'),
      s.requested('mother'),
      s.eligible(),
      s.signed('mother'),
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...s.declines('police', 'The investigation is still live.'),
      ...s.screened(),
      s.alternativesOffered(['detailed-minutes']),
      s.left('police'),
      s.reviewRequested('DC Webb has left the meeting.'),
      ...s.agrees('chair'),
      ...s.agrees('sw'),
      ...s.screened(),
      s.started,
      s.recordingStarted,
      s.corrected('mother', { name: 'Sarah Doe' }),
      ...s.confirmedAndClosed,
    ]);
    const meetingId = log[0]?.meetingId as string;
    const sizes = [1, 2, 3, 1, 4, 2];
    const batches: EventEnvelope[][] = [];
    for (let i = 0, k = 0; i < log.length; k++) {
      const size = sizes[k % sizes.length] as number;
      batches.push(log.slice(i, i + size));
      i += size;
    }
    expect(batches.length).toBeGreaterThan(10);
    const admin = (path: string) => h.app.request(`${ORIGIN}${path}`, { headers: { Cookie: cookie } });

    for (const [k, batch] of batches.entries()) {
      expect((await syncRequest(h, device, batch)).status).toBe(200);
      const stored = await loadLog(h.database.db, meetingId);
      expect(stored).toHaveLength(batches.slice(0, k + 1).flat().length);
      const whole = minuteEntry(stored);
      const minute = await minuteOf(h.database.db, meetingId);
      expect(minute?.entry).toEqual(JSON.parse(JSON.stringify(whole)));
      expect(minute?.text).toBe(renderMinuteText(whole));
      expect(minute).toMatchObject({
        headHash: stored.at(-1)?.hash,
        eventCount: stored.length,
        isComplete: true,
      });
      // Read again, from what was kept: the same, to the byte.
      expect(JSON.stringify(await minuteOf(h.database.db, meetingId))).toBe(JSON.stringify(minute));

      const meeting = await h.database.db
        .selectFrom('meetings')
        .selectAll()
        .where('id', '=', meetingId)
        .executeTakeFirstOrThrow();
      expect(meeting).toMatchObject({
        head_seq: stored.length,
        head_hash: stored.at(-1)?.hash,
        title: whole.meeting.title,
        kind: whole.meeting.kind,
        scheduled_at: whole.meeting.scheduledAt,
        profile_id: 'hertfordshire',
        is_closed: stored.some((e) => e.type === 'meeting.closed'),
        first_at: log[0]?.at,
        last_at: stored.at(-1)?.at,
      });
      if (k % 4 === 3 || k === batches.length - 1) {
        const text = await admin(`/admin/meetings/${meetingId}/minute.txt`);
        expect(text.status).toBe(200);
        expect(await text.text()).toBe(renderMinuteText(whole));
        const json = await admin(`/admin/meetings/${meetingId}/minute.json`);
        expect(json.status).toBe(200);
        // The versioned export of the same entry: the facts of the whole log, as the minute text says them.
        expect(await json.json()).toEqual(
          JSON.parse(JSON.stringify(minuteExport(whole, { verifyBaseUrl: ORIGIN }))),
        );
      }
    }
    const last = await minuteOf(h.database.db, meetingId);
    expect(last?.text).toContain('Correction for Sarah Doe');
    expect(last?.entry.attendees.map((a) => a.name)).not.toContain('Dr Ola Bello');
    const undertakings = await h.database.db
      .selectFrom('undertakings')
      .select(['signer_name', 'event_id'])
      .where('meeting_id', '=', meetingId)
      .execute();
    // The name the signer had when the signature arrived, as the whole log up to it gives it.
    expect(undertakings).toEqual([
      { signer_name: 'Sara Doe', event_id: log.find((e) => e.type === 'undertaking.signed')?.id },
    ]);
  });

  it('sync: a new event whose id is held already in another meeting is a 409 conflict naming it, and nothing of its batch is stored', async () => {
    const first = await sealLog(device.deviceId, ALL_AGREE.slice(0, 3));
    expect((await syncRequest(h, device, first)).status).toBe(200);
    // A continued meeting and a new one, each with an event reusing the id of one held elsewhere.
    const continued = await sealLog(device.deviceId, ALL_AGREE.slice(0, 2));
    expect((await syncRequest(h, device, continued)).status).toBe(200);
    const taken = first[2] as EventEnvelope;
    const next = await sealEvent(continued[1] as EventEnvelope, ALL_AGREE[2] as DomainEvent, {
      meetingId: continued[0]?.meetingId as string,
      deviceId: device.deviceId,
      at: taken.at,
      id: taken.id,
    });
    const fresh = await sealLog(device.deviceId, ALL_AGREE.slice(0, 1));
    const before = await fingerprint(h.database);
    const res = await syncRequest(h, device, [...fresh, next]);
    expect(res.status).toBe(409);
    expect(await errorOf(res)).toMatchObject({ code: 'conflict', index: 1, eventId: taken.id });
    expect(await fingerprint(h.database)).toBe(before);
  });

  it('sync: a batch whose meeting moved on just before its transaction is checked against the new head', async () => {
    const log = await sealLog(device.deviceId, ALL_AGREE);
    expect((await syncRequest(h, device, log.slice(0, 4))).status).toBe(200);
    // `competitor` is accepted after the batch was grouped, just before its transaction starts.
    const racing = (competitor: EventEnvelope[]): OpenDatabase => {
      const db = new Proxy(h.database.db, {
        get(target, key) {
          if (key === 'transaction') {
            return () => ({
              execute: async <T>(fn: (trx: Transaction<Database>) => Promise<T>) => {
                await acceptBatch(h.database, device.deviceId, competitor);
                return target.transaction().execute(fn);
              },
            });
          }
          const value = Reflect.get(target, key);
          return typeof value === 'function' ? value.bind(target) : value;
        },
      });
      return { ...h.database, db };
    };
    // The other batch stored event 5 as this one has it: this one is acknowledged, and nothing is held twice.
    const same = await acceptBatch(racing(log.slice(4, 5)), device.deviceId, log.slice(4, 8));
    expect(same.inserted).toBe(3);
    // The other batch stored another event 9: this one, fine against the head it was sent for, is a conflict.
    const fork = await sealLog(device.deviceId, [ALL_AGREE[8] as DomainEvent], log[0]?.meetingId, log[7]);
    await expect(acceptBatch(racing(fork), device.deviceId, log.slice(8))).rejects.toMatchObject({
      code: 'conflict',
      detail: { eventId: log[8]?.id },
    });
    const held = await loadLog(h.database.db, log[0]?.meetingId as string);
    expect(held.map((e) => e.id)).toEqual([...log.slice(0, 8), ...fork].map((e) => e.id));
  });

  it('sync: a batch of several meetings with one bad event stores none of them', async () => {
    const before = await fingerprint(h.database);
    const good = await sealLog(device.deviceId, ALL_AGREE);
    const bad = await sealLog(device.deviceId, ALL_AGREE.slice(0, 6));
    const forged = { ...bad[4], hash: 'c'.repeat(64) } as (typeof bad)[number];
    const res = await syncRequest(h, device, [...good, ...bad.slice(0, 4), forged, ...bad.slice(5)]);
    expect(res.status).toBe(422);
    expect(await errorOf(res)).toMatchObject({
      code: 'bad-hash',
      index: good.length + 4,
      eventId: forged.id,
    });
    expect(await fingerprint(h.database)).toBe(before);
    // A forged hash is found before anything is looked up, wherever it is in the batch.
    const gapped = good.slice(4);
    const both = await syncRequest(h, device, [...gapped, ...bad.slice(0, 4), forged]);
    expect(await errorOf(both)).toMatchObject({ code: 'bad-hash', index: gapped.length + 4 });
    // Two meetings bad against what is held: the error is the first one's in batch order.
    const illegal = await sealLog(device.deviceId, [s.opened(), s.started, s.started]);
    let two = await syncRequest(h, device, [...illegal, ...gapped]);
    expect(await errorOf(two)).toMatchObject({ code: 'illegal-transition', index: 2 });
    two = await syncRequest(h, device, [...gapped, ...illegal]);
    expect(await errorOf(two)).toMatchObject({ code: 'gap', index: 0, expectedSeq: 1 });
    expect(await fingerprint(h.database)).toBe(before);
  });

  it('sync: the same id with other content is a 409 conflict', async () => {
    const log = await sealLog(device.deviceId, ALL_AGREE.slice(0, 3));
    expect((await syncRequest(h, device, log)).status).toBe(200);
    const forged = await sealLog(
      device.deviceId,
      [s.added(s.people.police)],
      log[0]?.meetingId,
      log[1] ?? null,
    );
    const clash = { ...forged[0], id: log[2]?.id } as NonNullable<(typeof forged)[0]>;
    const { hashOf } = await import('../../src/domain/chain');
    clash.hash = await hashOf(clash);
    const res = await syncRequest(h, device, [clash]);
    expect(res.status).toBe(409);
    expect((await errorOf(res)).code).toBe('conflict');
    // another event at an occupied seq (a fork) is a conflict too
    const fork = await syncRequest(h, device, forged);
    expect(fork.status).toBe(409);
  });

  it('sync: broken chain, forged hash and illegal sequence are 422 with a machine-readable code', async () => {
    const log = await sealLog(device.deviceId, ALL_AGREE.slice(0, 4));
    const badHash = [...log.slice(0, 3), { ...log[3], hash: 'a'.repeat(64) }];
    let res = await syncRequest(h, device, badHash);
    expect(res.status).toBe(422);
    expect(await errorOf(res)).toMatchObject({ code: 'bad-hash', index: 3 });

    const { hashOf } = await import('../../src/domain/chain');
    const unchained = { ...(log[1] as EventEnvelope), prevHash: 'b'.repeat(64) };
    const badPrev = [log[0], { ...unchained, hash: await hashOf(unchained) }];
    res = await syncRequest(h, device, badPrev);
    expect((await errorOf(res)).code).toBe('bad-prev-hash');

    const illegal = await sealLog(device.deviceId, [s.opened(), s.started, s.started]);
    res = await syncRequest(h, device, illegal);
    expect(res.status).toBe(422);
    expect((await errorOf(res)).code).toBe('illegal-transition');

    const twoSeq = [log[0], log[0] && { ...log[1], seq: 1 }];
    res = await syncRequest(h, device, twoSeq);
    expect(res.status).toBe(422);
  });

  it('sync: a batch starting beyond the head is a 422 gap with expectedSeq; the admin sees it until it is filled', async () => {
    const log = await sealLog(device.deviceId, ALL_AGREE);
    expect((await syncRequest(h, device, log.slice(0, 3))).status).toBe(200);
    const res = await syncRequest(h, device, log.slice(6));
    expect(res.status).toBe(422);
    expect(await errorOf(res)).toMatchObject({ code: 'gap', expectedSeq: 4 });
    const meetingPage = async () =>
      (
        await h.app.request(`${ORIGIN}/admin/meetings/${log[0]?.meetingId}`, { headers: { Cookie: cookie } })
      ).text();
    const list = await (await h.app.request(`${ORIGIN}/admin`, { headers: { Cookie: cookie } })).text();
    expect(list).toContain('Incomplete: a tablet reported missing events');
    expect(await meetingPage()).toContain('Events 4 to 6 were never received');
    // The tablet sends the missing events after all: the gap is worked out from what is held, so it clears.
    expect((await syncRequest(h, device, log.slice(3))).status).toBe(200);
    expect(await meetingPage()).not.toContain('never received');
    expect(await meetingPage()).toContain('Complete');
  });

  it('sync: a meeting not held yet is created by its first event only; a cleared tablet is told to start at 1 and nothing is recorded', async () => {
    const before = await fingerprint(h.database);
    const cleared = await sealLog(device.deviceId, ALL_AGREE);
    const res = await syncRequest(h, device, cleared.slice(4));
    expect(res.status).toBe(422);
    expect(await errorOf(res)).toMatchObject({ code: 'gap', expectedSeq: 1, index: 0 });
    expect(await fingerprint(h.database)).toBe(before);
    const gaps = await h.database.db
      .selectFrom('sync_gaps')
      .select('id')
      .where('meeting_id', '=', cleared[0]?.meetingId as string)
      .execute();
    expect(gaps).toEqual([]);
    const list = await (await h.app.request(`${ORIGIN}/admin`, { headers: { Cookie: cookie } })).text();
    expect(list).not.toContain(cleared[0]?.meetingId as string);
  });

  it('sync: events of another device are refused (wrong-device)', async () => {
    const other = await sealLog('dev_someoneelse', ALL_AGREE.slice(0, 2));
    const res = await syncRequest(h, device, other);
    expect(res.status).toBe(403);
    expect(await errorOf(res)).toMatchObject({ code: 'wrong-device', index: 0 });
    const named = await syncRequest(h, device, other, { deviceId: 'dev_someoneelse' });
    expect((await errorOf(named)).code).toBe('wrong-device');
  });

  it('sync: no token, an unknown token, a missing Idempotency-Key, bad JSON, a huge body', async () => {
    const log = await sealLog(device.deviceId, ALL_AGREE.slice(0, 1));
    let res = await h.app.request('/api/v1/sync', { method: 'POST', body: '{}' });
    expect(res.status).toBe(401);
    res = await syncRequest(h, { ...device, token: 'x'.repeat(43) }, log);
    expect((await errorOf(res)).code).toBe('unauthorised');
    res = await h.app.request('/api/v1/sync', {
      method: 'POST',
      headers: { Authorization: `Bearer ${device.token}` },
      body: JSON.stringify({ protocolVersion: 1, deviceId: device.deviceId, events: log }),
    });
    expect(res.status).toBe(400);
    res = await h.app.request('/api/v1/sync', {
      method: 'POST',
      headers: { Authorization: `Bearer ${device.token}`, 'Idempotency-Key': 'abcdefgh12' },
      body: '{"protocolVersion":1,',
    });
    expect((await errorOf(res)).code).toBe('bad-request');
    res = await h.app.request('/api/v1/sync', {
      method: 'POST',
      headers: { Authorization: `Bearer ${device.token}`, 'Idempotency-Key': 'abcdefgh12' },
      body: 'x'.repeat(MAX_BODY_BYTES + 10),
    });
    expect(res.status).toBe(413);
    expect((await errorOf(res)).code).toBe('payload-too-large');
    res = await h.app.request('/api/v1/nope');
    expect(res.status).toBe(404);
  });

  it('revoke: after an admin revokes a device its requests get 401 device-revoked', async () => {
    const d = await enrol(h, await newCode(h, cookie), 'Tablet to revoke');
    const log = await sealLog(d.deviceId, ALL_AGREE.slice(0, 2));
    expect((await syncRequest(h, d, log.slice(0, 1))).status).toBe(200);
    const res = await h.app.request(`${ORIGIN}/admin/devices/${d.deviceId}/revoke`, {
      method: 'POST',
      headers: { Cookie: cookie },
    });
    expect(res.status).toBe(303);
    const after = await syncRequest(h, d, log);
    expect(after.status).toBe(401);
    expect((await errorOf(after)).code).toBe('device-revoked');
  });

  it('enrol: the tablet keeps its own id; a new code never takes over an enrolled id, revoked or not', async () => {
    const tabletId = '0193a1b2-0000-7000-8000-00000000aaaa';
    const first = await enrol(h, await newCode(h, cookie), 'Tablet C', tabletId);
    expect(first.deviceId).toBe(tabletId);
    const log = await sealLog(tabletId, ALL_AGREE.slice(0, 3));
    expect((await syncRequest(h, first, log.slice(0, 1))).status).toBe(200);

    // Someone with a fresh code claims the tablet's id: refused, and the tablet's token still works.
    const code = await newCode(h, cookie);
    const enrolAs = (deviceId: string) =>
      h.app.request('/api/v1/devices/enrol', {
        method: 'POST',
        body: JSON.stringify({ protocolVersion: 1, code, label: 'Intruder', deviceId }),
      });
    const takeover = await enrolAs(tabletId);
    expect(takeover.status).toBe(409);
    expect((await errorOf(takeover)).code).toBe('device-exists');
    expect((await syncRequest(h, first, log.slice(0, 2))).status).toBe(200);

    // Revoked stays revoked: enrolling its id again is refused too, and its token stays refused.
    await h.app.request(`${ORIGIN}/admin/devices/${tabletId}/revoke`, {
      method: 'POST',
      headers: { Cookie: cookie },
    });
    expect((await errorOf(await enrolAs(tabletId))).code).toBe('device-exists');
    expect((await errorOf(await syncRequest(h, first, log))).code).toBe('device-revoked');
    const row = await h.database.db
      .selectFrom('devices')
      .select(['label', 'revoked_at'])
      .where('id', '=', tabletId)
      .executeTakeFirstOrThrow();
    expect(row.label).toBe('Tablet C');
    expect(row.revoked_at).not.toBeNull();

    // The refused attempts did not use the code up: it enrols a new device.
    const fresh = await enrolAs('0193a1b2-0000-7000-8000-00000000bbbb');
    expect(fresh.status).toBe(201);
    expect((await enrolAs('0193a1b2-0000-7000-8000-00000000cccc')).status).toBe(400);
  });
});
