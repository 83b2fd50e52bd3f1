/**
 * The admin lists a records team works from (issue 17): tablets listed by the name given at enrolment with
 * their state, last sync and clock in words; the meetings list in words, each filter narrowing it, paged so
 * that every meeting is shown exactly once, and a bad filter a 400 that says what to change.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { meetingsPageQuery } from '../../server/admin/repo/meetings';
import { migrateTo, migrateToLatest } from '../../server/db/migrations';
import { meetingEvents, NAMES, SEEDS, seedMeetings } from './adminSeed';
import {
  addAccount,
  adminCookie,
  type Device,
  enrol,
  type Harness,
  makeHarness,
  newCode,
  ORIGIN,
  openTarget,
  sealLog,
  syncRequest,
  TARGETS,
} from './harness';

const PASSWORD = 'a long admin password 1';

describe.each(TARGETS)('admin lists against %s', (target) => {
  let h: Harness;
  let cookie: string;
  let a: Device;
  let b: Device;
  let ids: Record<string, string> = {};

  beforeAll(async () => {
    h = await makeHarness(target, { adminPassword: PASSWORD });
    cookie = await adminCookie(h, PASSWORD);
    a = await enrol(h, await newCode(h, cookie), 'Room 2 tablet');
    b = await enrol(h, await newCode(h, cookie), 'Blue tablet');
    ids = await seedMeetings(h, a, b);
  });
  afterAll(async () => {
    await h?.close();
  });

  const get = (path: string, who = cookie) => h.app.request(`${ORIGIN}${path}`, { headers: { Cookie: who } });
  /** The meetings a list page links to, in order. */
  const listed = (page: string) =>
    [...page.matchAll(/<th scope="row"><a href="\/admin\/meetings\/([0-9a-f-]{36})">/g)].map((m) => m[1]);
  const idsOf = (...keys: string[]) => keys.map((k) => ids[k]).sort();

  it('devices are listed by the name given at enrolment, with their state, last sync and clock in words', async () => {
    const ahead = new Date(Date.now() + 20 * 60_000).toISOString();
    const log = await sealLog(b.deviceId, meetingEvents({ ...SEEDS[3], title: 'Clock', end: 'none' }));
    expect((await syncRequest(h, b, log, { sentAt: ahead })).status).toBe(200);
    const spare = await enrol(h, await newCode(h, cookie), 'Spare tablet');
    const gone = await enrol(h, await newCode(h, cookie), 'Lost tablet');
    await h.app.request(`${ORIGIN}/admin/devices/${gone.deviceId}/revoke`, {
      method: 'POST',
      headers: { Cookie: cookie },
    });
    const page = await (await get('/admin/devices')).text();
    const rowOf = (name: string) =>
      page.slice(page.indexOf(`<th scope="row">${name}`)).split('</tr>')[0] ?? '';
    expect(rowOf('Room 2 tablet')).toContain('>Active<');
    expect(rowOf('Room 2 tablet')).toMatch(/Just now|minutes? ago/);
    expect(rowOf('Room 2 tablet')).toContain('Not known: the tablet has not said its clock');
    expect(rowOf('Blue tablet')).toContain('Ahead by 20 minutes');
    expect(rowOf('Spare tablet')).toContain('Active, not synced yet');
    expect(rowOf('Spare tablet')).toContain('Never');
    expect(rowOf('Lost tablet')).toContain('Revoked');
    expect(page.indexOf('Lost tablet')).toBeGreaterThan(page.indexOf('Spare tablet'));
    expect(rowOf('Spare tablet')).toContain(spare.deviceId);
  });

  it('the meetings list says title, kind, date, chair, outcome, stage and sync state in words', async () => {
    const page = await (await get('/admin')).text();
    const row = page.slice(page.indexOf(ids.m2 as string)).split('</tr>')[0] ?? '';
    expect(row).toContain('Review two');
    expect(row).toContain('<td>Meeting</td>');
    expect(row).toContain('Wed, 20 May 2026, 14:00');
    expect(row).toContain(NAMES.chair);
    expect(row).toContain('Recording not permitted');
    expect(row).toContain('In discussion, not recording');
    expect(page).toContain('Request decided, discussion not started');
    expect(row).toContain('Tablet: Room 2 tablet');
    expect(page).toContain('Child protection conference');
    expect(page).toContain('Recording permitted');
    expect(page).toContain('Request: asking everyone');
    expect(page).toContain('Discarded: opened in error');
    // No machine state name is shown as a stage.
    expect(page).not.toMatch(/review\.[a-z]+|discussing\./);
  });

  it('each filter narrows the list to the meetings it names', async () => {
    const cases: [string, string[]][] = [
      ['kind=child-protection-conference', ['m1', 'm4']],
      ['kind=meeting', ['m2', 'm5', 'm7']],
      ['outcome=permitted', ['m1']],
      ['outcome=not-permitted', ['m2', 'm3']],
      ['outcome=pending', ['m4']],
      ['outcome=none', ['m5', 'm6', 'm7']],
      ['sync=complete', ['m1', 'm5']],
      ['sync=open', ['m2', 'm3', 'm4']],
      ['sync=missing', ['m7']],
      ['sync=discarded', ['m6']],
      [`tablet=${encodeURIComponent(a.deviceId)}`, ['m1', 'm2', 'm6', 'm7']],
      ['from=2026-06-01&to=2026-06-30', ['m3', 'm4']],
      ['from=2026-05-01&to=2026-05-31', ['m2']],
      ['to=2026-03-10', ['m1']],
      ['q=three', ['m3']],
      ['q=REVIEW', ['m2', 'm3']],
      ['q=100%25', ['m5']],
      ['q=%25', ['m5']],
      ['q=_', []],
      [`q=${ids.m4}`, ['m4']],
      [`kind=meeting&tablet=${encodeURIComponent(a.deviceId)}&outcome=not-permitted`, ['m2']],
    ];
    for (const [query, expected] of cases) {
      const res = await get(`/admin?${query}`);
      expect(res.status, query).toBe(200);
      const shown = listed(await res.text()).filter((id) => Object.values(ids).includes(id as string));
      expect(shown.sort(), query).toEqual(idsOf(...expected));
    }
    const none = await (await get('/admin?q=nothing+like+this')).text();
    expect(none).toContain('No meeting matches these filters.');
  });

  it('a search for part of a title or a chair is answered from the trigram indexes, not by reading every meeting', async () => {
    // Seq and plain index scans are priced out, so the plan shows whether the search can use the trigram
    // indexes at all (a title ILIKE '%term%' can; a lower(title) or a regex would not).
    const plan = await h.database.db.transaction().execute(async (trx) => {
      await sql`set local enable_seqscan = off`.execute(trx);
      await sql`set local enable_indexscan = off`.execute(trx);
      const { rows } = await sql<{
        'QUERY PLAN': string;
      }>`explain ${meetingsPageQuery({ q: 'review t' })}`.execute(trx);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    });
    expect(plan).toContain('Bitmap Index Scan on meetings_title_trgm_idx');
    expect(plan).toContain('Bitmap Index Scan on meetings_chair_trgm_idx');
    expect(plan).not.toMatch(/Seq Scan on meetings/);
    // The same search through the page, as the records team types it.
    const shown = listed(await (await get('/admin?q=review+t')).text());
    expect(shown.sort()).toEqual(idsOf('m2', 'm3'));
  });

  it('a bad filter value is a 400 that says which filter to change, never a 500', async () => {
    const cases: [string, string][] = [
      ['from=2026-02-30', 'The "From date" is not a date'],
      ['to=yesterday', 'The "To date" is not a date'],
      ['from=0001-01-01', 'The "From date" is not a date'],
      ['from=2026-06-02&to=2026-06-01', 'The "From date" is after the "To date".'],
      ['kind=party', 'Choose a kind of meeting from the list.'],
      ['outcome=maybe', 'Choose an outcome from the list.'],
      ['sync=%27%20or%201%3D1', 'Choose a sync state from the list.'],
      ['tablet=a%20b', 'Choose a tablet from the list.'],
      ['after=2026-01-01', 'That page link is not right'],
      [
        'after=2026-99-01T00:00:00.000000Z_00000000-0000-0000-0000-000000000000',
        'That page link is not right',
      ],
      ['q=%00', 'Search for ordinary characters only.'],
      [`q=${'x'.repeat(201)}`, 'Search for at most 200 characters.'],
    ];
    for (const [query, message] of cases) {
      const res = await get(`/admin?${query}`);
      expect(res.status, query).toBe(400);
      const text = await res.text();
      expect(text, query).toContain('role="alert"');
      expect(text.replaceAll('&quot;', '"'), query).toContain(message);
    }
  });

  it('paging by "Earlier meetings" shows every meeting exactly once, and "Later meetings" walks back', async () => {
    // 120 more meetings, many on the same instant, so the order's tie-break by id is exercised.
    const rows = Array.from({ length: 120 }, (_, i) => ({
      id: `0193a1b2-0000-7000-8000-${String(i).padStart(12, '0')}`,
      head_seq: 3,
      head_hash: 'x'.repeat(64),
      title: `Bulk ${i}`,
      kind: 'meeting',
      scheduled_at: '2026-04-01T10:00:00+00:00',
      scheduled_for:
        i % 3 === 0
          ? '2026-04-01T10:00:00+00:00'
          : `2026-04-${String(1 + (i % 28)).padStart(2, '0')}T09:00:00+00:00`,
      outcome: '',
    }));
    await h.database.db.insertInto('meetings').values(rows).execute();
    const total = Number(
      (
        await h.database.db
          .selectFrom('meetings')
          .select((e) => e.fn.countAll().as('n'))
          .where('head_seq', '>', 0)
          .executeTakeFirstOrThrow()
      ).n,
    );
    const seen: string[] = [];
    const pages: string[] = [];
    let path: string | null = '/admin';
    while (path) {
      const text: string = await (await get(path)).text();
      pages.push(path);
      seen.push(...(listed(text) as string[]));
      const next: string | undefined = /<a class="button" href="([^"]+)">Earlier meetings<\/a>/.exec(
        text,
      )?.[1];
      path = next ? next.replaceAll('&amp;', '&') : null;
      expect(pages.length).toBeLessThan(10);
    }
    expect(pages.length).toBe(Math.ceil(total / 50));
    expect(seen.length).toBe(total);
    expect(new Set(seen).size).toBe(total);
    // Back from the last page: the same meetings, in the same order.
    const back: string[] = [];
    path = pages.at(-1) as string;
    while (path) {
      const text: string = await (await get(path)).text();
      back.unshift(...(listed(text) as string[]));
      const prev: string | undefined = /<a class="button" href="([^"]+)">Later meetings<\/a>/.exec(text)?.[1];
      path = prev ? prev.replaceAll('&amp;', '&') : null;
    }
    expect(back).toEqual(seen);
    // A filtered page's links keep the filter.
    const filtered = await (await get('/admin?kind=meeting&q=Bulk')).text();
    const next = /href="([^"]+)">Earlier meetings/.exec(filtered)?.[1]?.replaceAll('&amp;', '&') ?? '';
    expect(next).toContain('kind=meeting');
    expect(next).toContain('q=Bulk');
    const second = listed(await (await get(next)).text());
    expect(second.length).toBe(50);
  });

  it('verify: the boxes fit a 36-character id and a 64-character hash, and a pasted QR link is accepted', async () => {
    const entry = (await (await get(`/admin/meetings/${ids.m1}/minute.json`)).json()) as {
      recordCheck: { headHash: string; verifyUrl: string };
    };
    const empty = await (await get('/admin/verify')).text();
    expect(empty).toMatch(/id="v-meeting"[^>]*size="40"[^>]*autocomplete="off"[^>]*spellcheck="false"/);
    expect(empty).toMatch(/id="v-hash"[^>]*size="68"[^>]*autocomplete="off"[^>]*spellcheck="false"/);
    // The whole link pasted into the meeting id box (the hash box left empty), or into the hash box.
    const link = encodeURIComponent(entry.recordCheck.verifyUrl);
    expect(await (await get(`/admin/verify?meeting=${link}&hash=`)).text()).toContain('The record matches');
    expect(await (await get(`/admin/verify?meeting=&hash=${link}`)).text()).toContain('The record matches');
    // Opened as a link, as a phone's camera does.
    const opened = new URL(entry.recordCheck.verifyUrl);
    expect(await (await get(`${opened.pathname}${opened.search}`)).text()).toContain('The record matches');
    const wrong = encodeURIComponent('https://x.example/admin/verify?meeting=nope&hash=abc');
    const refused = await get(`/admin/verify?meeting=${wrong}`);
    expect(refused.status).toBe(200);
    expect(await refused.text()).toContain('not in the right form');
  });

  it('the dashboard and its CSV give the figures with no name of any attendee or child', async () => {
    const res = await get('/admin/dashboard');
    expect(res.status).toBe(200);
    const page = await res.text();
    const csvRes = await get('/admin/dashboard.csv');
    expect(csvRes.headers.get('Content-Disposition')).toContain('attachment');
    const csv = await csvRes.text();
    for (const name of [...Object.values(NAMES), 'Frumpington', 'Wexworth', 'Quuxley', 'Review two']) {
      expect(page).not.toContain(name);
      expect(csv).not.toContain(name);
    }
    expect(page).toMatch(/<svg class="chart" role="img" aria-labelledby="outcomes-t outcomes-d"/);
    expect(page).toContain('<title id="outcomes-t">Outcomes</title>');
    // Requests: m1-m4 were received in January 2026 (m5 had none; m6 was discarded).
    expect(csv).toContain('"Requests to record, by month",2026-01,4,requests');
    expect(csv).toContain('Outcomes,Recording not permitted,2,meetings');
    expect(csv).toContain('Outcomes,Recording permitted,1,meetings');
    expect(csv).toContain('Grounds to refuse confirmed,A history of misusing information,1,meetings');
    expect(csv).toContain('Answers by role,Health: Did not agree,1,answers');
    expect(csv).toContain('Answers by role,Chair: Agreed,4,answers');
    expect(csv).toMatch(/Requests decided,"Child protection conference, Hertfordshire[^"]*",1,requests/);
    const staffs = await (await get('/admin/dashboard.csv?policy=staffordshire-stoke')).text();
    expect(staffs).not.toContain('Requests to record');
    expect((await get('/admin/dashboard?kind=party')).status).toBe(400);
    expect((await get('/admin/dashboard.csv?policy=nowhere')).status).toBe(400);
  });

  it('roles: a viewer reads the meetings list but not the devices; nobody signed out reads either', async () => {
    await addAccount(h.database, { username: 'viewer', password: PASSWORD, role: 'viewer' });
    const viewer = await adminCookie(h, PASSWORD, 'viewer');
    expect((await get('/admin?kind=meeting', viewer)).status).toBe(200);
    expect((await get('/admin/devices', viewer)).status).toBe(403);
    expect((await get('/admin/verify', viewer)).status).toBe(403);
    expect((await get('/admin/dashboard', viewer)).status).toBe(200);
    expect((await get('/admin/dashboard.csv', viewer)).status).toBe(200);
    const signedOut = await (await h.app.request(`${ORIGIN}/admin?kind=meeting`)).text();
    expect(signedOut).toContain('Sign in');
    expect(signedOut).not.toContain('Review two');
  });
});

