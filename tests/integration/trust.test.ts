/**
 * The records service trusts no one by default: each probe of issue 13's findings 1-6, as an attacker or
 * an unlucky tablet would send it, on PGlite and on PostgreSQL.
 */
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashOf, sealEvent } from '../../src/domain/chain';
import type { DomainEvent, EventEnvelope } from '../../src/domain/events';
import { errorResponseSchema, PROTOCOL_VERSION } from '../../src/domain/protocol';
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

const PASSWORD = 'trust no one password';

const errorOf = async (res: Response) => errorResponseSchema.parse(await res.json()).error;

/** An event's JSON with one field replaced, keeping (or recomputing) its hash. */
async function altered(
  event: EventEnvelope,
  change: (e: Record<string, unknown>) => void,
  rehash: boolean,
): Promise<EventEnvelope> {
  const copy = structuredClone(event) as unknown as Record<string, unknown>;
  change(copy);
  if (rehash) copy.hash = await hashOf(copy);
  return copy as unknown as EventEnvelope;
}

/** The service's clock, moved by the tests. */
let serviceNow = new Date('2026-11-23T10:30:00Z');

describe.each(TARGETS)('trust against %s', (target) => {
  let h: Harness;
  let cookie: string;
  let a: Device;
  let b: Device;

  beforeAll(async () => {
    h = await makeHarness(target, { adminPassword: PASSWORD, now: () => serviceNow });
    cookie = await adminCookie(h, PASSWORD);
    a = await enrol(h, await newCode(h, cookie), 'Tablet A', uuidv7());
    b = await enrol(h, await newCode(h, cookie), 'Tablet B', uuidv7());
  });
  afterAll(async () => h?.close());

  const adminGet = async (path: string) =>
    (await h.app.request(`${ORIGIN}${path}`, { headers: { Cookie: cookie } })).text();
  const adminPost = (path: string, fields: Record<string, string>) =>
    h.app.request(`${ORIGIN}${path}`, {
      method: 'POST',
      headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  const heldIds = async (meetingId: string) =>
    (
      await h.database.db
        .selectFrom('events')
        .select('id')
        .where('meeting_id', '=', meetingId)
        .orderBy('seq')
        .execute()
    ).map((r) => r.id);

  // ------------------------------------------------------------ 1. control characters, lone surrogates

  describe('1. text no database can hold', () => {
    it('a correctly sealed event with a NUL in an attendee name is 422 bad-text naming it, on every retry, and stores nothing', async () => {
      const good = await sealLog(a.deviceId, ALL_AGREE);
      const poisoned = await sealLog(a.deviceId, [
        s.opened(),
        s.added({ ...s.people.mother, name: 'Sarah\u0000Doe' }),
      ]);
      const before = await fingerprint(h.database);
      for (let attempt = 0; attempt < 3; attempt++) {
        const res = await syncRequest(h, a, [...good, ...poisoned]);
        expect(res.status).toBe(422);
        expect(await errorOf(res)).toMatchObject({
          code: 'bad-text',
          index: good.length + 1,
          eventId: poisoned[1]?.id,
        });
      }
      expect(await fingerprint(h.database)).toBe(before);
      // Without the poisoned meeting the tablet's other meetings go in.
      expect((await syncRequest(h, a, good)).status).toBe(200);
    });

    it('a lone surrogate, or a control character in a field with no text schema of its own, is 422 bad-text too', async () => {
      const [opened] = await sealLog(a.deviceId, [s.opened()]);
      const lone = await altered(
        opened as EventEnvelope,
        (e) => {
          (e.payload as { meeting: { title: string } }).meeting.title = 'Review \ud83d';
        },
        false, // it has no canonical form to hash: the attacker's hash is sent
      );
      let res = await syncRequest(h, a, [lone]);
      expect(res.status).toBe(422);
      const error = await errorOf(res);
      expect(error).toMatchObject({ code: 'bad-text', index: 0, eventId: lone.id });
      expect(error.message).toContain('payload.meeting.title');

      const log = await sealLog(a.deviceId, ALL_AGREE.slice(0, 8));
      const signed = await altered(
        log[7] as EventEnvelope,
        (e) => {
          (e.payload as { textVersion: string }).textVersion = 'v1\u0001';
        },
        true,
      );
      res = await syncRequest(h, a, [...log.slice(0, 7), signed]);
      expect(await errorOf(res)).toMatchObject({ code: 'bad-text', index: 7 });

      // The C1 control U+0085 in free text, and a NUL in the device's label at enrolment.
      const reason = await sealLog(a.deviceId, [
        ...ALL_AGREE.slice(0, 6),
        s.ineligible('No\u0085parental responsibility'),
      ]);
      expect((await errorOf(await syncRequest(h, a, reason))).code).toBe('bad-text');
      const label = await h.app.request('/api/v1/devices/enrol', {
        method: 'POST',
        body: JSON.stringify({
          protocolVersion: PROTOCOL_VERSION,
          code: await newCode(h, cookie),
          label: 'Tablet\u0000',
        }),
      });
      expect(label.status).toBe(400);
    });

    it('line breaks and tabs in free text are kept, as the tablet writes them', async () => {
      const log = await sealLog(a.deviceId, [
        ...ALL_AGREE.slice(0, 6),
        s.ineligible('No parental responsibility.\nConfirmed with the social worker:\tyes.'),
      ]);
      expect((await syncRequest(h, a, log)).status).toBe(200);
    });
  });

  // ------------------------------------------------------------ 2. one writer per meeting

  describe('2. one writer per meeting', () => {
    it("another device's event for a meeting is 403 not-custodian and changes nothing; the writer's own events then go in", async () => {
      const log = await sealLog(a.deviceId, ALL_AGREE);
      const meetingId = log[0]?.meetingId as string;
      expect((await syncRequest(h, a, log.slice(0, 8))).status).toBe(200);
      const before = await fingerprint(h.database);

      // B continues A's chain correctly, as its own events.
      const intruding = await sealLog(b.deviceId, ALL_AGREE.slice(8, 9), meetingId, log[7]);
      let res = await syncRequest(h, b, intruding);
      expect(res.status).toBe(403);
      expect(await errorOf(res)).toMatchObject({
        code: 'not-custodian',
        index: 0,
        eventId: intruding[0]?.id,
      });
      // Its own event at a number A's log already holds: refused as not its meeting, not as a conflict.
      const occupying = await sealLog(b.deviceId, ALL_AGREE.slice(4, 5), meetingId, log[3]);
      expect((await errorOf(await syncRequest(h, b, occupying))).code).toBe('not-custodian');
      // Junk far ahead, with only the meeting's id: no gap, nothing marked incomplete.
      const junk = await sealEvent(log[7] as EventEnvelope, ALL_AGREE[8] as DomainEvent, {
        meetingId,
        deviceId: b.deviceId,
        at: '2026-11-23T10:20:00+00:00',
      });
      const far = await altered(
        junk,
        (e) => {
          e.seq = 500;
        },
        true,
      );
      res = await syncRequest(h, b, [far]);
      expect(res.status).toBe(403);
      expect((await errorOf(res)).code).toBe('not-custodian');
      expect(await fingerprint(h.database)).toBe(before);
      const gaps = await h.database.db
        .selectFrom('sync_gaps')
        .select('id')
        .where('meeting_id', '=', meetingId)
        .execute();
      expect(gaps).toEqual([]);
      expect(await adminGet(`/admin/meetings/${meetingId}`)).not.toContain('reported missing events');

      res = await syncRequest(h, a, log.slice(8));
      expect(res.status).toBe(200);
      expect(await heldIds(meetingId)).toEqual(log.map((e) => e.id));
    });

    it('a meeting not held is created only by its event 1, meeting.opened: fifty junk meetings create nothing', async () => {
      const before = await fingerprint(h.database);
      for (let i = 0; i < 50; i++) {
        const log = await sealLog(b.deviceId, ALL_AGREE.slice(0, 6));
        const res = await syncRequest(h, b, [log[5]]);
        expect(res.status).toBe(422);
        expect(await errorOf(res)).toMatchObject({ code: 'gap', expectedSeq: 1 });
      }
      // Event 1 that is not meeting.opened.
      const notOpened = await sealLog(b.deviceId, [s.added(s.people.chair)]);
      const res = await syncRequest(h, b, notOpened);
      expect(res.status).toBe(422);
      expect((await errorOf(res)).code).toBe('illegal-transition');
      expect(await fingerprint(h.database)).toBe(before);
      const gaps = await h.database.db.selectFrom('sync_gaps').select('id').execute();
      expect(gaps).toEqual([]);
      expect(await adminGet('/admin')).not.toContain('reported missing events');
    });

    it('an admin hands a meeting over to a named device: only that device may append from then on, and the hand-over is recorded', async () => {
      const log = await sealLog(a.deviceId, ALL_AGREE);
      const meetingId = log[0]?.meetingId as string;
      expect((await syncRequest(h, a, log.slice(0, 8))).status).toBe(200);

      // Refused: no reason, a device that does not exist.
      expect((await adminPost(`/admin/meetings/${meetingId}/hand-over`, { device: b.deviceId })).status).toBe(
        400,
      );
      const unknown = await adminPost(`/admin/meetings/${meetingId}/hand-over`, {
        device: 'dev_nosuchdevice',
        reason: 'Tablet A broke',
      });
      expect(unknown.status).toBe(409);
      expect(await unknown.text()).toContain('There is no such device.');

      const res = await adminPost(`/admin/meetings/${meetingId}/hand-over`, {
        device: b.deviceId,
        reason: 'Tablet A broke mid-meeting',
      });
      expect(res.status).toBe(303);
      const transfers = await h.database.db
        .selectFrom('custody_transfers')
        .selectAll()
        .where('meeting_id', '=', meetingId)
        .execute();
      expect(transfers).toMatchObject([
        {
          from_device_id: a.deviceId,
          to_device_id: b.deviceId,
          from_seq: 9,
          by_admin: 'admin',
          reason: 'Tablet A broke mid-meeting',
        },
      ]);
      expect(transfers[0]?.at).toBeInstanceOf(Date);

      // A's next event is refused; what A wrote before is still acknowledged to A.
      expect((await errorOf(await syncRequest(h, a, log.slice(8, 9)))).code).toBe('not-custodian');
      expect((await syncRequest(h, a, log.slice(0, 8))).status).toBe(200);
      // B continues the record.
      const continued = await sealLog(b.deviceId, ALL_AGREE.slice(8), meetingId, log[7]);
      expect((await syncRequest(h, b, continued)).status).toBe(200);
      expect(await heldIds(meetingId)).toEqual([...log.slice(0, 8), ...continued].map((e) => e.id));
      const page = await adminGet(`/admin/meetings/${meetingId}`);
      expect(page).toContain(`Only device <code>${b.deviceId}</code> may add events`);
      expect(page).toContain('Tablet A broke mid-meeting');
      // Closed: nothing more to hand over.
      const closed = await adminPost(`/admin/meetings/${meetingId}/hand-over`, {
        device: a.deviceId,
        reason: 'back again',
      });
      expect(closed.status).toBe(409);
    });
  });

  // ------------------------------------------------------------ 3. enrolment

  describe('3. enrolment', () => {
    it("a fresh code claiming an enrolled device's id is refused: the victim keeps its token and its meeting", async () => {
      const victim = await enrol(h, await newCode(h, cookie), 'Victim', uuidv7());
      const log = await sealLog(victim.deviceId, ALL_AGREE);
      expect((await syncRequest(h, victim, log.slice(0, 6))).status).toBe(200);
      const code = await newCode(h, cookie);
      const before = await fingerprint(h.database);
      const takeover = await h.app.request('/api/v1/devices/enrol', {
        method: 'POST',
        body: JSON.stringify({
          protocolVersion: PROTOCOL_VERSION,
          code,
          label: 'Attacker',
          deviceId: victim.deviceId,
        }),
      });
      expect(takeover.status).toBe(409);
      expect((await errorOf(takeover)).code).toBe('device-exists');
      // Only the code's own row would differ; the victim's token, label and state are as they were.
      expect(await fingerprint(h.database)).toBe(before);
      expect((await syncRequest(h, victim, log.slice(6))).status).toBe(200);

      // Enrolled as a new device, the attacker can neither write as the victim nor into its meeting.
      const attacker = await enrol(h, code, 'Attacker');
      expect(attacker.deviceId).not.toBe(victim.deviceId);
      expect((await errorOf(await syncRequest(h, attacker, log.slice(0, 2)))).code).toBe('wrong-device');
    });

    it('replacing a tablet is an admin action naming it: it is revoked and its open meetings go to the replacement', async () => {
      const old = await enrol(h, await newCode(h, cookie), 'Old tablet', uuidv7());
      const replacement = await enrol(h, await newCode(h, cookie), 'New tablet', uuidv7());
      const open = await sealLog(old.deviceId, ALL_AGREE.slice(0, 6));
      const done = await sealLog(old.deviceId, ALL_AGREE);
      expect((await syncRequest(h, old, [...open, ...done])).status).toBe(200);

      const res = await adminPost(`/admin/devices/${old.deviceId}/replace`, {
        replacement: replacement.deviceId,
      });
      expect(res.status).toBe(303);
      expect((await errorOf(await syncRequest(h, old, open))).code).toBe('device-revoked');
      const writers = await h.database.db
        .selectFrom('meetings')
        .select(['id', 'writer_device_id'])
        .where('id', 'in', [open[0]?.meetingId as string, done[0]?.meetingId as string])
        .execute();
      expect(Object.fromEntries(writers.map((w) => [w.id, w.writer_device_id]))).toEqual({
        [open[0]?.meetingId as string]: replacement.deviceId,
        [done[0]?.meetingId as string]: old.deviceId,
      });
      const continued = await sealLog(
        replacement.deviceId,
        ALL_AGREE.slice(6),
        open[0]?.meetingId,
        open.at(-1),
      );
      expect((await syncRequest(h, replacement, continued)).status).toBe(200);
      // A revoked tablet cannot be named as a replacement.
      const third = await enrol(h, await newCode(h, cookie), 'Third tablet', uuidv7());
      const refused = await adminPost(`/admin/devices/${third.deviceId}/replace`, {
        replacement: old.deviceId,
      });
      expect(refused.status).toBe(409);
    });
  });

  // ------------------------------------------------------------ 4. hashes

  describe('4. a changed event', () => {
    it('an event already held, sent again with one character changed and its old hash, is 422 bad-hash and not acknowledged', async () => {
      const log = await sealLog(a.deviceId, ALL_AGREE.slice(0, 5));
      expect((await syncRequest(h, a, log)).status).toBe(200);
      const before = await fingerprint(h.database);
      const changed = await altered(
        log[2] as EventEnvelope,
        (e) => {
          (e.payload as { attendee: { name: string } }).attendee.name = 'Sarah Dox';
        },
        false,
      );
      const res = await syncRequest(h, a, [...log.slice(0, 2), changed, ...log.slice(3)]);
      expect(res.status).toBe(422);
      expect(await errorOf(res)).toMatchObject({ code: 'bad-hash', index: 2, eventId: changed.id });
      expect(await fingerprint(h.database)).toBe(before);
    });

    it('the same id with other, correctly hashed content is 409 conflict', async () => {
      const log = await sealLog(a.deviceId, ALL_AGREE.slice(0, 5));
      expect((await syncRequest(h, a, log)).status).toBe(200);
      const other = await altered(
        log[2] as EventEnvelope,
        (e) => {
          (e.payload as { attendee: { name: string } }).attendee.name = 'Sarah Dox';
        },
        true,
      );
      const res = await syncRequest(h, a, [other]);
      expect(res.status).toBe(409);
      expect(await errorOf(res)).toMatchObject({ code: 'conflict', eventId: other.id });
    });
  });

  // ------------------------------------------------------------ 5. time

  describe('5. time', () => {
    it('an event dated earlier than the one before it is 422 time-backwards, within a batch and across batches', async () => {
      const log = await sealLog(a.deviceId, ALL_AGREE.slice(0, 6));
      const before = await fingerprint(h.database);
      const backwards = await altered(
        log[3] as EventEnvelope,
        (e) => {
          e.at = '2026-11-23T09:00:00+00:00';
        },
        true,
      );
      // Rechained after it, so the time is the only fault.
      const rest = await sealLog(a.deviceId, ALL_AGREE.slice(4, 6), log[0]?.meetingId, backwards);
      let res = await syncRequest(h, a, [...log.slice(0, 3), backwards, ...rest]);
      expect(res.status).toBe(422);
      expect(await errorOf(res)).toMatchObject({ code: 'time-backwards', index: 3, eventId: backwards.id });
      expect(await fingerprint(h.database)).toBe(before);

      expect((await syncRequest(h, a, log.slice(0, 3))).status).toBe(200);
      res = await syncRequest(h, a, [backwards, ...rest]);
      expect(await errorOf(res)).toMatchObject({ code: 'time-backwards', index: 0 });
      // An earlier time written with another offset, later as text: compared as instants.
      const offset = await altered(
        log[3] as EventEnvelope,
        (e) => {
          e.at = '2026-11-23T10:59:00+02:00'; // 08:59 UTC, before event 3 at 10:00 UTC
        },
        true,
      );
      expect((await errorOf(await syncRequest(h, a, [offset]))).code).toBe('time-backwards');
      expect((await syncRequest(h, a, log.slice(3))).status).toBe(200);
    });

    it("the service records when it received each event and the tablet's clock, and warns the admin where that clock was far off", async () => {
      const warningOf = async (log: EventEnvelope[]) => {
        const page = await adminGet(`/admin/meetings/${log[0]?.meetingId}`);
        return page.includes('Clock warning')
          ? (/<ul><li>(.*?)<\/li>/.exec(page.slice(page.indexOf('Clock warning')))?.[1] ?? '?')
          : null;
      };
      // Synced as the meeting ends, by a tablet whose clock agrees with the service's.
      serviceNow = new Date('2026-11-23T10:16:00Z');
      const onTime = await sealLog(a.deviceId, ALL_AGREE); // 09:58 to 10:15
      expect((await syncRequest(h, a, onTime, { sentAt: '2026-11-23T10:16:05+00:00' })).status).toBe(200);
      const received = await h.database.db
        .selectFrom('events')
        .select(['received_at', 'sent_at'])
        .where('meeting_id', '=', onTime[0]?.meetingId as string)
        .execute();
      expect(received.map((r) => [new Date(r.received_at).toISOString(), r.sent_at])).toEqual(
        onTime.map(() => [serviceNow.toISOString(), '2026-11-23T10:16:05+00:00']),
      );
      expect(await warningOf(onTime)).toBeNull();

      // A tablet whose clock says 2099: its events arrive before their own times.
      const future: EventEnvelope[] = [];
      const futureId = uuidv7();
      for (const [i, event] of ALL_AGREE.slice(0, 3).entries()) {
        const at = `2099-01-01T10:0${i}:00+00:00`;
        future.push(
          await sealEvent(future.at(-1) ?? null, event, { meetingId: futureId, deviceId: a.deviceId, at }),
        );
      }
      expect((await syncRequest(h, a, future)).status).toBe(200);
      expect(await warningOf(future)).toMatch(/^The tablet's clock was ahead by up to \d+ days\.$/);

      // A tablet whose clock says 2001, as it says when sending.
      const past = await sealLog(a.deviceId, ALL_AGREE.slice(0, 3));
      expect((await syncRequest(h, a, past, { sentAt: '2001-11-23T10:16:00+00:00' })).status).toBe(200);
      expect(await warningOf(past)).toMatch(/^The tablet's clock was behind by up to \d+ days\.$/);

      // Received two hours after its times, from a tablet that does not say its clock: said, without claiming which.
      serviceNow = new Date('2026-11-23T12:16:00Z');
      // Two hours on, the admin's session has ended (idle limit): sign in again.
      cookie = await adminCookie(h, PASSWORD);
      const late = await sealLog(a.deviceId, ALL_AGREE.slice(0, 3));
      expect((await syncRequest(h, a, late)).status).toBe(200);
      expect(await warningOf(late)).toBe(
        'Events were received up to 2 hours after their times: the tablet synced late, or its clock was behind.',
      );
      // The same, from a tablet that says its clock is right: it synced late, which is no clock error.
      const lateButRight = await sealLog(a.deviceId, ALL_AGREE.slice(0, 3));
      expect((await syncRequest(h, a, lateButRight, { sentAt: '2026-11-23T12:16:00+00:00' })).status).toBe(
        200,
      );
      expect(await warningOf(lateButRight)).toBeNull();
      serviceNow = new Date('2026-11-23T10:30:00Z');
    });
  });

  // ------------------------------------------------------------ 6. ids

  describe('6. ids in one form', () => {
    it('an event whose id, meeting id or device id is in upper case is refused and nothing is stored', async () => {
      const log = await sealLog(a.deviceId, ALL_AGREE.slice(0, 2));
      const before = await fingerprint(h.database);
      for (const field of ['id', 'meetingId'] as const) {
        const upper = await Promise.all(
          log.map((e) =>
            altered(
              e,
              (x) => {
                x[field] = (x[field] as string).toUpperCase();
              },
              true,
            ),
          ),
        );
        const res = await syncRequest(h, a, upper);
        expect(res.status).toBe(400);
        expect(await errorOf(res)).toMatchObject({ code: 'bad-envelope', index: 0 });
      }
      // The device's own id in upper case names no device at all.
      const shouting = await syncRequest(h, a, log, { deviceId: a.deviceId.toUpperCase() });
      expect(shouting.status).toBe(400);
      expect(await fingerprint(h.database)).toBe(before);
      // An enrolment with an upper-case id is refused before the code is used.
      const code = await newCode(h, cookie);
      const enrolUpper = await h.app.request('/api/v1/devices/enrol', {
        method: 'POST',
        body: JSON.stringify({ protocolVersion: 1, code, label: 'Tablet', deviceId: uuidv7().toUpperCase() }),
      });
      expect(enrolUpper.status).toBe(400);
      expect((await enrol(h, code, 'Tablet', uuidv7())).deviceId).toMatch(/^[0-9a-f-]+$/);
      // What the tablet writes (lower case) is held and can be opened, exported and verified.
      expect((await syncRequest(h, a, log)).status).toBe(200);
      const meetingId = log[0]?.meetingId as string;
      expect(await adminGet(`/admin/meetings/${meetingId}`)).toContain(meetingId);
      const verified = await adminGet(`/admin/verify?meeting=${meetingId}&hash=${log.at(-1)?.hash}`);
      expect(verified).toContain('The record matches');
    });
  });
});
