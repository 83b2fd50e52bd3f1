/**
 * Preparing meetings on the records service (issue 19; administrators and records officers): set up a
 * meeting with its invited attendees, and record an advance request and what followed it (HCS 2.5). Each
 * step is written as domain events by the records service's own device through the sync path (the same
 * machine and rules as on a tablet), dated as the officer entered it; the record never runs backwards, and
 * nothing is changed here once a tablet has taken the meeting over.
 */
import { type Context, Hono } from 'hono';
import { validator } from 'hono/validator';
import { sql } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import {
  type Attendee,
  allowedKinds,
  type DomainEvent,
  eligibilityBasis,
  isoWithOffset,
  MEETING_KINDS,
  type MeetingContext,
  minuteEntry,
  PURPOSE_REASONS,
  type PurposeReason,
  RECORDS_SERVICE_DEVICE_ID,
  ROLES,
  type Role,
  renderMinuteText,
  replay,
} from '../../src/domain';
import { isShippedLanguage, SOURCE_LANGUAGE } from '../../src/domain/languages';
import type { OpenDatabase } from '../db/connect';
import { appendAsService, officeRefusal, preparedRow, type Timed } from '../prepared';
import { loadLog } from '../sync';
import { labelOf } from '../sync/plan';
import { type AdminDeps, type AdminEnv, MEETING_ID, requires } from './context';
import { audit } from './repo/audit';
import { errorLine, page } from './views/layout';
import {
  ATTENDEE_ROWS,
  CHILD_ROWS,
  type PreparedListRow,
  preparedPageView,
  prepareListView,
} from './views/prepare';

const TITLE = 'Prepare a meeting';
const VIAS = ['email', 'telephone', 'letter', 'in-person'] as const;
type Via = (typeof VIAS)[number];

type FormValues = Record<string, string | string[]>;

const text = (f: FormValues, key: string): string => {
  const v = f[key];
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
};
const all = (f: FormValues, key: string): string[] => {
  const v = f[key];
  return Array.isArray(v) ? v : v === undefined ? [] : [v];
};

/** The form as strings only (a file or anything else is refused before a handler reads it). */
const formValues = validator('form', (value, c: Context) => {
  const out: FormValues = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string') out[k] = v;
    else if (Array.isArray(v) && v.every((x) => typeof x === 'string')) out[k] = v as string[];
    else return c.text('Not accepted.', 400);
  }
  return out;
});

const meetingParam = validator('param', (value: Record<string, string>, c: Context) => {
  const id = value.id ?? '';
  if (!MEETING_ID.test(id)) return c.notFound();
  return { id };
});

/** "2026-11-22T15:30" (a datetime-local field, the service's time zone) as isoWithOffset; null if not one. */
function localDateTime(value: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(value);
  if (!m) return null;
  const [, y, mo, d, h, mi] = m.map(Number) as [number, number, number, number, number, number];
  const date = new Date(y, mo - 1, d, h, mi);
  if (date.getFullYear() !== y || date.getMonth() !== mo - 1 || date.getDate() !== d) return null;
  return isoWithOffset(date);
}

const localNow = (now: Date): string => isoWithOffset(now).slice(0, 16);

