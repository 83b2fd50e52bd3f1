/** The admin area: first-start set-up code, sign-in cookie, meetings, minute entry and exports, codes, devices. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAdmin } from '../../server/admin/bootstrap';
import { createLogger } from '../../server/logger';
import {
  ALL_AGREE,
  adminCookie,
  type Device,
  enrol,
  type Harness,
  makeHarness,
  newCode,
  ORIGIN,
  sealLog,
  syncRequest,
  TARGETS,
} from './harness';

const PASSWORD = 'a long admin password 1';
const form = (fields: Record<string, string>) => ({
  'Content-Type': 'application/x-www-form-urlencoded',
  body: new URLSearchParams(fields).toString(),
});

describe.each(TARGETS)('admin against %s', (target) => {
  let h: Harness;
  let cookie: string;
  let device: Device;
  let meetingId: string;
  let staticDir = '';

  beforeAll(async () => {
    staticDir = mkdtempSync(join(tmpdir(), 'ck-dist-'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>tablet</title>');
    writeFileSync(join(staticDir, 'sw.js'), '// sw');
    h = await makeHarness(target, {
      staticDir,
      clientAddress: (c) => c.req.header('X-Test-Client') ?? 'client',
    });
  });
  afterAll(async () => {
    await h?.close();
    if (staticDir) rmSync(staticDir, { recursive: true, force: true });
  });

  const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) => {
    const { body, ...type } = form(fields);
    return h.app.request(`${ORIGIN}${path}`, { method: 'POST', headers: { ...type, ...headers }, body });
  };

  it('GET /admin before any account: asks for the one-time set-up code; from this machine without it, nothing', async () => {
    const res = await h.app.request(`${ORIGIN}/admin`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain('<label for="code">');
    expect(text).toContain('ADMIN_PASSWORD');
    // No source address is trusted: "127.0.0.1" with no code, or a wrong one, creates nothing.
    const local = { 'X-Test-Client': '127.0.0.1' };
    expect(
      (await post('/admin/setup', { username: 'admin', password: PASSWORD, confirm: PASSWORD }, local))
        .status,
    ).toBe(400);
    expect(
      (
        await post(
          '/admin/setup',
          { code: 'AAAA-BBBB-CCCC', username: 'admin', password: PASSWORD, confirm: PASSWORD },
          local,
        )
      ).status,
    ).toBe(403);
    expect(await h.database.db.selectFrom('admin_accounts').select('id').execute()).toEqual([]);
  });

  it('POST /admin/setup: the printed code creates the first administrator once, signed in with a strict httpOnly cookie', async () => {
    let printed = '';
    const logs: string[] = [];
    const logger = createLogger(
      'info',
      new Writable({ write: (chunk, _e, done) => done(void logs.push(String(chunk))) }),
    );
    expect(
      await bootstrapAdmin(h.database.db, {}, logger, (text) => {
        printed += text;
      }),
    ).toBe('setup-code-printed');
    const code = /^ {4}(\S+)$/m.exec(printed)?.[1] ?? '';
    expect(code).toMatch(/^[A-Z0-9-]{20,}$/);
    // The code is printed on the console only: not in the log, and only its hash is kept.
    expect(logs.join('')).not.toContain(code);
    const kept = await h.database.db.selectFrom('admin_setup').select('code_hash').executeTakeFirstOrThrow();
    expect(kept.code_hash).not.toContain(code);
    expect(
      (await post('/admin/setup', { code, username: 'admin', password: 'short', confirm: 'short' })).status,
    ).toBe(400);
    expect(
      (await post('/admin/setup', { code, username: 'admin', password: PASSWORD, confirm: `${PASSWORD}x` }))
        .status,
    ).toBe(400);
    const res = await post('/admin/setup', {
      code,
      username: 'Admin',
      password: PASSWORD,
      confirm: PASSWORD,
    });
    expect(res.status).toBe(303);
    const setCookie = res.headers.get('Set-Cookie') ?? '';
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Strict/i);
    expect(setCookie).not.toMatch(/Secure/i);
    expect(
      (
        await post('/admin/setup', {
          code,
          username: 'second',
          password: 'another password 123',
          confirm: 'another password 123',
        })
      ).status,
    ).toBe(409);
    const rows = await h.database.db.selectFrom('admin_accounts').selectAll().execute();
    expect(rows).toMatchObject([{ username: 'admin', role: 'administrator', disabled_at: null }]);
    expect(rows[0]?.password_hash.startsWith('scrypt$')).toBe(true);
    expect(rows[0]?.password_hash).not.toContain(PASSWORD);
    expect(await h.database.db.selectFrom('admin_setup').selectAll().execute()).toEqual([]);
  });

  it('POST /admin/login: a wrong password is 401; the cookie is Secure over HTTPS', async () => {
    expect((await post('/admin/login', { username: 'admin', password: 'wrong password!!' })).status).toBe(
      401,
    );
    expect((await post('/admin/login', { username: 'nobody', password: PASSWORD })).status).toBe(401);
    const res = await h.app.request('https://records.example/admin/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ username: 'admin', password: PASSWORD }).toString(),
    });
    expect(res.status).toBe(303);
    expect(res.headers.get('Set-Cookie')).toMatch(/Secure/);
    cookie = await adminCookie(h, PASSWORD);
  });

  it('admin pages need a session; cross-site posts are refused', async () => {
    expect((await h.app.request(`${ORIGIN}/admin/devices`)).status).toBe(303);
    expect((await h.app.request(`${ORIGIN}/admin/codes`, { method: 'POST' })).status).toBe(401);
    const cross = await h.app.request(`${ORIGIN}/admin/codes`, {
      method: 'POST',
      headers: { Cookie: cookie, Origin: 'https://evil.example' },
    });
    expect(cross.status).toBe(403);
    const crossSite = await h.app.request(`${ORIGIN}/admin/codes`, {
      method: 'POST',
      headers: { Cookie: cookie, 'Sec-Fetch-Site': 'cross-site', Origin: 'null' },
    });
    expect(crossSite.status).toBe(403);
    // A browser's own form post under Referrer-Policy: no-referrer says Origin: null but Sec-Fetch-Site: same-origin.
    const own = await h.app.request(`${ORIGIN}/admin/codes`, {
      method: 'POST',
      headers: { Cookie: cookie, 'Sec-Fetch-Site': 'same-origin', Origin: 'null' },
    });
    expect(own.status).not.toBe(403);
  });

  it('GET /admin/devices and POST /admin/codes: a code is shown once, kept only as a hash', async () => {
    const code = await newCode(h, cookie);
    device = await enrol(h, code, 'Room 2 tablet');
    const page = await (
      await h.app.request(`${ORIGIN}/admin/devices`, { headers: { Cookie: cookie } })
    ).text();
    expect(page).toContain('Room 2 tablet');
    expect(page).toContain(device.deviceId);
    expect(page).not.toContain(code);
    expect(page).toContain(`Revoke Room 2 tablet`);
  });

  it('GET /admin: meetings with their sync state; GET /admin/meetings/:id: minute entry, signature SVG, timeline', async () => {
    const log = await sealLog(device.deviceId, ALL_AGREE);
    meetingId = log[0]?.meetingId as string;
    expect((await syncRequest(h, device, log.slice(0, 10))).status).toBe(200);
    let list = await (await h.app.request(`${ORIGIN}/admin`, { headers: { Cookie: cookie } })).text();
    expect(list).toContain('Review meeting for Jamie');
    expect(list).toContain('Incomplete: not closed yet');
    expect((await syncRequest(h, device, log)).status).toBe(200);
    list = await (await h.app.request(`${ORIGIN}/admin`, { headers: { Cookie: cookie } })).text();
    expect(list).toContain('Complete');
    const res = await h.app.request(`${ORIGIN}/admin/meetings/${meetingId}`, { headers: { Cookie: cookie } });
    expect(res.status).toBe(200);
    expect(res.headers.get('Content-Security-Policy')).toContain("default-src 'none'");
    const page = await res.text();
    expect(page).toContain('<svg class="sig"');
    expect(page).toContain('<title>Signature of Sarah Doe</title>');
    expect(page).toContain('meeting.closed');
    expect(page).toContain(`events 1 to ${log.length}`);
    expect(
      (await h.app.request(`${ORIGIN}/admin/meetings/not-a-meeting`, { headers: { Cookie: cookie } })).status,
    ).toBe(404);
  });

  it('exports: minute entry as text and JSON, and the event log', async () => {
    const txt = await h.app.request(`${ORIGIN}/admin/meetings/${meetingId}/minute.txt`, {
      headers: { Cookie: cookie },
    });
    expect(txt.status).toBe(200);
    expect(txt.headers.get('Content-Disposition')).toContain('attachment');
    expect(await txt.text()).toContain('Sarah Doe');
    const json = await h.app.request(`${ORIGIN}/admin/meetings/${meetingId}/minute.json`, {
      headers: { Cookie: cookie },
    });
    const entry = (await json.json()) as { meeting: { id: string }; isComplete: boolean };
    expect(entry.meeting.id).toBe(meetingId);
    const events = await h.app.request(`${ORIGIN}/admin/meetings/${meetingId}/events.json`, {
      headers: { Cookie: cookie },
    });
    expect(((await events.json()) as unknown[]).length).toBe(ALL_AGREE.length);
    expect((await h.app.request(`${ORIGIN}/admin/meetings/${meetingId}/minute.txt`)).status).toBe(303);
  });

  it('exports: the minute entry and the signed undertaking as PDF, from the same projection', async () => {
    for (const doc of ['minute.pdf', 'undertaking.pdf']) {
      const res = await h.app.request(`${ORIGIN}/admin/meetings/${meetingId}/${doc}`, {
        headers: { Cookie: cookie },
      });
      expect(res.status).toBe(200);
      expect(res.headers.get('Content-Type')).toBe('application/pdf');
      expect(
        Buffer.from(await res.arrayBuffer())
          .subarray(0, 5)
          .toString('latin1'),
      ).toBe('%PDF-');
    }
  });

  it('verify: the printed head hash matches; one changed character in a stored event is named', async () => {
    const entry = (await (
      await h.app.request(`${ORIGIN}/admin/meetings/${meetingId}/minute.json`, {
        headers: { Cookie: cookie },
      })
    ).json()) as { schemaVersion: number; recordCheck: { headHash: string; verifyUrl: string } };
    // The versioned export: its record check opens this service's verify page for this meeting and hash.
    expect(entry.schemaVersion).toBe(1);
    expect(entry.recordCheck.verifyUrl).toBe(
      `${ORIGIN}/admin/verify?meeting=${meetingId}&hash=${entry.recordCheck.headHash}`,
    );
    const verify = (hash: string) =>
      h.app.request(`${ORIGIN}/admin/verify?meeting=${meetingId}&hash=${hash}`, {
        headers: { Cookie: cookie },
      });
    expect(await (await verify(entry.recordCheck.headHash)).text()).toContain('The record matches');
    expect(await (await verify('0'.repeat(64))).text()).toContain('does not match');
    // Someone edits the stored log directly: one character of the request's purpose.
    const { db } = h.database;
    const row = await db
      .selectFrom('events')
      .select(['id', 'envelope', 'seq'])
      .where('meeting_id', '=', meetingId)
      .where('seq', '=', 6)
      .executeTakeFirstOrThrow();
    const envelope = structuredClone(row.envelope) as { payload: { request: { purpose: string } } };
    envelope.payload.request.purpose = envelope.payload.request.purpose.replace(/.$/, '!');
    await db
      .updateTable('events')
      .set({ envelope: JSON.stringify(envelope) as never })
      .where('id', '=', row.id)
      .execute();
    const broken = await (await verify(entry.recordCheck.headHash)).text();
    expect(broken).toContain('The synced log is broken at event 6');
    expect(broken).toContain(row.id);
  });

  it('the tablet app: static files, SPA fallback, but never for /api', async () => {
    const sw = await h.app.request(`${ORIGIN}/sw.js`);
    expect(sw.status).toBe(200);
    expect(sw.headers.get('Cache-Control')).toBe('no-cache');
    const deep = await h.app.request(`${ORIGIN}/meetings/123`);
    expect(await deep.text()).toContain('<title>tablet</title>');
    expect((await h.app.request(`${ORIGIN}/api/v1/unknown`)).status).toBe(404);
  });

  it('POST /admin/logout ends the session', async () => {
    expect(
      (await h.app.request(`${ORIGIN}/admin/logout`, { method: 'POST', headers: { Cookie: cookie } })).status,
    ).toBe(303);
    expect((await h.app.request(`${ORIGIN}/admin/devices`, { headers: { Cookie: cookie } })).status).toBe(
      303,
    );
  });
});
