/**
 * Issue 16 from the admin area: an administrator places and lifts legal holds (every role sees them), the
 * daily purge keeps held meetings and audits counts only, a records officer answers a subject access request
 * with exactly the meetings confirmed, and an administrator sees and rotates the sealing key without
 * stranding tablets enrolled before.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { type Keyring, openKeyring } from '../../server/keys';
import { createLogger } from '../../server/logger';
import { runPurge, schedulePurge } from '../../server/purge';
import { holdOf } from '../../server/retention';
import type { DomainEvent } from '../../src/domain/events';
import { enrolResponseSchema, PROTOCOL_VERSION } from '../../src/domain/protocol';
import { sealEvents } from '../../src/sealing/seal';
import * as s from '../support/scenario';
import {
  ALL_AGREE,
  addAccount,
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

const PASSWORD = 'the chief administrator password';
const OFFICER = 'records officer password 1';
const VIEWER = 'a viewer password only';
const POLICY = { meetingYears: 6, discardedDays: 30 };
const LUKASZ = { ...s.people.mother, id: 'lukasz', name: 'Łukasz Nowak-Żółć' };

describe.each(TARGETS)('records in the admin area against %s', (target) => {
  let h: Harness;
  let keyring: Keyring;
  const clock = Date.parse('2026-12-02T09:00:00Z');
  let chief: string;
  let officer: string;
  let viewer: string;
  let device: Device;

  const get = (path: string, cookie: string) =>
    h.app.request(`${ORIGIN}${path}`, { headers: { Cookie: cookie } });
  const post = (
    path: string,
    cookie: string,
    fields: Record<string, string | string[]> = {},
    headers: Record<string, string> = {},
  ) => {
    const body = new URLSearchParams();
    for (const [k, v] of Object.entries(fields))
      for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
    return h.app.request(`${ORIGIN}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie, ...headers },
      body: body.toString(),
    });
  };
  const auditRows = () => h.database.db.selectFrom('admin_audit').selectAll().orderBy('id').execute();
  const syncMeeting = async (events: readonly DomainEvent[]) => {
    const log = await sealLog(device.deviceId, events, uuidv7());
    expect((await syncRequest(h, device, log)).status).toBe(200);
    return log[0]?.meetingId as string;
  };
  const enrolWithKey = async () => {
    const res = await h.app.request('/api/v1/devices/enrol', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ protocolVersion: PROTOCOL_VERSION, code: await newCode(h, chief), label: 'T' }),
    });
    expect(res.status).toBe(201);
    const body = enrolResponseSchema.parse(await res.json());
    if (!body.serviceKey) throw new Error('no service key at enrolment');
    return { deviceId: body.deviceId, token: body.token, serviceKey: body.serviceKey };
  };

  beforeAll(async () => {
    keyring = await openKeyring(mkdtempSync(join(tmpdir(), 'ck-keys-')));
    h = await makeHarness(target, {
      adminPassword: PASSWORD,
      adminUsername: 'chief',
      keyring,
      now: () => new Date(clock),
      retention: POLICY,
    });
    await addAccount(h.database, { username: 'olu', password: OFFICER, role: 'records-officer' });
    await addAccount(h.database, { username: 'vic', password: VIEWER, role: 'viewer' });
    chief = await adminCookie(h, PASSWORD, 'chief');
    officer = await adminCookie(h, OFFICER, 'olu');
    viewer = await adminCookie(h, VIEWER, 'vic');
    device = await enrol(h, await newCode(h, chief), 'Tablet A');
  }, 60_000);
  afterAll(async () => h?.close());

  it('only an administrator places and lifts a legal hold; every role sees it on the meeting page; both are audited', async () => {
    const meeting = await syncMeeting(ALL_AGREE);
    const page = `/admin/meetings/${meeting}`;
    expect(await (await get(page, viewer)).text()).toContain('No legal hold.');
    expect(await (await get(page, officer)).text()).not.toContain('Place a legal hold');
    expect(await (await get(page, chief)).text()).toContain('Place a legal hold');

    for (const cookie of [viewer, officer]) {
      const res = await post(`${page}/hold`, cookie, { reason: 'Care proceedings' });
      expect(res.status).toBe(403);
      expect(await res.text()).toContain('does not allow this');
    }
    expect(await holdOf(h.database.db, meeting)).toBeNull();

    expect((await post(`${page}/hold`, chief, { reason: '   ' })).status).toBe(400);
    expect(await holdOf(h.database.db, meeting)).toBeNull();
    const placed = await post(`${page}/hold`, chief, { reason: 'Care proceedings under way' });
    expect(placed.status).toBe(303);
    expect((await holdOf(h.database.db, meeting))?.placed_by).toBe('chief');
    const again = await post(`${page}/hold`, chief, { reason: 'twice' });
    expect(again.status).toBe(409);
    expect(await again.text()).toContain('already in place');
    for (const cookie of [viewer, officer, chief]) {
      const text = await (await get(page, cookie)).text();
      expect(text).toContain('A legal hold is in place');
      expect(text).toContain('Care proceedings under way');
    }

    for (const cookie of [viewer, officer])
      expect((await post(`${page}/hold/lift`, cookie)).status).toBe(403);
    expect(await holdOf(h.database.db, meeting)).not.toBeNull();
    expect((await post(`${page}/hold/lift`, chief)).status).toBe(303);
    expect(await holdOf(h.database.db, meeting)).toBeNull();
    expect((await post(`${page}/hold/lift`, chief)).status).toBe(409);
    expect((await post(`/admin/meetings/${uuidv7()}/hold`, chief, { reason: 'x' })).status).toBe(404);

    const rows = (await auditRows()).filter((r) => r.action.startsWith('hold.'));
    expect(rows.map((r) => [r.username, r.action, r.meeting_id])).toEqual([
      ['chief', 'hold.placed', meeting],
      ['chief', 'hold.lifted', meeting],
    ]);
  });

  it('a subject access search lists the meetings naming the person; the export holds exactly the meetings ticked; both are audited without the name', async () => {
    const withHim = await syncMeeting([s.opened('meeting'), s.added(s.people.chair), s.added(LUKASZ)]);
    const withHimToo = await syncMeeting([
      s.opened('meeting'),
      s.added(s.people.chair),
      s.added({ ...LUKASZ, name: 'Lukasz Nowak' }),
    ]);
    const before = (await auditRows()).length;

    expect((await get('/admin/subject-access', officer)).status).toBe(200);
    const found = await post('/admin/subject-access', officer, { name: 'lukasz nowak' });
    expect(found.status).toBe(200);
    const results = await found.text();
    for (const id of [withHim, withHimToo]) expect(results).toContain(`name="meeting" value="${id}"`);
    expect(results).toContain('Łukasz Nowak-Żółć');
    expect(results).not.toContain(s.people.socialWorker.name);
    expect(results).toContain('<caption>Meetings naming the person (2)');
    expect((await post('/admin/subject-access', officer, { name: '  ' })).status).toBe(400);

    const res = await post('/admin/subject-access/export', officer, {
      subject: 'Łukasz Nowak-Żółć',
      meeting: [withHim],
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Type')).toBe('application/zip');
    expect(res.headers.get('Content-Disposition')).toMatch(/^attachment; filename="subject-access-/);
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    const folders = new Set(
      Object.keys(files)
        .filter((n) => n.includes('/'))
        .map((n) => n.split('/')[0]),
    );
    expect([...folders]).toEqual([`meeting-${withHim}`]);
    for (const f of ['minute.txt', 'minute.json', 'minute.pdf', 'events.json'])
      expect(Object.keys(files)).toContain(`meeting-${withHim}/${f}`);
    expect(strFromU8(files[`meeting-${withHim}/minute.pdf`] as Uint8Array).startsWith('%PDF-')).toBe(true);
    const index = JSON.parse(strFromU8(files['index.json'] as Uint8Array));
    expect(index).toMatchObject({ subjectAccessRequest: 'Łukasz Nowak-Żółć', preparedBy: 'olu' });

    // Nothing ticked: told what to do, no bundle.
    const none = await post('/admin/subject-access/export', officer, { subject: 'Łukasz' });
    expect(none.status).toBe(400);
    expect(await none.text()).toContain('Tick at least one meeting');

    const rows = (await auditRows()).slice(before);
    expect(rows.map((r) => [r.username, r.action, r.meeting_id, r.detail])).toEqual([
      ['olu', 'subject-access.searched', null, '2 meeting(s) matched'],
      ['olu', 'subject-access.exported', withHim, null],
    ]);
    expect(JSON.stringify(rows)).not.toMatch(/ukasz|Nowak/);
  }, 60_000);

  it('subject access is refused to viewers, and to cross-site posts', async () => {
    const before = (await auditRows()).length;
    expect((await get('/admin/subject-access', viewer)).status).toBe(403);
    expect((await post('/admin/subject-access', viewer, { name: 'Sarah Doe' })).status).toBe(403);
    const meeting = (await h.database.db.selectFrom('meetings').select('id').executeTakeFirstOrThrow()).id;
    const exported = await post('/admin/subject-access/export', viewer, {
      subject: 'Sarah Doe',
      meeting,
    });
    expect(exported.status).toBe(403);
    expect(exported.headers.get('Content-Type')).not.toBe('application/zip');
    expect(await (await get('/admin', viewer)).text()).not.toContain('/admin/subject-access');
    expect(await (await get('/admin', officer)).text()).toContain('href="/admin/subject-access"');

    const crossSite = await post(
      '/admin/subject-access/export',
      officer,
      { subject: 'Sarah Doe', meeting },
      { 'Sec-Fetch-Site': 'cross-site', Origin: 'https://evil.example' },
    );
    expect(crossSite.status).toBe(403);
    expect(crossSite.headers.get('Content-Type')).not.toBe('application/zip');
    expect(
      (
        await post(
          `/admin/meetings/${meeting}/hold`,
          chief,
          { reason: 'x' },
          { Origin: 'https://evil.example' },
        )
      ).status,
    ).toBe(403);
    expect(await holdOf(h.database.db, meeting)).toBeNull();
    expect((await auditRows()).length).toBe(before);
  });

  it('the keys page shows the fingerprint tablets show; rotating gives new tablets the new key while batches sealed to the old one still open', async () => {
    const first = keyring.current();
    const keysPage = await get('/admin/keys', chief);
    expect(keysPage.status).toBe(200);
    expect(await keysPage.text()).toContain(first.fingerprint);
    expect(await (await get('/admin/devices', chief)).text()).toContain(first.fingerprint);
    expect(await (await get('/admin', chief)).text()).toContain('href="/admin/keys"');

    for (const cookie of [viewer, officer]) {
      expect((await get('/admin/keys', cookie)).status).toBe(403);
      expect((await post('/admin/keys/rotate', cookie)).status).toBe(403);
    }
    expect(keyring.keyIds()).toEqual([first.keyId]);
    expect((await post('/admin/keys/rotate', chief, {}, { 'Sec-Fetch-Site': 'cross-site' })).status).toBe(
      403,
    );
    expect(keyring.keyIds()).toEqual([first.keyId]);

    const early = await enrolWithKey();
    expect(early.serviceKey.keyId).toBe(first.keyId);
    const log = await sealLog(early.deviceId, ALL_AGREE);
    const sealed = await sealEvents(log, early.serviceKey);

    const rotated = await post('/admin/keys/rotate', chief);
    expect(rotated.status).toBe(201);
    const next = keyring.current();
    expect(next.keyId).not.toBe(first.keyId);
    const after = await rotated.text();
    expect(after).toContain(next.fingerprint);
    expect(after).toContain(first.keyId);
    expect(await (await get('/admin/devices', chief)).text()).toContain(next.fingerprint);

    const late = await enrolWithKey();
    expect(late.serviceKey.keyId).toBe(next.keyId);

    const res = await h.app.request('/api/v1/sync', {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        Authorization: `Bearer ${early.token}`,
        'Idempotency-Key': crypto.randomUUID(),
      },
      body: JSON.stringify({
        protocolVersion: PROTOCOL_VERSION,
        deviceId: early.deviceId,
        events: [],
        sealed: [sealed],
      }),
    });
    expect(res.status).toBe(200);
    expect(
      (
        await h.database.db
          .selectFrom('events')
          .select('id')
          .where('meeting_id', '=', log[0]?.meetingId as string)
          .execute()
      ).length,
    ).toBe(ALL_AGREE.length);

    const rows = (await auditRows()).filter((r) => r.action === 'key.rotated');
    expect(rows.map((r) => [r.username, r.detail])).toEqual([['chief', `new key ${next.keyId}`]]);
  }, 120_000);

  it('the scheduled purge runs at once and then on every interval, each run audited, until stopped', async () => {
    const before = (await auditRows()).length;
    const meetings = (await h.database.db.selectFrom('meetings').select('id').execute()).length;
    const purge = schedulePurge(h.database.db, POLICY, createLogger('silent'), () => new Date(clock), 40);
    await purge.first;
    await new Promise((resolve) => setTimeout(resolve, 200));
    await purge.stop();
    const runs = (await auditRows()).slice(before).filter((r) => r.action === 'records.purged').length;
    expect(runs).toBeGreaterThanOrEqual(2);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect((await auditRows()).slice(before).filter((r) => r.action === 'records.purged').length).toBe(runs);
    // Nothing is past its period today.
    expect((await h.database.db.selectFrom('meetings').select('id').execute()).length).toBe(meetings);
  });

  // Removes meetings: last.
  it('the daily purge keeps meetings on hold, removes the rest past their period, and audits counts with no names', async () => {
    const held = await syncMeeting(ALL_AGREE);
    expect(
      (await post(`/admin/meetings/${held}/hold`, chief, { reason: 'Subject access request pending' }))
        .status,
    ).toBe(303);
    const discarded = await syncMeeting([
      s.opened('meeting'),
      s.added(s.people.chair),
      s.discarded('Opened for the wrong family.'),
    ]);
    const all = await h.database.db.selectFrom('meetings').select('id').execute();
    const auditBefore = (await auditRows()).length;
    const beforeEvents = (await h.database.db.selectFrom('events').select('id').execute()).length;
    const heldEvents = ALL_AGREE.length;

    // Two months on: only the discarded meeting has passed its period.
    const soon = await runPurge(h.database.db, POLICY, new Date('2027-01-25T00:00:00Z'));
    expect(soon).toMatchObject({ meetings: 1, events: 3, undertakings: 0, held: 0 });
    expect(
      await h.database.db.selectFrom('meetings').select('id').where('id', '=', discarded).executeTakeFirst(),
    ).toBeUndefined();

    // Seven years on: everything goes but the held meeting.
    const late = await runPurge(h.database.db, POLICY, new Date('2033-12-01T00:00:00Z'));
    expect(late.meetings).toBe(all.length - 2);
    expect(late.held).toBe(1);
    expect(late.events).toBe(beforeEvents - 3 - heldEvents);
    expect(await h.database.db.selectFrom('meetings').select('id').execute()).toEqual([{ id: held }]);
    expect((await h.database.db.selectFrom('events').select('id').execute()).length).toBe(heldEvents);

    const rows = (await auditRows()).slice(auditBefore).filter((r) => r.action === 'records.purged');
    expect(rows.map((r) => [r.account_id, r.username, r.meeting_id, r.detail])).toEqual([
      [null, 'system', null, '1 meeting, 3 events, 0 undertakings; 0 kept on hold'],
      [
        null,
        'system',
        null,
        `${late.meetings} meetings, ${late.events} events, ${late.undertakings} undertakings; 1 kept on hold`,
      ],
    ]);
    const text = JSON.stringify(rows);
    for (const name of [s.CHILD.name, s.people.mother.name, 'Review meeting', 'Łukasz', held])
      expect([name, text.includes(name)]).toEqual([name, false]);
    // A purge that finds nothing is recorded too, and changes nothing.
    const unchanged = await fingerprint(h.database);
    expect(await runPurge(h.database.db, POLICY, new Date('2033-12-01T00:00:00Z'))).toEqual({
      meetings: 0,
      events: 0,
      undertakings: 0,
      held: 1,
    });
    expect(await fingerprint(h.database)).toBe(unchanged);
  });
});

describe('retention configuration', () => {
  it('keeps meeting records 25 years and discarded meetings 30 days unless configured, and names a bad value', () => {
    expect(loadConfig({})).toMatchObject({
      ok: true,
      config: { RETENTION_MEETING_YEARS: 25, RETENTION_DISCARDED_DAYS: 30 },
    });
    expect(loadConfig({ RETENTION_MEETING_YEARS: '7', RETENTION_DISCARDED_DAYS: '90' })).toMatchObject({
      ok: true,
      config: { RETENTION_MEETING_YEARS: 7, RETENTION_DISCARDED_DAYS: 90 },
    });
    for (const env of [
      { RETENTION_MEETING_YEARS: '0' },
      { RETENTION_MEETING_YEARS: '101' },
      { RETENTION_MEETING_YEARS: 'six' },
      { RETENTION_DISCARDED_DAYS: '3651' },
      { RETENTION_DISCARDED_DAYS: '1.5' },
    ]) {
      const result = loadConfig(env);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toContain(Object.keys(env)[0]);
    }
  });
});
