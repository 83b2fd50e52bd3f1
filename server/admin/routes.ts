/** The admin area: sign-in, meetings with their sync state, minute entries and exports, devices and codes. */
import { type Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { html, raw } from 'hono/html';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { Logger } from 'pino';
import { z } from 'zod/mini';
import { idSchema, requiredTextSchema, type Signature, verifyRecord } from '../../src/domain';
import { nodeFontFiles } from '../../src/export/nodeFontFiles';
import { minuteEntryPdf, undertakingPdf } from '../../src/export/pdf';
import { signatureToSvg } from '../../src/signature/strokes';
import {
  hashPassword,
  newEnrolmentCode,
  normaliseCode,
  PasswordHashingBusy,
  randomToken,
  sha256,
  verifyPassword,
} from '../auth';
import { type HandOverRefusal, handOver, openMeetingsOf } from '../custody';
import type { CustodyTransferTable, Database, SyncGapTable } from '../db/schema';
import { type Limits, limiters } from '../limits';
import { minuteOf } from '../records';
import { errorLine, loginForm, page, setupForm } from './views';

const SESSION_HOURS = 8;
const CODE_HOURS = 24;
const SESSION_COOKIE = 'ck_admin';
const MEETING_ID = /^[0-9a-f-]{36}$/;
const DEVICE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const MAX_FORM_BYTES = 16 * 1024;
/** Who an admin action is recorded as: the admin area has one account today. */
const ADMIN_NAME = 'admin';
/** A tablet's time further than this from when the service received the event is shown as a warning. */
export const CLOCK_SKEW_WARNING_MS = 10 * 60_000;

const HAND_OVER_REFUSAL: Record<HandOverRefusal, string> = {
  'no-such-meeting': 'No events of this meeting are held.',
  'no-such-device': 'There is no such device.',
  'device-revoked': 'That device has been revoked: choose an enrolled one.',
  'already-writer': 'That device already writes this meeting.',
  'meeting-closed': 'The meeting is closed: it takes no more events, so there is nothing to hand over.',
};

export interface AdminDeps {
  db: Kysely<Database>;
  logger: Logger;
  isLocal: (c: Context) => boolean;
  now: () => Date;
  clientAddress: (c: Context) => string;
  limits: Limits;
}

const isHttps = (c: Context): boolean =>
  new URL(c.req.url).protocol === 'https:' || c.req.header('X-Forwarded-Proto') === 'https';

/** Cross-site form posts are refused (besides SameSite=Strict): a browser says where a request comes from. */
function isSameOrigin(c: Context): boolean {
  // Sec-Fetch-Site is set by the browser and cannot be set by a page, so where it is present it decides.
  // (Origin is "null" on a same-origin form post under Referrer-Policy: no-referrer, so it cannot.)
  const site = c.req.header('Sec-Fetch-Site');
  if (site) return site === 'same-origin' || site === 'none';
  const origin = c.req.header('Origin');
  return !origin || origin === new URL(c.req.url).origin;
}

async function formOf(c: Context): Promise<Record<string, string>> {
  const length = Number(c.req.header('Content-Length') ?? '0');
  if (length > MAX_FORM_BYTES) return {};
  try {
    const body = await c.req.parseBody();
    return Object.fromEntries(
      Object.entries(body).filter((e): e is [string, string] => typeof e[1] === 'string'),
    );
  } catch {
    return {};
  }
}

const fmt = (d: Date | string | null): string =>
  d ? `${new Date(d).toISOString().replace('T', ' ').slice(0, 16)} UTC` : '—';

export function adminRoutes(deps: AdminDeps): Hono {
  const { db, logger, now } = deps;
  const admin = new Hono();

  const hasAdmin = async () => (await db.selectFrom('admin').select('id').executeTakeFirst()) !== undefined;

  async function isSignedIn(c: Context): Promise<boolean> {
    const id = getCookie(c, SESSION_COOKIE);
    if (!id || id.length > 128) return false;
    const row = await db
      .selectFrom('admin_sessions')
      .select('id_hash')
      .where('id_hash', '=', sha256(id))
      .where('expires_at', '>', now())
      .executeTakeFirst();
    return row !== undefined;
  }

  async function startSession(c: Context) {
    const id = randomToken(32);
    await db
      .insertInto('admin_sessions')
      .values({ id_hash: sha256(id), expires_at: new Date(now().getTime() + SESSION_HOURS * 3_600_000) })
      .execute();
    setCookie(c, SESSION_COOKIE, id, {
      httpOnly: true,
      secure: isHttps(c),
      sameSite: 'Strict',
      path: '/admin',
      maxAge: SESSION_HOURS * 3600,
    });
  }

  admin.use('*', async (c, next) => {
    c.header('Cache-Control', 'no-store');
    if (c.req.method === 'POST' && !isSameOrigin(c)) return c.text('Cross-site request refused.', 403);
    const path = c.req.path;
    if (path === '/admin' || path === '/admin/' || path === '/admin/login' || path === '/admin/setup')
      return next();
    if (!(await isSignedIn(c))) {
      if (c.req.method === 'GET') return c.redirect('/admin', 303);
      return c.text('Sign in first.', 401);
    }
    return next();
  });

  // Sign-in and set-up: failed attempts are limited per client and, for sign-in, for the account.
  const tooMany = (title: string) => (c: Context, seconds: number) =>
    c.html(
      page(
        title,
        html`<p class="error" role="alert">Too many failed attempts. Try again in ${Math.ceil(seconds / 60)} minute(s).</p>`,
      ),
      429,
    );
  const perClient = (door: string) => (c: Context) => `${door}:${deps.clientAddress(c)}`;
  for (const limit of [
    ...limiters(deps.limits.signInPerClient, perClient('login'), tooMany('Sign in')),
    // One admin account today: every client's failures count against it.
    ...limiters(deps.limits.signInPerAccount, () => 'login:account:admin', tooMany('Sign in')),
  ])
    admin.use('/login', limit);
  for (const limit of limiters(
    deps.limits.signInPerClient,
    perClient('setup'),
    tooMany('Set up the admin password'),
  ))
    admin.use('/setup', limit);

  admin.get('/', async (c) => {
    if (!(await hasAdmin()))
      return c.html(page('Set up the admin password', setupForm(null, deps.isLocal(c))));
    if (!(await isSignedIn(c))) return c.html(page('Sign in', loginForm(null)));
    return c.html(page('Meetings', await meetingsList(db), { signedIn: true }));
  });

  admin.post('/setup', async (c) => {
    if (!deps.isLocal(c)) return c.html(page('Set up the admin password', setupForm(null, false)), 403);
    const form = await formOf(c);
    const password = form.password ?? '';
    if (password.length < 12 || password.length > 1024) {
      return c.html(page('Set up the admin password', setupForm('Use at least 12 characters.', true)), 400);
    }
    if (password !== form.confirm) {
      return c.html(page('Set up the admin password', setupForm('The two passwords differ.', true)), 400);
    }
    const passwordHash = await hashPassword(password).catch((error: unknown) => {
      if (error instanceof PasswordHashingBusy) return null;
      throw error;
    });
    if (passwordHash === null) {
      c.header('Retry-After', '1');
      return c.html(
        page('Set up the admin password', setupForm('The service is busy. Try again in a moment.', true)),
        429,
      );
    }
    const created = await db
      .insertInto('admin')
      .values({ id: 1, password_hash: passwordHash })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    if (Number(created.numInsertedOrUpdatedRows ?? 0) === 0) {
      return c.html(page('Sign in', loginForm('A password has already been set.')), 409);
    }
    logger.info('admin password set from this machine');
    await startSession(c);
    return c.redirect('/admin', 303);
  });

  admin.post('/login', async (c) => {
    const form = await formOf(c);
    const row = await db.selectFrom('admin').select('password_hash').executeTakeFirst();
    const password = form.password ?? '';
    let ok: boolean;
    try {
      ok =
        row !== undefined && password.length <= 1024 && (await verifyPassword(password, row.password_hash));
    } catch (error) {
      if (!(error instanceof PasswordHashingBusy)) throw error;
      c.header('Retry-After', '1');
      return c.html(page('Sign in', loginForm('The service is busy. Try again in a moment.')), 429);
    }
    if (!ok) {
      logger.warn('admin sign-in failed');
      return c.html(page('Sign in', loginForm('That password is not right.')), 401);
    }
    await startSession(c);
    return c.redirect('/admin', 303);
  });

  admin.post('/logout', async (c) => {
    const id = getCookie(c, SESSION_COOKIE);
    if (id) await db.deleteFrom('admin_sessions').where('id_hash', '=', sha256(id)).execute();
    deleteCookie(c, SESSION_COOKIE, { path: '/admin', secure: isHttps(c) });
    return c.redirect('/admin', 303);
  });

  admin.get('/meetings/:id', async (c) => {
    const id = c.req.param('id');
    if (!MEETING_ID.test(id)) return c.notFound();
    const body = await meetingPage(db, id);
    if (!body)
      return c.html(
        page('Meeting not found', html`<p>No events of this meeting are held.</p>`, { signedIn: true }),
        404,
      );
    return c.html(page(body.title, body.html, { signedIn: true }));
  });

  admin.get('/meetings/:id/minute.txt', async (c) => {
    const id = c.req.param('id');
    const minute = MEETING_ID.test(id) ? await minuteOf(db, id) : null;
    if (!minute) return c.notFound();
    c.header('Content-Disposition', `attachment; filename="minute-${id}.txt"`);
    return c.text(minute.text);
  });

  admin.get('/meetings/:id/minute.json', async (c) => {
    const id = c.req.param('id');
    const minute = MEETING_ID.test(id) ? await minuteOf(db, id) : null;
    if (!minute) return c.notFound();
    c.header('Content-Disposition', `attachment; filename="minute-${id}.json"`);
    return c.json(minute.entry);
  });

  // Issue 6: the same projection as the text and JSON, drawn as PDF by the tablet's own document code.
  admin.get('/meetings/:id/:doc{(minute|undertaking)\\.pdf}', async (c) => {
    const id = c.req.param('id');
    const minute = MEETING_ID.test(id) ? await minuteOf(db, id) : null;
    if (!minute) return c.notFound();
    const entry = minute.entry;
    const isUndertaking = c.req.param('doc') === 'undertaking.pdf';
    if (isUndertaking && !entry.undertaking) return c.notFound();
    // Every script: the service reads the font files from the installed font packages.
    const options = { fonts: nodeFontFiles };
    const bytes = isUndertaking ? await undertakingPdf(entry, options) : await minuteEntryPdf(entry, options);
    c.header('Content-Type', 'application/pdf');
    c.header(
      'Content-Disposition',
      `attachment; filename="${isUndertaking ? 'undertaking' : 'minute'}-${id}.pdf"`,
    );
    return c.body(bytes as Uint8Array<ArrayBuffer>);
  });

  // Issue 6: check a printed minute (meeting id + the head hash at its foot) against the synced log.
  admin.get('/verify', async (c) => {
    const id = (c.req.query('meeting') ?? '').trim().toLowerCase();
    const hash = (c.req.query('hash') ?? '').trim().toLowerCase();
    const form = html`<form method="get" action="/admin/verify" class="stack">
<label for="v-meeting">Meeting id</label><input id="v-meeting" name="meeting" value="${id}" required>
<label for="v-hash">Head hash printed on the minute entry</label><input id="v-hash" name="hash" value="${hash}" required>
<button type="submit">Verify</button></form>`;
    if (!id && !hash) return c.html(page('Verify a record', form, { signedIn: true }));
    let verdict: ReturnType<typeof html>;
    if (!MEETING_ID.test(id) || !/^[0-9a-f]{64}$/.test(hash)) {
      verdict = html`<p class="state-bad" role="alert">The meeting id or the hash is not in the right form: a meeting id is 36 characters, a hash 64.</p>`;
    } else {
      const rows = await db
        .selectFrom('events')
        .select('envelope')
        .where('meeting_id', '=', id)
        .orderBy('seq')
        .execute();
      const result =
        rows.length === 0
          ? null
          : await verifyRecord(
              rows.map((r) => r.envelope),
              hash,
            );
      verdict =
        result === null
          ? html`<p class="state-bad" role="alert">No events of this meeting are held.</p>`
          : result.status === 'matches'
            ? html`<p class="state-ok" role="status">The record matches: the synced log of ${result.eventCount} events is unbroken and ends with this hash.</p>`
            : result.status === 'different-head'
              ? html`<p class="state-bad" role="alert">The record does not match the printed hash. ${
                  result.claimedSeq === null
                    ? 'No event of this meeting has that hash.'
                    : `The printed hash is that of event ${result.claimedSeq}: the minute was made before the last ${result.eventCount - result.claimedSeq} event(s) were recorded.`
                } The synced log ends with ${result.headHash}.</p>`
              : html`<p class="state-bad" role="alert">The synced log is broken at event ${result.error.seq ?? result.error.index + 1} (id ${result.error.eventId ?? 'unknown'}): ${result.error.message}</p>`;
    }
    return c.html(page('Verify a record', html`${verdict}${form}`, { signedIn: true }));
  });

  admin.get('/meetings/:id/events.json', async (c) => {
    const id = c.req.param('id');
    if (!MEETING_ID.test(id)) return c.notFound();
    const rows = await db
      .selectFrom('events')
      .select('envelope')
      .where('meeting_id', '=', id)
      .orderBy('seq')
      .execute();
    if (rows.length === 0) return c.notFound();
    c.header('Content-Disposition', `attachment; filename="events-${id}.json"`);
    return c.json(rows.map((r) => r.envelope));
  });

  admin.get('/devices', async (c) =>
    c.html(page('Devices and enrolment codes', await devicesPage(db, now(), null), { signedIn: true })),
  );

  admin.post('/codes', async (c) => {
    const code = newEnrolmentCode();
    const normal = normaliseCode(code);
    await db
      .insertInto('enrolment_codes')
      .values({
        code_hash: sha256(normal),
        hint: normal.slice(-4),
        expires_at: new Date(now().getTime() + CODE_HOURS * 3_600_000),
      })
      .execute();
    logger.info('enrolment code created');
    return c.html(
      page('Devices and enrolment codes', await devicesPage(db, now(), code), { signedIn: true }),
      201,
    );
  });

  admin.post('/devices/:id/revoke', async (c) => {
    const id = c.req.param('id');
    if (!DEVICE_ID.test(id)) return c.notFound();
    const result = await db
      .updateTable('devices')
      .set({ revoked_at: now() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    logger.info({ deviceId: id, changed: Number(result.numUpdatedRows) }, 'device revoked');
    return c.redirect('/admin/devices', 303);
  });

  // Custody: the meeting's log is handed to another enrolled device (e.g. a replacement tablet); from then on
  // only that device may append to it. Recorded, with who did it and why, in custody_transfers.
  admin.post('/meetings/:id/hand-over', async (c) => {
    const id = c.req.param('id');
    if (!MEETING_ID.test(id)) return c.notFound();
    const form = await formOf(c);
    const to = idSchema.safeParse(form.device ?? '');
    const reason = requiredTextSchema.check(z.maxLength(500)).safeParse(form.reason ?? '');
    const fail = async (message: string, status: 400 | 404 | 409) => {
      const body = await meetingPage(db, id, message);
      if (!body) return c.notFound();
      return c.html(page(body.title, body.html, { signedIn: true }), status);
    };
    if (!to.success) return fail('Choose the device to hand the meeting over to.', 400);
    if (!reason.success) return fail('Say why the meeting is handed over (one or more words).', 400);
    const result = await db
      .transaction()
      .execute((trx) =>
        handOver(trx, { meetingId: id, toDeviceId: to.data, byAdmin: ADMIN_NAME, reason: reason.data }),
      );
    if (!result.ok)
      return fail(HAND_OVER_REFUSAL[result.refusal], result.refusal === 'no-such-meeting' ? 404 : 409);
    logger.info(
      { meetingId: id, fromDeviceId: result.fromDeviceId, toDeviceId: to.data, fromSeq: result.fromSeq },
      'meeting handed over',
    );
    return c.redirect(`/admin/meetings/${id}`, 303);
  });

  // A tablet replaced by another: the old one is revoked, and every open meeting it writes is handed to the
  // new one, in one transaction. (A new enrolment code never takes over a device: this is the only way.)
  admin.post('/devices/:id/replace', async (c) => {
    const id = c.req.param('id');
    if (!DEVICE_ID.test(id)) return c.notFound();
    const form = await formOf(c);
    const to = idSchema.safeParse(form.replacement ?? '');
    const fail = async (message: string, status: 400 | 404 | 409) =>
      c.html(
        page('Devices and enrolment codes', await devicesPage(db, now(), null, message), { signedIn: true }),
        status,
      );
    if (!to.success || to.data === id) return fail('Choose the tablet that replaces this one.', 400);
    const outcome = await db.transaction().execute(async (trx) => {
      const replaced = await trx.selectFrom('devices').select('id').where('id', '=', id).executeTakeFirst();
      if (!replaced) return { ok: false as const, refusal: 'no-such-device' as const };
      const replacement = await trx
        .selectFrom('devices')
        .select(['id', 'revoked_at'])
        .where('id', '=', to.data)
        .executeTakeFirst();
      if (!replacement) return { ok: false as const, refusal: 'no-such-device' as const };
      if (replacement.revoked_at) return { ok: false as const, refusal: 'device-revoked' as const };
      await trx
        .updateTable('devices')
        .set({ revoked_at: now() })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .execute();
      const meetings = await openMeetingsOf(trx, id);
      for (const meetingId of meetings) {
        const result = await handOver(trx, {
          meetingId,
          toDeviceId: to.data,
          byAdmin: ADMIN_NAME,
          reason: `The tablet ${id} was replaced by ${to.data}.`,
        });
        if (!result.ok) throw new Error(`hand-over of an open meeting refused: ${result.refusal}`);
      }
      return { ok: true as const, meetings: meetings.length };
    });
    if (!outcome.ok) return fail(HAND_OVER_REFUSAL[outcome.refusal], 409);
    logger.info({ deviceId: id, replacementId: to.data, meetings: outcome.meetings }, 'device replaced');
    return c.redirect('/admin/devices', 303);
  });

  admin.all('*', (c) => c.text('Not found.', 404));
  return admin;
}

interface MeetingRow {
  id: string;
  title: string;
  scheduled_at: string;
  phase: string;
  is_closed: boolean;
  head_seq: number;
  last_at: string | null;
  updated_at: Date | null;
  gaps: number;
}

/**
 * Gaps still open, worked out from what is held: a report by the meeting's writer (or a device whose events
 * it holds) of an event number beyond events the service does not hold yet. Filled, it is no gap.
 */
const openGap = sql`g.received_seq - 1 > m.head_seq and (g.device_id = m.writer_device_id
  or exists (select 1 from events e where e.meeting_id = g.meeting_id and e.device_id = g.device_id))`;

async function listMeetings(db: Kysely<Database>): Promise<MeetingRow[]> {
  const result = await sql<MeetingRow>`
    select m.id, m.title, m.scheduled_at, m.phase, m.is_closed, m.head_seq, m.last_at, m.updated_at,
      (select count(*)::int from sync_gaps g where g.meeting_id = m.id and ${openGap}) as gaps
    from meetings m where m.head_seq > 0
    order by m.updated_at desc nulls last`.execute(db);
  return result.rows;
}

/** Complete: closed and no gap. Otherwise say what is missing. */
function syncState(m: Pick<MeetingRow, 'is_closed' | 'gaps' | 'head_seq'> & { phase?: string }) {
  if (m.gaps > 0) return html`<span class="state-bad">Incomplete: a tablet reported missing events</span>`;
  if (m.phase === 'discarded') return html`<span class="state-ok">Discarded: opened in error</span>`;
  if (!m.is_closed) return html`<span class="state-warn">Incomplete: not closed yet</span>`;
  return html`<span class="state-ok">Complete</span>`;
}

async function meetingsList(db: Kysely<Database>) {
  const meetings = await listMeetings(db);
  if (meetings.length === 0) return html`<p>No meeting has been synced yet.</p>`;
  return html`<table>
<caption>Meetings synced from the tablets, most recent first</caption>
<thead><tr><th scope="col">Meeting</th><th scope="col">Scheduled</th><th scope="col">Stage</th><th scope="col">Events held</th><th scope="col">Last synced</th><th scope="col">Sync state</th></tr></thead>
<tbody>
${meetings.map(
  (m) => html`<tr>
<td><a href="/admin/meetings/${m.id}">${m.title || `Meeting ${m.id.slice(0, 8)}`}</a></td>
<td>${m.scheduled_at ? fmt(m.scheduled_at) : '—'}</td>
<td>${m.phase || '—'}</td>
<td>${m.head_seq}</td>
<td>${fmt(m.updated_at)}</td>
<td>${syncState(m)}</td>
</tr>`,
)}
</tbody></table>`;
}

async function meetingPage(db: Kysely<Database>, id: string, error: string | null = null) {
  const meeting = await db.selectFrom('meetings').selectAll().where('id', '=', id).executeTakeFirst();
  if (!meeting || meeting.head_seq === 0) return null;
  const { rows: gaps } = await sql<Selectable<SyncGapTable>>`
    select g.* from sync_gaps g join meetings m on m.id = g.meeting_id
    where g.meeting_id = ${id} and ${openGap} order by g.reported_at`.execute(db);
  const transfers = await db
    .selectFrom('custody_transfers')
    .selectAll()
    .where('meeting_id', '=', id)
    .orderBy('id')
    .execute();
  const candidates = await db
    .selectFrom('devices')
    .select(['id', 'label'])
    .where('revoked_at', 'is', null)
    .where('id', '!=', meeting.writer_device_id ?? '')
    .orderBy('label')
    .execute();
  const minute = await minuteOf(db, id);
  const undertakings = await db
    .selectFrom('undertakings')
    .selectAll()
    .where('meeting_id', '=', id)
    .orderBy('signed_at')
    .execute();
  const events = await db
    .selectFrom('events')
    .select(['seq', 'type', 'at', 'device_id', 'hash', 'received_at', 'sent_at'])
    .where('meeting_id', '=', id)
    .orderBy('seq')
    .execute();
  const ranges = await sql<{ device_id: string; first: number; last: number; n: number }>`
    select device_id, min(seq)::int as first, max(seq)::int as last, count(*)::int as n
    from events where meeting_id = ${id} group by device_id order by min(seq)`.execute(db);
  const entry = minute?.entry;
  const title = entry?.meeting.title || `Meeting ${id.slice(0, 8)}`;
  const state = syncState({
    is_closed: meeting.is_closed,
    gaps: gaps.length,
    head_seq: meeting.head_seq,
    phase: meeting.phase,
  });
  const skew = clockSkew(events);

  const body = html`
${errorLine(error)}
<p>Meeting id <code>${id}</code>. ${state}</p>
${skewWarning(skew)}
<h2>Sync</h2>
<p>${meeting.head_seq} events held; head hash <code>${meeting.head_hash}</code>.</p>
<ul>${ranges.rows.map((r) => html`<li>Device <code>${r.device_id}</code>: events ${r.first} to ${r.last} (${r.n} held)</li>`)}</ul>
${
  gaps.length > 0
    ? html`<p class="state-bad">Missing events reported:</p><ul>${gaps.map(
        (g) =>
          html`<li>Device <code>${g.device_id}</code> sent event ${g.received_seq} when event ${g.expected_seq} was expected (${g.times} time(s), last ${fmt(g.reported_at)}). Events ${g.expected_seq} to ${g.received_seq - 1} were never received: the tablet's data may have been cleared before it synced.</li>`,
      )}</ul>`
    : ''
}
${custodySection(id, meeting, transfers, candidates)}
${
  minute
    ? html`<h2>Minute entry</h2>
<p><a class="button" href="/admin/meetings/${id}/minute.txt">Download the minute entry as text</a>
<a class="button" href="/admin/meetings/${id}/minute.json">Download the minute entry as JSON</a>
<a class="button" href="/admin/meetings/${id}/minute.pdf">Download the minute entry as PDF</a>
<a class="button" href="/admin/meetings/${id}/undertaking.pdf">Download the signed undertaking as PDF</a>
<a class="button" href="/admin/verify?meeting=${id}">Verify a printed record</a>
<a class="button" href="/admin/meetings/${id}/events.json">Download the event log (JSON)</a></p>
<pre>${minute.text}</pre>`
    : ''
}
<h2>Undertakings</h2>
${
  undertakings.length === 0
    ? html`<p>No undertaking has been signed in this meeting.</p>`
    : undertakings.map(
        (u) => html`<figure>
${raw(signatureToSvg(u.signature as Signature, { title: `Signature of ${u.signer_name}` }).replace('<svg ', '<svg class="sig" '))}
<figcaption>${u.signer_name} signed the undertaking (text ${u.text_version}, SHA-256 <code>${u.text_sha256.slice(0, 16)}…</code>) at ${u.signed_at} on device <code>${u.device_id}</code>.</figcaption>
</figure>`,
      )
}
<h2>Events</h2>
<table><caption>The meeting's log, in order</caption>
<thead><tr><th scope="col">No.</th><th scope="col">Time</th><th scope="col">Event</th><th scope="col">Device</th><th scope="col">Hash</th><th scope="col">Received</th></tr></thead>
<tbody>${events.map(
    (e) =>
      html`<tr><td>${e.seq}</td><td>${e.at}${skew.flagged.has(e.seq) ? html` <span class="state-warn">(far from receipt)</span>` : ''}</td><td>${e.type}</td><td><code>${e.device_id}</code></td><td><code>${e.hash.slice(0, 12)}…</code></td><td>${fmt(e.received_at)}</td></tr>`,
  )}</tbody></table>`;
  return { title, html: body };
}

interface Skew {
  /** The most the tablet's clock was ahead of the service's, in ms (0 when never past the limit). */
  aheadMs: number;
  /** The most the tablet's clock was behind, as it said when sending (0 when never past the limit). */
  behindMs: number;
  /** The most events were received after their times where the tablet did not say its clock (late, or behind). */
  lateMs: number;
  flagged: Set<number>;
}

/**
 * How far the tablet's clock was from the service's. An event received before its own time shows a clock
 * ahead; the tablet's clock as it sent the batch (sent_at) shows it ahead or behind. An event received long
 * after its time, from a tablet that did not say its clock, was synced late or dated by a clock behind.
 */
function clockSkew(
  events: readonly { seq: number; at: string; received_at: Date | string; sent_at: string | null }[],
): Skew {
  const skew: Skew = { aheadMs: 0, behindMs: 0, lateMs: 0, flagged: new Set() };
  const limit = CLOCK_SKEW_WARNING_MS;
  for (const e of events) {
    const received = new Date(e.received_at).getTime();
    const dated = Date.parse(e.at) - received;
    const sent = e.sent_at === null ? null : Date.parse(e.sent_at) - received;
    const ahead = Math.max(dated, sent ?? 0);
    const behind = sent === null ? 0 : -sent;
    const late = sent === null ? -dated : 0;
    if (ahead > limit) skew.aheadMs = Math.max(skew.aheadMs, ahead);
    if (behind > limit) skew.behindMs = Math.max(skew.behindMs, behind);
    if (late > limit) skew.lateMs = Math.max(skew.lateMs, late);
    if (ahead > limit || behind > limit || late > limit) skew.flagged.add(e.seq);
  }
  return skew;
}

function duration(ms: number): string {
  const minutes = Math.round(ms / 60_000);
  if (minutes < 120) return `${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours} hours`;
  return `${Math.round(hours / 24)} days`;
}

function skewWarning(skew: Skew) {
  if (skew.flagged.size === 0) return '';
  return html`<div class="state-warn" role="status"><p><strong>Clock warning.</strong> The tablet's times are far from when this service received the events, so the times in this record may be wrong.</p><ul>${
    skew.aheadMs > 0 ? html`<li>The tablet's clock was ahead by up to ${duration(skew.aheadMs)}.</li>` : ''
  }${
    skew.behindMs > 0 ? html`<li>The tablet's clock was behind by up to ${duration(skew.behindMs)}.</li>` : ''
  }${
    skew.lateMs > 0
      ? html`<li>Events were received up to ${duration(skew.lateMs)} after their times: the tablet synced late, or its clock was behind.</li>`
      : ''
  }</ul></div>`;
}

function custodySection(
  id: string,
  meeting: { writer_device_id: string | null; is_closed: boolean },
  transfers: readonly Selectable<CustodyTransferTable>[],
  candidates: readonly { id: string; label: string }[],
) {
  return html`<h2>Writer</h2>
<p>Only device <code>${meeting.writer_device_id ?? '—'}</code> may add events to this meeting's record.</p>
${
  transfers.length > 0
    ? html`<ul>${transfers.map(
        (t) =>
          html`<li>${fmt(t.at)}: handed over by ${t.by_admin} from device <code>${t.from_device_id}</code> to <code>${t.to_device_id}</code>, from event ${t.from_seq} on. Reason: ${t.reason}</li>`,
      )}</ul>`
    : ''
}
${
  meeting.is_closed || candidates.length === 0
    ? ''
    : html`<form method="post" action="/admin/meetings/${id}/hand-over" class="stack">
<label for="h-device">Hand the meeting over to</label>
<select id="h-device" name="device" required>${candidates.map((d) => html`<option value="${d.id}">${d.label} (${d.id})</option>`)}</select>
<label for="h-reason">Why</label><input id="h-reason" name="reason" required maxlength="500">
<p><button type="submit">Hand over</button></p></form>`
}`;
}

/**
 * Replacing a tablet (lost, broken): the admin names the enrolled tablet that takes over; the old one is
 * revoked and its open meetings are handed over to the new one.
 */
function replaceForm(
  device: { id: string; label: string },
  active: readonly { id: string; label: string }[],
) {
  const others = active.filter((a) => a.id !== device.id);
  if (others.length === 0) return '—';
  return html`<form method="post" action="/admin/devices/${device.id}/replace">
<label for="r-${device.id}">Replaced by</label>
<select id="r-${device.id}" name="replacement" required>${others.map((o) => html`<option value="${o.id}">${o.label} (${o.id})</option>`)}</select>
<button type="submit" class="secondary" aria-label="Replace ${device.label} (${device.id}) by the chosen tablet">Replace</button></form>`;
}

async function devicesPage(
  db: Kysely<Database>,
  now: Date,
  newCode: string | null,
  error: string | null = null,
) {
  const devices = await db.selectFrom('devices').selectAll().orderBy('created_at', 'desc').execute();
  const codes = await db
    .selectFrom('enrolment_codes')
    .selectAll()
    .orderBy('created_at', 'desc')
    .limit(50)
    .execute();
  const active = devices.filter((d) => !d.revoked_at);
  return html`${errorLine(error)}
${
  newCode
    ? html`<section aria-labelledby="new-code"><h2 id="new-code">New enrolment code</h2>
<p>Enter this code in the tablet's settings within ${CODE_HOURS} hours. It works once and is not shown again.</p>
<p class="code" role="status">${newCode}</p></section>`
    : ''
}
<h2>Enrol a tablet</h2>
<form method="post" action="/admin/codes"><button type="submit">Create an enrolment code</button></form>
<h2>Devices</h2>
${
  devices.length === 0
    ? html`<p>No tablet has been enrolled yet.</p>`
    : html`<table><caption>Enrolled tablets</caption>
<thead><tr><th scope="col">Label</th><th scope="col">Device id</th><th scope="col">Enrolled</th><th scope="col">Last sync</th><th scope="col">State</th><th scope="col">Replace</th></tr></thead>
<tbody>${devices.map(
        (
          d,
        ) => html`<tr><td>${d.label}</td><td><code>${d.id}</code></td><td>${fmt(d.created_at)}</td><td>${fmt(d.last_seen_at)}</td>
<td>${
          d.revoked_at
            ? html`Revoked ${fmt(d.revoked_at)}`
            : html`<form method="post" action="/admin/devices/${d.id}/revoke"><button type="submit" class="secondary" aria-label="Revoke ${d.label} (${d.id})">Revoke</button></form>`
        }</td>
<td>${replaceForm(d, active)}</td></tr>`,
      )}</tbody></table>`
}
<h2>Enrolment codes</h2>
${
  codes.length === 0
    ? html`<p>No code has been created.</p>`
    : html`<table><caption>Codes (only their last characters are kept)</caption>
<thead><tr><th scope="col">Ends in</th><th scope="col">Created</th><th scope="col">State</th></tr></thead>
<tbody>${codes.map(
        (k) =>
          html`<tr><td><code>…${k.hint}</code></td><td>${fmt(k.created_at)}</td><td>${
            k.used_at
              ? html`Used ${fmt(k.used_at)} by <code>${k.device_id ?? ''}</code>`
              : new Date(k.expires_at) <= now
                ? 'Expired'
                : html`Unused, expires ${fmt(k.expires_at)}`
          }</td></tr>`,
      )}</tbody></table>`
}`;
}