export function prepareRoutes(deps: AdminDeps & { database: OpenDatabase }): Hono<AdminEnv> {
  const { db, logger, now, database } = deps;
  const r = new Hono<AdminEnv>();
  r.use('/prepare', requires('prepare-meetings'));
  r.use('/prepare/*', requires('prepare-meetings'));

  const tablets = () =>
    db
      .selectFrom('devices')
      .select(['id', 'label'])
      .where('revoked_at', 'is', null)
      .where('id', '<>', RECORDS_SERVICE_DEVICE_ID)
      .orderBy('label')
      .execute();

  const showList = async (c: Context<AdminEnv>, error: string | null, status: 200 | 400 | 422) => {
    const { rows } = await sql<PreparedListRow>`
      select m.id, m.title, m.scheduled_at, m.prepared_for_device_id, c.label as claimed_label, f.label as for_label
      from meetings m left join devices c on c.id = m.claimed_by_device_id
      left join devices f on f.id = m.prepared_for_device_id
      where m.is_prepared and not m.is_closed order by m.scheduled_for, m.id limit 200`.execute(db);
    return c.html(page(TITLE, prepareListView(rows, await tablets(), error), c.get('account')), status);
  };

  const showMeeting = async (c: Context<AdminEnv>, id: string, error: string | null, status: number) => {
    const row = await preparedRow(db, id);
    if (!row?.is_prepared) return c.notFound();
    const log = await loadLog(db, id);
    const replayed = await replay(log, { allowBackwardsTime: true });
    if (!replayed.ok)
      return c.html(page(TITLE, errorLine('This record cannot be read.'), c.get('account')), 409);
    const ctx = replayed.snapshot.context;
    const body = preparedPageView(
      {
        id,
        ctx,
        allowed: allowedKinds(replayed.snapshot),
        caseNote: renderMinuteText(minuteEntry(log)),
        forLabel: row.prepared_for_device_id ? await labelOf(db, row.prepared_for_device_id) : null,
        claimedLabel: row.claimed_by_device_id ? await labelOf(db, row.claimed_by_device_id) : null,
        nowLocal: localNow(now()),
      },
      error,
    );
    return c.html(page(ctx.meeting?.title ?? TITLE, body, c.get('account')), status as 200);
  };

  r.get('/prepare', (c) => showList(c, null, 200));

  r.post('/prepare', formValues, async (c) => {
    const f = c.req.valid('form');
    const kind = text(f, 'kind');
    const profile = text(f, 'profile');
    const at = localDateTime(`${text(f, 'date')}T${text(f, 'time')}`);
    if (!(MEETING_KINDS as readonly string[]).includes(kind))
      return showList(c, 'Choose the kind of meeting.', 400);
    if (profile !== 'hertfordshire' && profile !== 'staffordshire-stoke')
      return showList(c, 'Choose the policy.', 400);
    if (!at) return showList(c, 'Enter the date and the time of the meeting.', 400);
    if (!text(f, 'title')) return showList(c, 'Enter the title of the meeting.', 400);
    const deviceId = text(f, 'device');
    if (deviceId && !(await tablets()).some((t) => t.id === deviceId))
      return showList(c, 'Choose an enrolled tablet, or any tablet.', 400);
    const children = Array.from({ length: CHILD_ROWS }, (_, j) => text(f, `child${j}`))
      .map((name, j) => ({ id: `child-${j + 1}`, name, j }))
      .filter((ch) => ch.name !== '');
    if (children.length === 0) return showList(c, 'Enter the name of at least one subject child.', 400);
    const attendees: Attendee[] = [];
    for (let i = 0; i < ATTENDEE_ROWS; i++) {
      const name = text(f, `a${i}-name`);
      if (!name) continue;
      const role = text(f, `a${i}-role`);
      if (!(ROLES as readonly string[]).includes(role))
        return showList(c, `Choose a role for attendee ${i + 1}.`, 400);
      const agency = text(f, `a${i}-agency`);
      // The language of their own screens (issue 18), from the languages the tablet ships; English if none.
      const language = text(f, `a${i}-language`) || SOURCE_LANGUAGE;
      if (!isShippedLanguage(language))
        return showList(c, `Choose a language the tablet has screens in for attendee ${i + 1}.`, 400);
      const pr = Object.fromEntries(
        children.filter((ch) => text(f, `a${i}-pr${ch.j}`) === 'yes').map((ch) => [ch.id, true]),
      );
      attendees.push({
        id: `invited-${i + 1}`,
        name,
        role: role as Role,
        ...(agency ? { agency } : {}),
        ...(language !== SOURCE_LANGUAGE ? { language } : {}),
        ...(Object.keys(pr).length > 0 ? { parentalResponsibility: pr } : {}),
      });
    }
    if (attendees.length === 0) return showList(c, 'Enter at least one invited attendee.', 400);
    const stamp = isoWithOffset(now());
    const events: Timed[] = [
      {
        at: stamp,
        event: {
          type: 'meeting.opened',
          payload: {
            meeting: {
              kind: kind as never,
              title: text(f, 'title'),
              scheduledAt: at,
              place: text(f, 'place'),
            },
            profileId: profile,
            subjectChildren: children.map(({ id, name }) => ({ id, name })),
          },
        },
      },
      ...attendees.map(
        (attendee): Timed => ({
          at: stamp,
          event: { type: 'attendee.added', payload: { attendee, isAbsent: true } },
        }),
      ),
    ];
    const meetingId = uuidv7();
    const account = c.get('account');
    const result = await appendAsService(database, meetingId, events, now, async (trx) => {
      await trx
        .updateTable('meetings')
        .set({ prepared_for_device_id: deviceId || null })
        .where('id', '=', meetingId)
        .execute();
      await audit(
        trx,
        {
          accountId: account.id,
          username: account.username,
          action: 'meeting.prepared',
          meetingId,
          deviceId: deviceId || null,
          detail: `${attendees.length} invited attendee(s)`,
        },
        now(),
      );
    });
    if (!result.ok) return showList(c, plainRefusal(result.message), 422);
    logger.info({ meetingId }, 'meeting prepared');
    return c.redirect(`/admin/prepare/${meetingId}`, 303);
  });

  r.get('/prepare/:id', meetingParam, (c) => showMeeting(c, c.req.valid('param').id, null, 200));

  /** One step of the advance request: its events (or a plain refusal), dated as the officer entered it. */
  const step = (
    name: string,
    build: (f: FormValues, at: string, ctx: MeetingContext) => DomainEvent[] | string,
  ) =>
    r.post(`/prepare/:id/${name}`, meetingParam, formValues, async (c) => {
      const { id } = c.req.valid('param');
      const row = await preparedRow(db, id);
      if (!row?.is_prepared) return c.notFound();
      const refusal = await officeRefusal(db, row);
      if (refusal) return showMeeting(c, id, refusal, 409);
      const f = c.req.valid('form');
      const at = localDateTime(text(f, 'at'));
      if (!at) return showMeeting(c, id, 'Enter the date and time it happened.', 400);
      if (Date.parse(at) > now().getTime() + 60_000)
        return showMeeting(c, id, 'That time is still to come: record what has already happened.', 400);
      const held = await replay(await loadLog(db, id), { allowBackwardsTime: true });
      if (!held.ok) return showMeeting(c, id, 'This record cannot be read.', 409);
      const built = build(f, at, held.snapshot.context);
      if (typeof built === 'string') return showMeeting(c, id, built, 400);
      // The request is recorded now; when it was received is in the request itself.
      const stamp = name === 'request' ? isoWithOffset(now()) : at;
      const account = c.get('account');
      const result = await appendAsService(
        database,
        id,
        built.map((event) => ({ event, at: stamp })),
        now,
        (trx) =>
          audit(
            trx,
            {
              accountId: account.id,
              username: account.username,
              action: 'prepared.changed',
              meetingId: id,
              detail: built.map((e) => e.type).join(', '),
            },
            now(),
          ),
      );
      if (!result.ok) return showMeeting(c, id, plainRefusal(result.message), result.status);
      logger.info({ meetingId: id, step: name }, 'prepared meeting changed');
      return c.redirect(`/admin/prepare/${id}`, 303);
    });

  step('request', (f, at) => {
    const via = text(f, 'via');
    if (!(VIAS as readonly string[]).includes(via)) return 'Choose how the request was received.';
    const reasons = all(f, 'reason').filter((x): x is PurposeReason =>
      (PURPOSE_REASONS as readonly string[]).includes(x),
    );
    return [
      {
        type: 'request.made',
        payload: {
          request: {
            requesterId: text(f, 'requester'),
            reasons,
            purpose: text(f, 'purpose'),
            timing: 'in-advance',
            receivedVia: via as Via,
            receivedAt: at,
          },
        },
      },
    ];
  });
  // HCS 2.5: who was told, how and when; each way of telling is its own step (issue 19).
  step('notified', (f) => {
    const via = text(f, 'via');
    if (!(VIAS as readonly string[]).includes(via)) return 'Choose how the attendees were told.';
    const attendeeIds = [...new Set(all(f, 'told'))];
    if (attendeeIds.length === 0) return 'Choose who was told.';
    return [{ type: 'request.attendees-notified', payload: { via: via as Via, attendeeIds } }];
  });
  step('eligibility', (f, _at, ctx) => {
    const decision = text(f, 'decision');
    const reason = text(f, 'reason');
    if (decision === 'confirmed') {
      const basis = ctx.request ? eligibilityBasis(ctx, ctx.request.requesterId) : null;
      if (!basis)
        return 'Under HCS 1.3 only a subject child or a parent with parental responsibility may ask.';
      return [{ type: 'eligibility.confirmed', payload: { basis } }];
    }
    if (decision !== 'refused') return 'Choose whether they may ask.';
    if (!reason) return 'Say why they may not ask.';
    return [{ type: 'eligibility.refused', payload: { reason } }];
  });
  step('confirmed', (f) => {
    const via = text(f, 'via');
    if (!(VIAS as readonly string[]).includes(via)) return 'Choose how the decision was confirmed.';
    return [{ type: 'request.outcome-confirmed', payload: { via: via as Via, note: text(f, 'note') } }];
  });

  return r;
}

/** The machine's and rules' reasons are already plain; a schema's is replaced by a plain one. */
function plainRefusal(message: string): string {
  return /^[A-Z]/.test(message) ? message : `This was not accepted: ${message}`;
}
