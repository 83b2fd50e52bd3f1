/**
 * Meetings: the list and a meeting's page (every role), its exports and the verification of a printed record
 * (records officers and administrators), and the hand-over of its log to another device (administrators).
 * Every view and export of a meeting's personal data is written to the audit trail, with the account.
 */
import { type Context, Hono } from 'hono';
import { html } from 'hono/html';
import { validator } from 'hono/validator';
import { z } from 'zod/mini';
import { verifyRecord } from '../../src/domain';
import { minuteExport } from '../../src/export/json';
import { nodeFontFiles } from '../../src/export/nodeFontFiles';
import { minuteEntryPdf, undertakingPdf } from '../../src/export/pdf';
import { type HandOverRefusal, handOver } from '../custody';
import { minuteOf } from '../records';
import { holdOf } from '../retention';
import { type AdminDeps, type AdminEnv, form, isHttps, MEETING_ID, requires } from './context';
import { parseListQuery } from './listQuery';
import { type AuditAction, audit } from './repo/audit';
import { envelopesOf, listMeetings, loadMeeting, tabletChoices } from './repo/meetings';
import { handOverSchema } from './schemas';
import { page } from './views/layout';
import { meetingsList, meetingView } from './views/meetings';
import { verifyView } from './views/verify';

export const HAND_OVER_REFUSAL: Record<HandOverRefusal, string> = {
  'no-such-meeting': 'No events of this meeting are held.',
  'no-such-device': 'There is no such device.',
  'device-revoked': 'That device has been revoked: choose an enrolled one.',
  'already-writer': 'That device already writes this meeting.',
  'meeting-closed': 'The meeting is closed: it takes no more events, so there is nothing to hand over.',
  'same-device': 'Choose another tablet: a tablet cannot replace itself.',
  'service-device':
    'The records service’s own device cannot be revoked, replaced or handed a meeting, and a meeting prepared here is taken over by a tablet, not handed over.',
};

/** A meeting id in the path, or 404 before anything is read. */
const meetingParam = validator('param', (value: Record<string, string>, c: Context) => {
  const id = value.id ?? '';
  if (!MEETING_ID.test(id)) return c.notFound();
  return { id, doc: value.doc };
});

const verifyQuery = z.object({
  meeting: z.optional(
    z.pipe(
      z.string(),
      z.transform((s) => s.trim().toLowerCase()),
    ),
  ),
  hash: z.optional(
    z.pipe(
      z.string(),
      z.transform((s) => s.trim().toLowerCase()),
    ),
  ),
});

/**
 * A verification link pasted into either box (a scanned QR code gives the whole link,
 * `…/admin/verify?meeting=…&hash=…`): its meeting id and hash are taken from it.
 */
export function fromLink(q: { meeting?: string; hash?: string }): { meeting?: string; hash?: string } {
  for (const value of [q.meeting, q.hash]) {
    if (!value?.includes('?')) continue;
    const params = new URLSearchParams(value.slice(value.indexOf('?') + 1));
    const meeting = params.get('meeting')?.trim().toLowerCase();
    const hash = params.get('hash')?.trim().toLowerCase();
    if (meeting || hash) return { meeting: meeting ?? q.meeting ?? '', hash: hash ?? q.hash ?? '' };
  }
  return q;
}

