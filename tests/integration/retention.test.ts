/**
 * Issue 16 on the records service: records kept only as long as the council's policy says (a legal hold
 * keeps one longer), and a subject access request answered with every meeting naming the person, and no other.
 */
import { strFromU8, unzipSync } from 'fflate';
import { v7 as uuidv7 } from 'uuid';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateTo } from '../../server/db/migrations';
import { holdOf, liftHold, placeHold, purgeExpired } from '../../server/retention';
import { findPerson, foldName, subjectAccessBundle } from '../../server/subjectAccess';
import type { DomainEvent } from '../../src/domain/events';
import * as s from '../support/scenario';
import {
  ALL_AGREE,
  adminCookie,
  type Device,
  enrol,
  type Harness,
  makeHarness,
  newCode,
  openTarget,
  sealLog,
  syncRequest,
  TARGETS,
} from './harness';

const PASSWORD = 'retention-admin-password';
const POLICY = { meetingYears: 6, discardedDays: 30 };
const fakePdf = async () => new TextEncoder().encode('%PDF-1.7 test');
const DOCS = { minutePdf: fakePdf, undertakingPdf: fakePdf };

describe.each(TARGETS)('retention and subject access against %s', (target) => {
  let h: Harness;
  let device: Device;

  beforeAll(async () => {
    h = await makeHarness(target, { adminPassword: PASSWORD });
    device = await enrol(h, await newCode(h, await adminCookie(h, PASSWORD)));
  });
  afterAll(() => h.close());

  const syncMeeting = async (events: readonly DomainEvent[]) => {
    const log = await sealLog(device.deviceId, events, uuidv7());
    const res = await syncRequest(h, device, log);
    expect(res.status).toBe(200);
    return log[0]?.meetingId as string;
  };
  const held = async (meetingId: string) => ({
    events: (
      await h.database.db.selectFrom('events').select('id').where('meeting_id', '=', meetingId).execute()
    ).length,
    meeting: await h.database.db
      .selectFrom('meetings')
      .select('id')
      .where('id', '=', meetingId)
      .executeTakeFirst(),
    minute: await h.database.db
      .selectFrom('minute_entries')
      .select('meeting_id')
      .where('meeting_id', '=', meetingId)
      .executeTakeFirst(),
    undertakings: (
      await h.database.db
        .selectFrom('undertakings')
        .select('event_id')
        .where('meeting_id', '=', meetingId)
        .execute()
    ).length,
  });

  it('a purge removes exactly the records past their period and not on hold; a lifted hold lets the next one go', async () => {
    const old = await syncMeeting(ALL_AGREE); // its events are of 23 November 2026
    const onHold = await syncMeeting(ALL_AGREE);
    const discarded = await syncMeeting([
      s.opened('meeting'),
      s.added(s.people.chair),
      s.discarded('Opened for the wrong family.'),
    ]);
    expect(await placeHold(h.database.db, onHold, 'admin', 'Care proceedings under way')).toEqual({
      ok: true,
    });
    expect(await placeHold(h.database.db, onHold, 'admin', 'again')).toEqual({
      ok: false,
      refusal: 'already-held',
    });

    // Two months on: only the discarded meeting has passed its (short) period.
    const twoMonths = await purgeExpired(h.database.db, POLICY, new Date('2027-01-25T00:00:00Z'));
    expect(twoMonths).toMatchObject({ meetings: 1, events: 3, undertakings: 0 });
    expect(await held(discarded)).toMatchObject({ events: 0, meeting: undefined, minute: undefined });
    expect((await held(old)).events).toBe(ALL_AGREE.length);

    // Seven years on: the old meeting goes, whole; the one on hold stays.
    const sevenYears = await purgeExpired(h.database.db, POLICY, new Date('2033-12-01T00:00:00Z'));
    expect(sevenYears).toMatchObject({ meetings: 1, events: ALL_AGREE.length, undertakings: 1, held: 1 });
    expect(await held(old)).toEqual({ events: 0, meeting: undefined, minute: undefined, undertakings: 0 });
    expect(await held(onHold)).toMatchObject({ events: ALL_AGREE.length, undertakings: 1 });
    expect((await holdOf(h.database.db, onHold))?.placed_by).toBe('admin');

    expect(await liftHold(h.database.db, onHold)).toEqual({ ok: true });
    expect(await liftHold(h.database.db, onHold)).toEqual({ ok: false, refusal: 'not-held' });
    expect(await purgeExpired(h.database.db, POLICY, new Date('2033-12-01T00:00:00Z'))).toMatchObject({
      meetings: 1,
    });
    expect((await held(onHold)).events).toBe(0);
  });

  it('a subject access request finds every meeting naming the person, accents or not, and the bundle holds those and no other', async () => {
    const lukasz = { ...s.people.mother, id: 'lukasz', name: 'Łukasz Nowak-Żółć' };
    const withHim = await syncMeeting([s.opened('meeting'), s.added(s.people.chair), s.added(lukasz)]);
    const withHimLater = await syncMeeting([
      s.opened('meeting'),
      s.added(s.people.chair),
      s.added({ ...lukasz, name: 'Lukasz Nowak' }),
    ]);
    const without = await syncMeeting(ALL_AGREE);

    expect(foldName('  Łukasz  NOWAK-Żółć ')).toBe('lukasz nowak-zolc');
    const found = await findPerson(h.database.db, 'lukasz nowak');
    expect(found.map((m) => m.meetingId).sort()).toEqual([withHim, withHimLater].sort());
    expect(found.find((m) => m.meetingId === withHim)?.matches).toEqual(['Łukasz Nowak-Żółć']);
    expect(await findPerson(h.database.db, '   ')).toEqual([]);

    const zip = await subjectAccessBundle(h.database.db, [withHim, withHimLater, uuidv7()], DOCS, {
      subject: 'Łukasz Nowak-Żółć',
      by: 'records.officer',
      at: new Date('2026-12-02T10:00:00Z'),
    });
    const files = unzipSync(zip);
    const names = Object.keys(files).sort();
    expect(names).toContain('index.txt');
    for (const id of [withHim, withHimLater])
      for (const f of ['minute.txt', 'minute.json', 'minute.pdf', 'events.json'])
        expect(names).toContain(`meeting-${id}/${f}`);
    expect(names.some((n) => n.includes(without))).toBe(false);
    const everything = Object.values(files)
      .map((b) => strFromU8(b))
      .join('\n');
    expect(everything).not.toContain(s.people.socialWorker.name);
    const index = JSON.parse(strFromU8(files['index.json'] as Uint8Array));
    expect(index.notHeld).toHaveLength(1);
    expect(strFromU8(files[`meeting-${withHim}/minute.txt`] as Uint8Array)).toContain('Łukasz Nowak-Żółć');
  });
});

describe.each(TARGETS)('migration 0005_retention against %s', (target) => {
  it('adds legal holds and changes nothing held', async () => {
    const { database, drop } = await openTarget(target);
    try {
      await migrateTo(database.db, '0002_custody');
      await database.db.insertInto('devices').values({ id: 'dev_a', label: 'A', token_hash: 'x' }).execute();
      // Up to this migration only: later ones add rows of their own (0011 adds the service's own device).
      await migrateTo(database.db, '0005_retention');
      expect(await database.db.selectFrom('devices').select('id').execute()).toEqual([{ id: 'dev_a' }]);
      expect(await database.db.selectFrom('legal_holds').selectAll().execute()).toEqual([]);
    } finally {
      await database.close();
      await drop();
    }
  });
});
