/**
 * Issue 19, on both databases: a meeting and its advance request prepared in the admin area (the records
 * service writes them as the log's writer), pulled by the tablets, claimed by one (once; a second tablet is
 * told which tablet has it), finished on that tablet and synced back: one log, one minute entry with the
 * advance part on its own dates and the meeting part at the day's times.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendAsService } from '../../server/prepared';
import { loadLog } from '../../server/sync';
import {
  type DomainEvent,
  type EventEnvelope,
  PREPARED_PROTOCOL_VERSION,
  preparedListResponseSchema,
  RECORDS_SERVICE_DEVICE_ID,
  replay,
  sealEvent,
} from '../../src/domain';
import * as s from '../support/scenario';
import {
  adminCookie,
  type Device,
  enrol,
  type Harness,
  makeHarness,
  newCode,
  ORIGIN,
  syncRequest,
  TARGETS,
} from './harness';

const PASSWORD = 'prepared meetings test password';
const form = (cookie: string, body: Record<string, string | string[]>) => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(body)) for (const x of [v].flat()) params.append(k, x);
  return {
    method: 'POST',
    headers: { Cookie: cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: params.toString(),
  };
};

const CONFERENCE = {
  kind: 'child-protection-conference',
  title: 'Initial conference for J.D.',
  date: '2026-11-23',
  time: '10:00',
  place: 'Room 2, Civic Centre',
  profile: 'hertfordshire',
  child0: 'Jamie Doe',
  'a0-name': 'Priya Shah',
  'a0-role': 'chair',
  'a0-agency': "Children's Services",
  'a1-name': 'Sarah Doe',
  'a1-role': 'parent-carer',
  'a1-pr0': 'yes',
  'a1-language': 'pl',
  'a2-name': 'Tom Reid',
  'a2-role': 'social-worker',
  'a2-agency': "Children's Services",
};
const CHAIR = 'invited-1';
const MOTHER = 'invited-2';
const SW = 'invited-3';

describe.each(TARGETS)('meetings prepared on the records service (%s)', (target) => {
  let h: Harness;
  let cookie: string;
  let a: Device;
  let b: Device;
  let clock = new Date('2026-11-22T12:00:00Z');
  const ids: Record<string, string> = {};
  /** The fake clock moves on; the admin signs in again (a session lasts hours, not days). */
  const setClock = async (iso: string) => {
    clock = new Date(iso);
    cookie = await adminCookie(h, PASSWORD);
  };

  const list = async (device: Device) => {
    const res = await h.app.request('/api/v1/prepared', {
      headers: { Authorization: `Bearer ${device.token}` },
    });
    expect(res.status).toBe(200);
    const parsed = preparedListResponseSchema.safeParse(await res.json());
    expect(parsed.success).toBe(true);
    if (!parsed.success) throw new Error('bad list');
    return parsed.data;
  };
  const claimEvent = async (device: Device, meetingId: string, at: string, id?: string) => {
    const log = await loadLog(h.database.db, meetingId);
    return sealEvent(log.at(-1) ?? null, { type: 'custody.claimed', payload: {} } as DomainEvent, {
      meetingId,
      deviceId: device.deviceId,
      at,
      ...(id ? { id } : {}),
    });
  };
  const claim = (device: Device, meetingId: string, event: EventEnvelope) =>
    h.app.request(`/api/v1/prepared/${meetingId}/claim`, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${device.token}`,
        'Idempotency-Key': `claim-${event.id}`,
      },
      body: JSON.stringify({ protocolVersion: PREPARED_PROTOCOL_VERSION, deviceId: device.deviceId, event }),
    });
  const prepare = async (body: Record<string, string>) => {
    const res = await h.app.request(`${ORIGIN}/admin/prepare`, form(cookie, body));
    expect(res.status).toBe(303);
    const id = /\/admin\/prepare\/([0-9a-f-]{36})$/.exec(res.headers.get('Location') ?? '')?.[1];
    if (!id) throw new Error('no meeting id');
    return id;
  };
  /** Seals the tablet's own events on top of the held log, one minute apart from `from`. */
  const continueLog = async (device: Device, meetingId: string, events: DomainEvent[], from: string) => {
    let last: EventEnvelope | null = (await loadLog(h.database.db, meetingId)).at(-1) ?? null;
    const out: EventEnvelope[] = [];
    for (const [i, event] of events.entries()) {
      const at = new Date(Date.parse(from) + i * 60_000).toISOString().replace('.000Z', '+00:00');
      last = await sealEvent(last, event, { meetingId, deviceId: device.deviceId, at });
      out.push(last);
    }
    return out;
  };

  beforeAll(async () => {
    h = await makeHarness(target, { adminPassword: PASSWORD, now: () => clock });
    cookie = await adminCookie(h, PASSWORD);
    a = await enrol(h, await newCode(h, cookie), 'Room 2 tablet');
    b = await enrol(h, await newCode(h, cookie), 'Spare tablet');
  });
  afterAll(() => h.close());

  it('an officer prepares a conference and its advance request the day before, each step on its own date', async () => {
    ids.conference = await prepare({ ...CONFERENCE, device: '' });
    ids.forB = await prepare({ ...CONFERENCE, title: 'Review for B only', device: b.deviceId });
    ids.offline = await prepare({ ...CONFERENCE, title: 'Opened offline', device: '' });
    const page = await (
      await h.app.request(`${ORIGIN}/admin/prepare/${ids.conference}`, { headers: { Cookie: cookie } })
    ).text();
    expect(page).toContain('Sarah Doe, parent or carer: may ask: a parent with parental responsibility');

    await setClock('2026-11-22T12:10:00Z');
    const step = (name: string, body: Record<string, string | string[]>) =>
      h.app.request(`${ORIGIN}/admin/prepare/${ids.conference}/${name}`, form(cookie, body));
    const requested = await step('request', {
      requester: MOTHER,
      reason: ['memory', 'stress'],
      purpose: 'So I can listen again.',
      via: 'email',
      at: '2026-11-22T11:15',
    });
    expect(requested.status).toBe(303);
    await setClock('2026-11-22T12:40:00Z');
    // HCS 2.5: who was told, how and when (issue 19); Tom Reid is told later, by telephone.
    expect((await step('notified', { via: 'email', told: CHAIR, at: '2026-11-22T12:30' })).status).toBe(303);
    expect((await step('notified', { via: 'telephone', told: SW, at: '2026-11-22T12:32' })).status).toBe(303);
    // The officer sees who has been told and who has not (the person asking is neither).
    const told = await (
      await h.app.request(`${ORIGIN}/admin/prepare/${ids.conference}`, { headers: { Cookie: cookie } })
    ).text();
    expect(told).toContain('Told so far: Priya Shah, Tom Reid. Not told: nobody.');
    // Dated before the last entry: refused, and nothing is written.
    const backwards = await step('notified', { via: 'letter', told: SW, at: '2026-11-22T09:00' });
    expect(backwards.status).toBe(422);
    expect(await backwards.text()).toContain('cannot run backwards');
    const future = await step('eligibility', { decision: 'confirmed', at: '2026-11-23T09:00' });
    expect(future.status).toBe(400);
    expect((await step('eligibility', { decision: 'confirmed', at: '2026-11-22T12:35' })).status).toBe(303);

    const log = await loadLog(h.database.db, ids.conference);
    expect(log.every((e) => e.deviceId === RECORDS_SERVICE_DEVICE_ID)).toBe(true);
    expect(log.map((e) => e.type)).toEqual([
      'meeting.opened',
      'attendee.added',
      'attendee.added',
      'attendee.added',
      'request.made',
      'request.attendees-notified',
      'request.attendees-notified',
      'eligibility.confirmed',
    ]);
    // The invited parent's language, chosen from the languages the tablet ships (issue 18).
    const added = log.filter((e) => e.type === 'attendee.added').map((e) => e.payload);
    expect(added[1]).toMatchObject({ attendee: { name: 'Sarah Doe', language: 'pl' }, isAbsent: true });
    expect(added[0]).not.toHaveProperty('attendee.language');
    expect(log.filter((e) => e.type === 'request.attendees-notified').map((e) => e.payload)).toEqual([
      { via: 'email', attendeeIds: [CHAIR] },
      { via: 'telephone', attendeeIds: [SW] },
    ]);
    expect(log.find((e) => e.type === 'request.attendees-notified')?.at).toMatch(/^2026-11-22T/);
    const audit = await h.database.db
      .selectFrom('admin_audit')
      .select('action')
      .where('meeting_id', '=', ids.conference)
      .execute();
    expect(audit.map((r) => r.action)).toEqual(
      expect.arrayContaining(['meeting.prepared', 'prepared.changed']),
    );
  });

  it('bad or hostile forms are refused with a 4xx and a reason, never a 5xx, and write nothing', async () => {
    const before = await h.database.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    for (const body of [
      {},
      { ...CONFERENCE, kind: 'party' },
      { ...CONFERENCE, title: '' },
      { ...CONFERENCE, title: 'Nul\u0000here' },
      { ...CONFERENCE, date: '2026-02-30' },
      { ...CONFERENCE, 'a0-role': 'king' },
      { ...CONFERENCE, child0: '' },
      { ...CONFERENCE, device: 'no-such-tablet' },
      { ...CONFERENCE, 'a1-name': 'x'.repeat(300) },
      { ...CONFERENCE, 'a1-language': 'xx' },
    ]) {
      const res = await h.app.request(`${ORIGIN}/admin/prepare`, form(cookie, body));
      expect(res.status, JSON.stringify(body).slice(0, 80)).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
      expect(await res.text()).toContain('role="alert"');
    }
    for (const [step, body] of [
      ['request', { requester: 'nobody', via: 'email', at: '2026-11-22T11:00' }],
      ['request', { requester: MOTHER, via: 'pigeon', at: '2026-11-22T11:00' }],
      ['notified', { via: 'email', told: SW, at: 'yesterday' }],
      // Nobody named as told, someone not on the list, the person asking.
      ['notified', { via: 'email', at: '2026-11-22T13:00' }],
      ['notified', { via: 'email', told: 'invited-9', at: '2026-11-22T13:00' }],
      ['notified', { via: 'email', told: MOTHER, at: '2026-11-22T13:00' }],
      ['eligibility', { decision: 'maybe', at: '2026-11-22T12:00' }],
      ['confirmed', { via: 'email', note: 'x', at: '2026-11-22T12:00' }],
    ] as const) {
      const res = await h.app.request(
        `${ORIGIN}/admin/prepare/${ids.conference}/${step}`,
        form(cookie, body),
      );
      expect(res.status, step).toBeGreaterThanOrEqual(400);
      expect(res.status).toBeLessThan(500);
    }
    const after = await h.database.db
      .selectFrom('events')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('a viewer cannot prepare a meeting', async () => {
    const { addAccount } = await import('./harness');
    await addAccount(h.database, { username: 'viewer', password: 'a viewer password only', role: 'viewer' });
    const viewer = await adminCookie(h, 'a viewer password only', 'viewer');
    expect((await h.app.request(`${ORIGIN}/admin/prepare`, form(viewer, CONFERENCE))).status).toBe(403);
  });

  it('each tablet pulls the meetings prepared for it, with whole verified chains', async () => {
    await setClock('2026-11-23T09:00:00Z');
    const forA = await list(a);
    const forB = await list(b);
    expect(forA.meetings.map((m) => m.meetingId).sort()).toEqual([ids.conference, ids.offline].sort());
    expect(forB.meetings.map((m) => m.meetingId).sort()).toEqual(
      [ids.conference, ids.forB, ids.offline].sort(),
    );
    const conference = forA.meetings.find((m) => m.meetingId === ids.conference);
    expect(conference).toMatchObject({
      forDeviceId: null,
      claimedByDeviceId: null,
      place: 'Room 2, Civic Centre',
    });
    expect((await replay(conference?.events ?? [])).ok).toBe(true);
  });

  it('a tablet claims the meeting once; the same claim again is 200; another tablet is told which tablet has it', async () => {
    const event = await claimEvent(a, ids.conference as string, '2026-11-23T09:50:00+00:00');
    const first = await claim(a, ids.conference as string, event);
    expect(first.status).toBe(200);
    expect(await first.json()).toMatchObject({
      meetingId: ids.conference,
      acknowledged: { id: event.id, seq: 9 },
    });
    expect((await claim(a, ids.conference as string, event)).status).toBe(200);
    const other = await claimEvent(b, ids.conference as string, '2026-11-23T09:51:00+00:00');
    // b’s claim follows the log as b pulled it: seq 9, already held by a's claim.
    const refused = await claim(b, ids.conference as string, other);
    expect(refused.status).toBe(409);
    const body = (await refused.json()) as { error: { code: string; message: string; claimedBy?: string } };
    expect(body.error).toMatchObject({ code: 'meeting-claimed', claimedBy: 'Room 2 tablet' });
    expect(body.error.message).toContain('Room 2 tablet');
    // Listed for a (claimed by it), no longer for b.
    expect((await list(b)).meetings.map((m) => m.meetingId)).not.toContain(ids.conference);
    expect((await list(a)).meetings.find((m) => m.meetingId === ids.conference)).toMatchObject({
      claimedByDeviceId: a.deviceId,
      claimedByLabel: 'Room 2 tablet',
    });
  });

  it('a meeting prepared for another tablet is refused to this one', async () => {
    const event = await claimEvent(a, ids.forB as string, '2026-11-23T09:50:00+00:00');
    const res = await claim(a, ids.forB as string, event);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'not-for-this-device' } });
    const unknown = await claim(a, '0193a1b2-0000-7000-8000-00000000ffff', event);
    expect(unknown.status).toBe(404);
  });

  it('the office cannot change the meeting once a tablet has claimed it', async () => {
    const res = await h.app.request(
      `${ORIGIN}/admin/prepare/${ids.conference}/notified`,
      form(cookie, { via: 'email', at: '2026-11-23T08:00' }),
    );
    expect(res.status).toBe(409);
    expect(await res.text()).toContain('has taken this meeting over');
  });

  it('a claim sent through sync by a tablet that opened the meeting offline is accepted once, with its events', async () => {
    const [claimed, ...rest] = await continueLog(
      b,
      ids.offline as string,
      [{ type: 'custody.claimed', payload: {} } as DomainEvent, s.returned(CHAIR)],
      '2026-11-23T09:40:00+00:00',
    );
    const res = await syncRequest(h, b, [claimed, ...rest]);
    expect(res.status).toBe(200);
    const row = await h.database.db
      .selectFrom('meetings')
      .select(['writer_device_id', 'claimed_by_device_id'])
      .where('id', '=', ids.offline as string)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ writer_device_id: b.deviceId, claimed_by_device_id: b.deviceId });
    const late = await claimEvent(a, ids.offline as string, '2026-11-23T09:45:00+00:00');
    const refused = await syncRequest(h, a, [late]);
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({
      error: { code: 'meeting-claimed', claimedBy: 'Spare tablet' },
    });
  });

  it('red team: no writing without a claim, no second claim, no claim of a started meeting, no forged service event', async () => {
    // b writes into the meeting prepared for it without claiming it first.
    const [unclaimed] = await continueLog(
      b,
      ids.forB as string,
      [s.returned(CHAIR)],
      '2026-11-23T09:40:00+00:00',
    );
    const notClaimed = await syncRequest(h, b, [unclaimed]);
    expect(notClaimed.status).toBe(403);
    expect(await notClaimed.json()).toMatchObject({ error: { code: 'not-custodian' } });
    // b claims the meeting it already holds a second time, with another event id: refused, naming the tablet.
    const again = await claimEvent(b, ids.offline as string, '2026-11-23T09:50:00+00:00');
    const second = await claim(b, ids.offline as string, again);
    expect(second.status).toBe(409);
    expect(await second.json()).toMatchObject({
      error: {
        code: 'meeting-claimed',
        claimedBy: 'Spare tablet',
        message: 'The tablet “Spare tablet” has already taken this meeting over.',
      },
    });
    // a claims, through the ordinary sync, the meeting prepared for b alone (its log read elsewhere).
    const [stolen] = await continueLog(
      a,
      ids.forB as string,
      [{ type: 'custody.claimed', payload: {} } as DomainEvent],
      '2026-11-23T09:41:00+00:00',
    );
    const notForA = await syncRequest(h, a, [stolen]);
    expect(notForA.status).toBe(403);
    expect(await notForA.json()).toMatchObject({ error: { code: 'not-for-this-device' } });
    // A prepared meeting whose discussion began (written by the service itself) cannot be claimed.
    ids.started = await prepare({ ...CONFERENCE, title: 'Already started', device: '' });
    const startedLog = await loadLog(h.database.db, ids.started);
    const started = await appendAsService(
      h.database,
      ids.started,
      [{ event: s.started, at: startedLog.at(-1)?.at as string }],
      () => clock,
    );
    expect(started.ok).toBe(true);
    const late = await claim(a, ids.started, await claimEvent(a, ids.started, '2026-11-23T09:50:00+00:00'));
    expect(late.status).toBe(422);
    // A tablet sends an event in the service's name.
    const forged = await sealEvent(startedLog.at(-1) ?? null, s.returned(CHAIR), {
      meetingId: ids.started,
      deviceId: RECORDS_SERVICE_DEVICE_ID,
      at: '2026-11-23T09:55:00+00:00',
    });
    const forgedRes = await syncRequest(h, a, [forged]);
    expect(forgedRes.status).toBe(403);
    expect(await forgedRes.json()).toMatchObject({ error: { code: 'wrong-device' } });
  });

  it("the service's own device cannot be revoked, replaced, handed a meeting or enrolled against", async () => {
    const revoke = await h.app.request(
      `${ORIGIN}/admin/devices/${RECORDS_SERVICE_DEVICE_ID}/revoke`,
      form(cookie, {}),
    );
    expect(revoke.status).toBe(409);
    const replace = await h.app.request(
      `${ORIGIN}/admin/devices/${a.deviceId}/replace`,
      form(cookie, { replacement: RECORDS_SERVICE_DEVICE_ID }),
    );
    expect(replace.status).toBe(409);
    const handOver = await h.app.request(
      `${ORIGIN}/admin/meetings/${ids.offline}/hand-over`,
      form(cookie, { device: RECORDS_SERVICE_DEVICE_ID, reason: 'Try to give it back to the office.' }),
    );
    expect(handOver.status).toBe(409);
    await expect(enrol(h, await newCode(h, cookie), 'Impostor', RECORDS_SERVICE_DEVICE_ID)).rejects.toThrow(
      /409/,
    );
    const service = await h.database.db
      .selectFrom('devices')
      .select('revoked_at')
      .where('id', '=', RECORDS_SERVICE_DEVICE_ID)
      .executeTakeFirstOrThrow();
    expect(service.revoked_at).toBeNull();
  });

  it('the claiming tablet syncs the rest of the meeting back: one log, one minute with both parts dated', async () => {
    const rest = await continueLog(
      a,
      ids.conference as string,
      [
        s.returned(CHAIR),
        s.returned(SW),
        s.returned(MOTHER),
        s.signed(MOTHER),
        ...s.agrees(CHAIR),
        ...s.agrees(SW),
        ...s.screened(),
        s.started,
        s.recordingStarted,
        { type: 'minute.confirmed', payload: { chairId: CHAIR } },
        s.closed,
      ],
      '2026-11-23T09:55:00+00:00',
    );
    const res = await syncRequest(h, a, rest);
    expect(res.status, await res.clone().text()).toBe(200);
    const log = await loadLog(h.database.db, ids.conference as string);
    expect(log).toHaveLength(9 + rest.length);
    const replayed = await replay(log);
    expect(replayed.ok).toBe(true);
    const minute = await (
      await h.app.request(`${ORIGIN}/admin/meetings/${ids.conference}/minute.txt`, {
        headers: { Cookie: cookie },
      })
    ).text();
    expect(minute).toMatch(
      /Sunday 22 November 2026 \d\d:\d\d\s+The meeting record was prepared on the records service/,
    );
    expect(minute).toContain('received by email on Sunday 22 November 2026 at');
    expect(minute).toMatch(
      /Sunday 22 November 2026 \d\d:\d\d\s+Priya Shah \(chair\) was told by email that a request to record had been made\./,
    );
    expect(minute).toMatch(
      /Sunday 22 November 2026 \d\d:\d\d\s+Tom Reid \(social worker\) was told by telephone that a request to record had been made\./,
    );
    expect(minute).toMatch(/\n09:50\s+A tablet took the meeting record over from the records service\./);
    expect(minute).toMatch(/\n10:0\d\s+The discussion began\./);
    // Asked on the day, once they had arrived: not "in advance".
    expect(minute).not.toContain('asked in advance');
  });

  it('a tablet replaced by another: the meetings the office prepared for it and nobody claimed go to its replacement', async () => {
    await setClock('2026-11-22T16:00:00Z');
    const old = await enrol(h, await newCode(h, cookie), 'Room 5 tablet (lost)');
    const replacement = await enrol(h, await newCode(h, cookie), 'Room 5 tablet (new)');
    const forOld = await prepare({
      ...CONFERENCE,
      title: 'Review for the Room 5 tablet',
      device: old.deviceId,
    });
    expect((await list(replacement)).meetings.map((m) => m.meetingId)).not.toContain(forOld);

    const replaced = await h.app.request(
      `${ORIGIN}/admin/devices/${old.deviceId}/replace`,
      form(cookie, { replacement: replacement.deviceId }),
    );
    expect(replaced.status).toBe(303);
    const pulled = (await list(replacement)).meetings.find((m) => m.meetingId === forOld);
    expect(pulled?.forDeviceId).toBe(replacement.deviceId);
    // On the day the new tablet claims it, as the old one would have.
    await setClock('2026-11-23T09:40:00Z');
    const claimed = await claim(
      replacement,
      forOld,
      await claimEvent(replacement, forOld, '2026-11-23T09:40:00+00:00'),
    );
    expect(claimed.status, await claimed.clone().text()).toBe(200);
    // The audit trail says so.
    const audit = await h.database.db
      .selectFrom('admin_audit')
      .select('detail')
      .where('action', '=', 'device.replaced')
      .where('device_id', '=', old.deviceId)
      .executeTakeFirstOrThrow();
    expect(audit.detail).toContain('1 prepared meeting(s) now for the replacement');
  });
});
