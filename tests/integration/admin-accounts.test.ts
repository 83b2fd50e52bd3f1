/**
 * Issue 13, findings 8, 9 and 10: named admin accounts with roles enforced per route, sessions with idle and
 * absolute limits that end on a password change, "sign out everywhere" and disabling, the first
 * administrator from ADMIN_PASSWORD, an append-only audit of who saw or did what, no family names in the
 * log, and Hono's CSRF check.
 */
import { Writable } from 'node:stream';
import type { Context } from 'hono';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAdmin } from '../../server/admin/bootstrap';
import { createLogger } from '../../server/logger';
import * as s from '../support/scenario';
import {
  ALL_AGREE,
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

const PASSWORD = 'the chief administrator password';
const OFFICER = 'records officer password 1';
const VIEWER = 'a viewer password only';
const MINUTE = 60_000;
const clientAddress = (c: Context) => c.req.header('X-Test-Client') ?? 'client-0';

describe.each(TARGETS)('admin accounts, sessions and audit against %s', (target) => {
  let h: Harness;
  let clock = Date.parse('2026-12-01T09:00:00Z');
  let chief: string;
  let officer: string;
  let viewer: string;
  let a: Device;
  let b: Device;
  let closedMeeting: string;
  let openMeeting: string;

  const get = (path: string, cookie: string) =>
    h.app.request(`${ORIGIN}${path}`, { headers: { Cookie: cookie } });
  const post = (
    path: string,
    cookie: string,
    fields: Record<string, string> = {},
    headers: Record<string, string> = {},
  ) =>
    h.app.request(`${ORIGIN}${path}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', Cookie: cookie, ...headers },
      body: new URLSearchParams(fields).toString(),
    });
  const login = (username: string, password: string, client = 'office') =>
    h.app.request(`${ORIGIN}/admin/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Test-Client': client },
      body: new URLSearchParams({ username, password }).toString(),
    });
  const cookieOf = (res: Response) =>
    `ck_admin=${/ck_admin=([^;]+)/.exec(res.headers.get('Set-Cookie') ?? '')?.[1]}`;
  /** Whether a cookie still opens the admin area (an ended session is sent back to sign in). */
  const live = async (cookie: string) =>
    (await get('/admin', cookie)).status === 200 &&
    !(await (await get('/admin', cookie)).text()).includes('action="/admin/login"');
  const auditRows = () => h.database.db.selectFrom('admin_audit').selectAll().orderBy('id').execute();

  beforeAll(async () => {
    h = await makeHarness(target, {
      adminPassword: PASSWORD,
      adminUsername: 'chief',
      now: () => new Date(clock),
      clientAddress,
    });
    await addAccount(h.database, {
      username: 'olu',
      password: OFFICER,
      role: 'records-officer',
      displayName: 'Olu Officer',
    });
    await addAccount(h.database, {
      username: 'vic',
      password: VIEWER,
      role: 'viewer',
      displayName: 'Vic Viewer',
    });
    chief = await adminCookie(h, PASSWORD, 'chief');
    officer = await adminCookie(h, OFFICER, 'olu');
    viewer = await adminCookie(h, VIEWER, 'vic');
    a = await enrol(h, await newCode(h, chief), 'Tablet A');
    b = await enrol(h, await newCode(h, chief), 'Tablet B');
    const closed = await sealLog(a.deviceId, ALL_AGREE);
    closedMeeting = closed[0]?.meetingId as string;
    expect((await syncRequest(h, a, closed)).status).toBe(200);
    const open = await sealLog(a.deviceId, ALL_AGREE.slice(0, 10));
    openMeeting = open[0]?.meetingId as string;
    expect((await syncRequest(h, a, open)).status).toBe(200);
  });
  afterAll(async () => h?.close());

  it('roles: each route refuses with 403 the roles that may not use it, and serves those that may', async () => {
    const m = `/admin/meetings/${closedMeeting}`;
    const reads: [string, ('chief' | 'officer' | 'viewer')[]][] = [
      ['/admin', ['chief', 'officer', 'viewer']],
      [m, ['chief', 'officer', 'viewer']],
      [`${m}/minute.txt`, ['chief', 'officer']],
      [`${m}/minute.json`, ['chief', 'officer']],
      [`${m}/minute.pdf`, ['chief', 'officer']],
      [`${m}/undertaking.pdf`, ['chief', 'officer']],
      [`${m}/events.json`, ['chief', 'officer']],
      [`/admin/verify?meeting=${closedMeeting}&hash=${'0'.repeat(64)}`, ['chief', 'officer']],
      ['/admin/devices', ['chief']],
      ['/admin/accounts', ['chief']],
      ['/admin/audit', ['chief']],
    ];
    const cookies = { chief, officer, viewer };
    for (const [path, allowed] of reads) {
      for (const who of ['chief', 'officer', 'viewer'] as const) {
        const res = await get(path, cookies[who]);
        expect([path, who, res.status]).toEqual([path, who, allowed.includes(who) ? 200 : 403]);
        if (!allowed.includes(who)) expect(await res.text()).toContain('does not allow this');
      }
    }
    // Actions of administrators only: refused to the others, and nothing changes.
    const actions: [string, Record<string, string>][] = [
      ['/admin/codes', {}],
      [`/admin/devices/${b.deviceId}/revoke`, {}],
      [`/admin/devices/${a.deviceId}/replace`, { replacement: b.deviceId }],
      [`/admin/meetings/${openMeeting}/hand-over`, { device: b.deviceId, reason: 'should be refused' }],
      [
        '/admin/accounts',
        { username: 'mallory', displayName: 'M', role: 'administrator', password: 'a password of mine' },
      ],
      ['/admin/accounts/olu/role', { role: 'administrator' }],
      ['/admin/accounts/chief/disable', {}],
    ];
    const before = await h.database.db.selectFrom('enrolment_codes').select('code_hash').execute();
    for (const [path, fields] of actions)
      for (const cookie of [officer, viewer])
        expect([path, (await post(path, cookie, fields)).status]).toEqual([path, 403]);
    expect(await h.database.db.selectFrom('enrolment_codes').select('code_hash').execute()).toEqual(before);
    expect(
      await h.database.db.selectFrom('devices').select('id').where('revoked_at', 'is not', null).execute(),
    ).toEqual([]);
    expect(await h.database.db.selectFrom('custody_transfers').selectAll().execute()).toEqual([]);
    const roles = await h.database.db
      .selectFrom('admin_accounts')
      .select(['username', 'role', 'disabled_at'])
      .orderBy('username')
      .execute();
    expect(roles).toEqual([
      { username: 'chief', role: 'administrator', disabled_at: null },
      { username: 'olu', role: 'records-officer', disabled_at: null },
      { username: 'vic', role: 'viewer', disabled_at: null },
    ]);
  });

  it('pages offer only the actions the role may take', async () => {
    const page = async (cookie: string, path = `/admin/meetings/${openMeeting}`) =>
      (await get(path, cookie)).text();
    const asViewer = await page(viewer);
    expect(asViewer).toContain('Review meeting for Jamie');
    expect(asViewer).not.toContain('minute.txt');
    expect(asViewer).not.toContain('hand-over');
    expect(asViewer).not.toContain('href="/admin/devices"');
    expect(asViewer).not.toContain('href="/admin/verify"');
    const asOfficer = await page(officer);
    expect(asOfficer).toContain('Download the minute entry as text');
    expect(asOfficer).not.toContain('hand-over');
    expect(asOfficer).not.toContain('href="/admin/accounts"');
    const asChief = await page(chief);
    expect(asChief).toContain('<label for="h-device">Hand the meeting over to</label>');
    expect(asChief).toContain('href="/admin/audit"');
  });

  it('changing your password ends every session of the account and signs you in afresh', async () => {
    const first = await adminCookie(h, VIEWER, 'vic');
    const second = await adminCookie(h, VIEWER, 'vic');
    const page = await (await get('/admin/password', first)).text();
    expect(page).toContain('<label for="current">Current password</label>');
    const change = (fields: Record<string, string>) => post('/admin/password', first, fields);
    expect(
      (
        await change({
          current: 'not my password',
          password: 'new viewer password',
          confirm: 'new viewer password',
        })
      ).status,
    ).toBe(400);
    expect((await change({ current: VIEWER, password: 'too short', confirm: 'too short' })).status).toBe(400);
    expect(
      (await change({ current: VIEWER, password: 'new viewer password', confirm: 'new viewer passwort' }))
        .status,
    ).toBe(400);
    expect(await live(second)).toBe(true);
    const res = await change({
      current: VIEWER,
      password: 'new viewer password',
      confirm: 'new viewer password',
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('Every other session of your account has ended');
    const fresh = cookieOf(res);
    expect(await live(first)).toBe(false);
    expect(await live(second)).toBe(false);
    expect(await live(fresh)).toBe(true);
    expect((await login('vic', VIEWER)).status).toBe(401);
    expect((await login('vic', 'new viewer password')).status).toBe(303);
    viewer = fresh;
    // Other accounts' sessions are untouched.
    expect(await live(officer)).toBe(true);
  });

  it('"Sign out everywhere" ends every session of the account, and no other', async () => {
    const one = await adminCookie(h, OFFICER, 'olu');
    const two = await adminCookie(h, OFFICER, 'olu');
    expect((await post('/admin/logout-everywhere', one)).status).toBe(303);
    expect(await live(one)).toBe(false);
    expect(await live(two)).toBe(false);
    expect(await live(officer)).toBe(false);
    expect(await live(chief)).toBe(true);
    officer = await adminCookie(h, OFFICER, 'olu');
  });

  it('an administrator creates an account whose temporary password must be changed at first sign-in', async () => {
    const created = await post('/admin/accounts', chief, {
      username: 'Nadia',
      displayName: 'Nadia Novak',
      role: 'records-officer',
      password: 'temporary password 1',
    });
    expect(created.status).toBe(201);
    expect(await created.text()).toContain('Account nadia created as Records officer');
    expect(
      (
        await post('/admin/accounts', chief, {
          username: 'nadia',
          displayName: 'Other',
          role: 'viewer',
          password: 'temporary password 2',
        })
      ).status,
    ).toBe(409);
    expect(
      (
        await post('/admin/accounts', chief, {
          username: 'x',
          displayName: 'X',
          role: 'viewer',
          password: 'temporary password 2',
        })
      ).status,
    ).toBe(400);
    expect(
      (
        await post('/admin/accounts', chief, {
          username: 'zed',
          displayName: 'Zed',
          role: 'owner',
          password: 'temporary password 2',
        })
      ).status,
    ).toBe(400);
    const signedIn = await login('nadia', 'temporary password 1');
    expect(signedIn.status).toBe(303);
    expect(signedIn.headers.get('Location')).toBe('/admin/password');
    const cookie = cookieOf(signedIn);
    // Nothing else until the password is changed.
    expect((await get(`/admin/meetings/${closedMeeting}/minute.txt`, cookie)).headers.get('Location')).toBe(
      '/admin/password',
    );
    expect((await post('/admin/codes', cookie)).status).toBe(403);
    const changed = await post('/admin/password', cookie, {
      current: 'temporary password 1',
      password: 'nadia own password',
      confirm: 'nadia own password',
    });
    expect(changed.status).toBe(200);
    expect((await get(`/admin/meetings/${closedMeeting}/minute.txt`, cookieOf(changed))).status).toBe(200);
  });

  it('a disabled account cannot sign in and its sessions end; enabled again, it can', async () => {
    const nadia = await adminCookie(h, 'nadia own password', 'nadia');
    expect(await live(nadia)).toBe(true);
    expect((await post('/admin/accounts/nadia/disable', chief)).status).toBe(303);
    expect(await live(nadia)).toBe(false);
    expect((await login('nadia', 'nadia own password')).status).toBe(401);
    expect(await (await get('/admin/accounts', chief)).text()).toContain('Disabled');
    expect((await post('/admin/accounts/nadia/enable', chief)).status).toBe(303);
    expect((await login('nadia', 'nadia own password')).status).toBe(303);
    expect((await post('/admin/accounts/nobody/disable', chief)).status).toBe(404);
  });

  it('the last active administrator cannot be disabled or demoted; with a second one, it can', async () => {
    const demote = await post('/admin/accounts/chief/role', chief, { role: 'viewer' });
    expect(demote.status).toBe(409);
    expect(await demote.text()).toContain('last active administrator');
    expect((await post('/admin/accounts/chief/disable', chief)).status).toBe(409);
    expect((await post('/admin/accounts/nadia/role', chief, { role: 'administrator' })).status).toBe(303);
    const nadia = await adminCookie(h, 'nadia own password', 'nadia');
    // A role change takes effect on the next request.
    expect((await get('/admin/accounts', nadia)).status).toBe(200);
    expect((await post('/admin/accounts/chief/role', nadia, { role: 'viewer' })).status).toBe(303);
    expect((await get('/admin/accounts', chief)).status).toBe(403);
    expect((await post('/admin/accounts/nadia/disable', nadia)).status).toBe(409);
    expect((await post('/admin/accounts/chief/role', nadia, { role: 'administrator' })).status).toBe(303);
    expect((await post('/admin/accounts/nadia/disable', chief)).status).toBe(303);
  });

  it('every view and export of a meeting and every admin action is in the audit trail with the account', async () => {
    const from = (await auditRows()).length;
    const m = `/admin/meetings/${closedMeeting}`;
    for (const path of [
      m,
      `${m}/minute.txt`,
      `${m}/minute.json`,
      `${m}/minute.pdf`,
      `${m}/undertaking.pdf`,
      `${m}/events.json`,
    ])
      expect((await get(path, officer)).status).toBe(200);
    const hash = (
      (await (await get(`${m}/minute.json`, officer)).json()) as { recordCheck: { headHash: string } }
    ).recordCheck.headHash;
    expect(
      await (await get(`/admin/verify?meeting=${closedMeeting}&hash=${hash}`, officer)).text(),
    ).toContain('The record matches');
    await newCode(h, chief);
    expect(
      (
        await post(`/admin/meetings/${openMeeting}/hand-over`, chief, {
          device: b.deviceId,
          reason: 'Tablet A broke',
        })
      ).status,
    ).toBe(303);
    const transfer = await h.database.db
      .selectFrom('custody_transfers')
      .selectAll()
      .executeTakeFirstOrThrow();
    expect(transfer.by_admin).toBe('chief');
    const spare = await enrol(h, await newCode(h, chief), 'Tablet C');
    expect((await post(`/admin/devices/${spare.deviceId}/revoke`, chief)).status).toBe(303);
    expect((await login('olu', 'a wrong guess')).status).toBe(401);
    const rows = (await auditRows()).slice(from);
    const seen = rows.map((r) => [r.username, r.action, r.meeting_id, r.device_id]);
    expect(seen).toEqual(
      expect.arrayContaining([
        ['olu', 'meeting.viewed', closedMeeting, null],
        ['olu', 'minute.txt.exported', closedMeeting, null],
        ['olu', 'minute.json.exported', closedMeeting, null],
        ['olu', 'minute.pdf.exported', closedMeeting, null],
        ['olu', 'undertaking.pdf.exported', closedMeeting, null],
        ['olu', 'events.json.exported', closedMeeting, null],
        ['olu', 'record.verified', closedMeeting, null],
        ['chief', 'code.created', null, null],
        ['chief', 'meeting.handed-over', openMeeting, b.deviceId],
        ['chief', 'device.revoked', null, spare.deviceId],
        ['olu', 'sign-in.failed', null, null],
      ]),
    );
    const all = await auditRows();
    const actions = new Set(all.map((r) => r.action));
    for (const action of [
      'sign-in.succeeded',
      'password.changed',
      'sign-out.everywhere',
      'account.created',
      'account.role-changed',
      'account.disabled',
      'account.enabled',
    ])
      expect([action, actions.has(action)]).toEqual([action, true]);
    const officerId = (
      await h.database.db
        .selectFrom('admin_accounts')
        .select('id')
        .where('username', '=', 'olu')
        .executeTakeFirstOrThrow()
    ).id;
    expect(rows.find((r) => r.action === 'minute.pdf.exported')?.account_id).toBe(officerId);
    expect(rows.find((r) => r.action === 'minute.pdf.exported')?.at).toEqual(new Date(clock));
  });

  it('the audit trail cannot be changed or emptied, even with SQL', async () => {
    const db = h.database.db;
    const before = await auditRows();
    await expect(sql`update admin_audit set username = 'someone else'`.execute(db)).rejects.toThrow(
      /append-only/,
    );
    await expect(sql`delete from admin_audit`.execute(db)).rejects.toThrow(/append-only/);
    await expect(sql`truncate admin_audit`.execute(db)).rejects.toThrow(/append-only/);
    expect(await auditRows()).toEqual(before);
  });

  it('administrators read the trail at /admin/audit, newest first, a page at a time, filtered by meeting', async () => {
    const page = await (await get('/admin/audit', chief)).text();
    expect(page).toContain('<caption>Who saw or did what, newest first (page 1)</caption>');
    const first = page.indexOf('<td>chief</td><td>device.revoked</td>');
    const earlier = page.indexOf('<td>olu</td><td>meeting.viewed</td>');
    expect(first).toBeGreaterThan(0);
    expect(earlier).toBeGreaterThan(first);
    const filtered = await (await get(`/admin/audit?meeting=${openMeeting}`, chief)).text();
    expect(filtered).toContain('meeting.handed-over');
    expect(filtered).not.toContain('minute.pdf.exported');
    expect(page).toContain('Older entries');
    const second = await (await get('/admin/audit?page=2', chief)).text();
    expect(second).toContain('(page 2)');
    expect(second).toContain('Newer entries');
    expect((await get('/admin/audit?page=-3&meeting=%00', chief)).status).toBe(200);
  });

  it("no family's names appear in the application log", async () => {
    const log = h.logs.join('');
    expect(log.length).toBeGreaterThan(0);
    for (const name of [
      s.CHILD.name,
      s.people.mother.name,
      s.people.chair.name,
      s.people.socialWorker.name,
      'Jamie',
    ])
      expect([name, log.includes(name)]).toEqual([name, false]);
  });

  it('CSRF: a cross-site form post is refused; a same-origin browser post (Origin: null under no-referrer) is accepted', async () => {
    const codes = () => h.database.db.selectFrom('enrolment_codes').select('code_hash').execute();
    const before = (await codes()).length;
    expect(
      (await post('/admin/codes', chief, {}, { 'Sec-Fetch-Site': 'cross-site', Origin: 'null' })).status,
    ).toBe(403);
    expect(
      (
        await post(
          '/admin/codes',
          chief,
          {},
          { 'Sec-Fetch-Site': 'same-site', Origin: 'https://other.localhost' },
        )
      ).status,
    ).toBe(403);
    expect((await post('/admin/codes', chief, {}, { Origin: 'https://evil.example' })).status).toBe(403);
    expect(
      (await post('/admin/accounts/olu/disable', chief, {}, { 'Sec-Fetch-Site': 'cross-site' })).status,
    ).toBe(403);
    expect((await codes()).length).toBe(before);
    expect(
      (await post('/admin/codes', chief, {}, { 'Sec-Fetch-Site': 'same-origin', Origin: 'null' })).status,
    ).toBe(201);
    expect((await post('/admin/codes', chief, {}, { Origin: ORIGIN })).status).toBe(201);
    expect((await codes()).length).toBe(before + 2);
  });

  it('a malformed form body is 400, never 500', async () => {
    const res = await h.app.request(`${ORIGIN}/admin/accounts`, {
      method: 'POST',
      headers: { 'Content-Type': 'multipart/form-data; boundary=nothing', Cookie: chief },
      body: 'not multipart at all',
    });
    expect(res.status).toBe(400);
  });

  // These move the clock on by hours: every session above ends with them, so they come last.
  it('a session ends after 30 minutes without a request, checked on the server', async () => {
    const cookie = await adminCookie(h, OFFICER, 'olu');
    clock += 29 * MINUTE;
    expect(await live(cookie)).toBe(true);
    clock += 29 * MINUTE; // 58 minutes after sign-in, but only 29 idle
    expect(await live(cookie)).toBe(true);
    clock += 31 * MINUTE;
    const res = await get('/admin', cookie);
    expect(await res.text()).toContain('action="/admin/login"');
    expect((await get(`/admin/meetings/${openMeeting}`, cookie)).status).toBe(303);
    // The same cookie does not come back to life.
    clock -= 10 * MINUTE;
    expect(await live(cookie)).toBe(false);
    clock += 10 * MINUTE;
  });

  it('a session ends 8 hours after sign-in however busy', async () => {
    const cookie = await adminCookie(h, OFFICER, 'olu');
    for (let spent = 0; spent < 7 * 60 + 40; spent += 20) {
      clock += 20 * MINUTE;
      expect(await live(cookie)).toBe(true);
    }
    clock += 25 * MINUTE; // 8 h 5 min after sign-in, 25 min idle
    expect(await live(cookie)).toBe(false);
  });
});

describe.each(TARGETS)('first administrator at boot against %s', (target) => {
  it('ADMIN_PASSWORD creates the administrator ADMIN_USERNAME, who signs in; a restart leaves the account alone', async () => {
    const { database, drop } = await openTarget(target);
    const lines: string[] = [];
    const logger = createLogger(
      'info',
      new Writable({ write: (c, _e, done) => done(void lines.push(String(c))) }),
    );
    let printed = '';
    const print = (text: string) => {
      printed += text;
    };
    try {
      const h = await makeHarness(target, { database });
      const config = { ADMIN_PASSWORD: 'configured admin password', ADMIN_USERNAME: 'Council-Admin' };
      expect(await bootstrapAdmin(database.db, config, logger, print)).toBe('created-from-config');
      expect(printed).toBe('');
      const cookie = await adminCookie(h, 'configured admin password', 'council-admin');
      expect((await h.app.request(`${ORIGIN}/admin/accounts`, { headers: { Cookie: cookie } })).status).toBe(
        200,
      );
      expect(
        await bootstrapAdmin(
          database.db,
          { ...config, ADMIN_PASSWORD: 'another one entirely' },
          logger,
          print,
        ),
      ).toBe('account-exists');
      expect(
        (await adminCookie(h, 'configured admin password', 'council-admin')).startsWith('ck_admin='),
      ).toBe(true);
      expect(lines.join('')).not.toContain('configured admin password');
      // With an account, no set-up code is made.
      expect(await bootstrapAdmin(database.db, {}, logger, print)).toBe('account-exists');
      expect(printed).toBe('');
      expect(await database.db.selectFrom('admin_setup').selectAll().execute()).toEqual([]);
    } finally {
      await database.close();
      await drop();
    }
  });
});