export function meetingRoutes(deps: AdminDeps): Hono<AdminEnv> {
  const { db, now } = deps;
  const r = new Hono<AdminEnv>();
  /** Where a printed record is checked: the configured public address, else the one this request came to. */
  // Without VERIFY_BASE_URL, the address the request came to; behind a TLS proxy (trusted), its https form,
  // so that a printed document never names an http:// address.
  const verifyBaseOf = (c: Context) => {
    if (deps.verifyBaseUrl) return deps.verifyBaseUrl;
    const url = new URL(c.req.url);
    if (isHttps(c)) url.protocol = 'https:';
    return url.origin;
  };

  const record = (
    c: Context<AdminEnv>,
    action: AuditAction,
    meetingId: string,
    detail: string | null = null,
  ) => {
    const account = c.get('account');
    return audit(db, { accountId: account.id, username: account.username, action, meetingId, detail }, now());
  };

  r.get('/', requires('read-meetings'), async (c) => {
    const parsed = parseListQuery(c.req.query());
    const tablets = await tabletChoices(db);
    if (!parsed.ok) {
      const empty = { rows: [], older: null, newer: null };
      return c.html(
        page('Meetings', meetingsList(empty, parsed.query, tablets, parsed.message), c.get('account')),
        400,
      );
    }
    const found = await listMeetings(db, parsed.filters);
    return c.html(page('Meetings', meetingsList(found, parsed.query, tablets), c.get('account')));
  });

  r.get('/meetings/:id', requires('read-meetings'), meetingParam, async (c) => {
    const { id } = c.req.valid('param');
    const data = await loadMeeting(db, id);
    if (!data)
      return c.html(
        page('Meeting not found', html`<p>No events of this meeting are held.</p>`, c.get('account')),
        404,
      );
    await record(c, 'meeting.viewed', id);
    const view = meetingView(data, c.get('account'), null, await holdOf(db, id), deps.retention);
    return c.html(page(view.title, view.html, c.get('account')));
  });

  r.get('/meetings/:id/minute.txt', requires('export-records'), meetingParam, async (c) => {
    const { id } = c.req.valid('param');
    const minute = await minuteOf(db, id);
    if (!minute) return c.notFound();
    await record(c, 'minute.txt.exported', id);
    c.header('Content-Disposition', `attachment; filename="minute-${id}.txt"`);
    return c.text(minute.text);
  });

  r.get('/meetings/:id/minute.json', requires('export-records'), meetingParam, async (c) => {
    const { id } = c.req.valid('param');
    const minute = await minuteOf(db, id);
    if (!minute) return c.notFound();
    await record(c, 'minute.json.exported', id);
    c.header('Content-Disposition', `attachment; filename="minute-${id}.json"`);
    // The versioned export (schemaVersion, stable field names; docs/minute-export.schema.json).
    return c.json(minuteExport(minute.entry, { verifyBaseUrl: verifyBaseOf(c) }));
  });

  // The same projection as the text and JSON, drawn as PDF by the tablet's own document code.
  r.get(
    '/meetings/:id/:doc{(minute|undertaking)\\.pdf}',
    requires('export-records'),
    meetingParam,
    async (c) => {
      const { id, doc } = c.req.valid('param');
      const minute = await minuteOf(db, id);
      if (!minute) return c.notFound();
      const entry = minute.entry;
      const isUndertaking = doc === 'undertaking.pdf';
      if (isUndertaking && !entry.undertaking) return c.notFound();
      // Every script: the service reads the font files from the installed font packages.
      const options = { fonts: nodeFontFiles, verifyBaseUrl: verifyBaseOf(c) };
      const bytes = isUndertaking
        ? await undertakingPdf(entry, options)
        : await minuteEntryPdf(entry, options);
      await record(c, isUndertaking ? 'undertaking.pdf.exported' : 'minute.pdf.exported', id);
      c.header('Content-Type', 'application/pdf');
      c.header(
        'Content-Disposition',
        `attachment; filename="${isUndertaking ? 'undertaking' : 'minute'}-${id}.pdf"`,
      );
      return c.body(bytes as Uint8Array<ArrayBuffer>);
    },
  );

  r.get('/meetings/:id/events.json', requires('export-records'), meetingParam, async (c) => {
    const { id } = c.req.valid('param');
    const envelopes = await envelopesOf(db, id);
    if (envelopes.length === 0) return c.notFound();
    await record(c, 'events.json.exported', id);
    c.header('Content-Disposition', `attachment; filename="events-${id}.json"`);
    return c.json(envelopes);
  });

  // Check a printed minute (meeting id + the head hash at its foot) against the synced log.
  r.get(
    '/verify',
    requires('export-records'),
    validator('query', (value) => {
      const parsed = verifyQuery.safeParse(value);
      return parsed.success ? parsed.data : {};
    }),
    async (c) => {
      const { meeting: id = '', hash = '' } = fromLink(c.req.valid('query'));
      const who = c.get('account');
      if (!id && !hash) return c.html(page('Verify a record', verifyView(id, hash, null), who));
      if (!MEETING_ID.test(id) || !/^[0-9a-f]{64}$/.test(hash))
        return c.html(page('Verify a record', verifyView(id, hash, { kind: 'malformed' }), who));
      const envelopes = await envelopesOf(db, id);
      const result = envelopes.length === 0 ? null : await verifyRecord(envelopes, hash);
      await record(c, 'record.verified', id, result === null ? 'no events held' : result.status);
      return c.html(
        page(
          'Verify a record',
          verifyView(id, hash, result === null ? { kind: 'none' } : { kind: 'result', result }),
          who,
        ),
      );
    },
  );

  // Custody: the meeting's log is handed to another enrolled device (e.g. a replacement tablet); from then on
  // only that device may append to it. Recorded, with who did it and why, in custody_transfers.
  r.post(
    '/meetings/:id/hand-over',
    requires('manage-devices'),
    meetingParam,
    form(handOverSchema, async (c, _message, field) => {
      const id = c.req.param('id') ?? '';
      return fail(
        c,
        id,
        field === 'device'
          ? 'Choose the device to hand the meeting over to.'
          : 'Say why the meeting is handed over (one or more words).',
        400,
      );
    }),
    async (c) => {
      const { id } = c.req.valid('param');
      const input = c.req.valid('form');
      const account = c.get('account');
      const result = await db.transaction().execute(async (trx) => {
        const outcome = await handOver(trx, {
          meetingId: id,
          toDeviceId: input.device,
          byAdmin: account.username,
          reason: input.reason,
        });
        if (outcome.ok)
          await audit(
            trx,
            {
              accountId: account.id,
              username: account.username,
              action: 'meeting.handed-over',
              meetingId: id,
              deviceId: input.device,
              detail: `from device ${outcome.fromDeviceId}, from event ${outcome.fromSeq}`,
            },
            now(),
          );
        return outcome;
      });
      if (!result.ok)
        return fail(
          c,
          id,
          HAND_OVER_REFUSAL[result.refusal],
          result.refusal === 'no-such-meeting' ? 404 : 409,
        );
      deps.logger.info(
        {
          meetingId: id,
          fromDeviceId: result.fromDeviceId,
          toDeviceId: input.device,
          fromSeq: result.fromSeq,
        },
        'meeting handed over',
      );
      return c.redirect(`/admin/meetings/${id}`, 303);
    },
  );

  async function fail(c: Context<AdminEnv>, id: string, message: string, status: 400 | 404 | 409) {
    const data = MEETING_ID.test(id) ? await loadMeeting(db, id) : null;
    if (!data) return c.notFound();
    const view = meetingView(data, c.get('account'), message, await holdOf(db, id), deps.retention);
    return c.html(page(view.title, view.html, c.get('account')), status);
  }

  return r;
}