describe.each(TARGETS)('migration 0009_admin_lists against %s', (target) => {
  it('fills the outcome, chair, date and request time of meetings held before it', async () => {
    const { database, drop } = await openTarget(target);
    try {
      await migrateTo(database.db, '0005_retention');
      const snapshot = {
        snapshotVersion: 2,
        value: 'ready',
        context: {
          attendees: [
            { id: 'x', name: 'Someone', role: 'health' },
            { id: 'c', name: 'Ottoline Frumpington', role: 'chair' },
          ],
          request: { receivedAt: '2026-01-05T09:00:00+00:00' },
          outcome: { status: 'not-permitted', basis: 'not-all-agreed' },
        },
      };
      await (database.db as unknown as import('kysely').Kysely<Record<string, Record<string, unknown>>>)
        .insertInto('meetings')
        .values([
          {
            id: 'm-old',
            head_seq: 9,
            head_hash: 'h',
            snapshot: JSON.stringify(snapshot),
            scheduled_at: '2026-06-01T00:30:00+01:00',
          },
          {
            id: 'm-bare',
            head_seq: 1,
            head_hash: 'h',
            snapshot: null,
            first_at: '2026-02-01T10:00:00+00:00',
          },
        ])
        .execute();
      await migrateToLatest(database.db);
      const rows = await database.db
        .selectFrom('meetings')
        .select(['id', 'outcome', 'chair', 'scheduled_for', 'requested_at', 'decided_at'])
        .orderBy('id')
        .execute();
      expect(
        rows.map((r) => ({
          ...r,
          scheduled_for: r.scheduled_for?.toISOString(),
          requested_at: r.requested_at?.toISOString() ?? null,
        })),
      ).toEqual([
        {
          id: 'm-bare',
          outcome: '',
          chair: '',
          scheduled_for: '2026-02-01T10:00:00.000Z',
          requested_at: null,
          decided_at: null,
        },
        {
          id: 'm-old',
          outcome: 'not-permitted',
          chair: 'Ottoline Frumpington',
          scheduled_for: '2026-05-31T23:30:00.000Z',
          requested_at: '2026-01-05T09:00:00.000Z',
          decided_at: null,
        },
      ]);
    } finally {
      await database.close();
      await drop();
    }
  });
});
