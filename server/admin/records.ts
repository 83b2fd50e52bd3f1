/**
 * Retention and subject access from the admin area (issue 16): legal holds on a meeting (administrators),
 * subject access requests (records officers and administrators), and the sealing keys (administrators).
 * Every action is audited; a subject access search is audited with its number of matches, never the name.
 */
import { type Context, Hono } from 'hono';
import { html } from 'hono/html';
import { validator } from 'hono/validator';
import { nodeFontFiles } from '../../src/export/nodeFontFiles';
import { minuteEntryPdf, undertakingPdf } from '../../src/export/pdf';
import { type HoldRefusal, holdOf, liftHold, placeHold } from '../retention';
import { findPerson, subjectAccessBundle } from '../subjectAccess';
import { type AdminDeps, type AdminEnv, form, MEETING_ID, requires } from './context';
import { audit } from './repo/audit';
import { loadMeeting } from './repo/meetings';
import { holdSchema, subjectExportSchema, subjectSearchSchema } from './schemas';
import { page } from './views/layout';
import { meetingView } from './views/meetings';
import { keysView, subjectSearchView } from './views/records';

const HOLD_REFUSAL: Record<HoldRefusal, string> = {
  'no-such-meeting': 'No events of this meeting are held.',
  'already-held': 'A legal hold is already in place on this meeting.',
  'not-held': 'There is no legal hold on this meeting to lift.',
};

const SUBJECT_TITLE = 'Subject access request';
const KEYS_TITLE = 'Sealing keys';

const meetingParam = validator('param', (value: Record<string, string>, c: Context) => {
  const id = value.id ?? '';
  if (!MEETING_ID.test(id)) return c.notFound();
  return { id };
});

/** The PDFs of the bundle: the same documents as the meeting page's exports. */
const BUNDLE_DOCUMENTS = {
  minutePdf: (entry: Parameters<typeof minuteEntryPdf>[0]) => minuteEntryPdf(entry, { fonts: nodeFontFiles }),
  undertakingPdf: (entry: Parameters<typeof undertakingPdf>[0]) =>
    undertakingPdf(entry, { fonts: nodeFontFiles }),
};

export function recordRoutes(deps: AdminDeps): Hono<AdminEnv> {
  const { db, now, keyring, retention } = deps;
  const r = new Hono<AdminEnv>();

  /** The meeting page again with what went wrong (or 404 when there is no such meeting). */
  const meetingPage = async (c: Context<AdminEnv>, id: string, message: string, status: 400 | 404 | 409) => {
    const data = await loadMeeting(db, id);
    if (!data)
      return c.html(
        page('Meeting not found', html`<p>No events of this meeting are held.</p>`, c.get('account')),
        404,
      );
    const view = meetingView(data, c.get('account'), message, await holdOf(db, id), retention);
    return c.html(page(view.title, view.html, c.get('account')), status);
  };

  // ------------------------------------------------------------------ legal holds
  r.post(
    '/meetings/:id/hold',
    requires('manage-holds'),
    meetingParam,
    form(holdSchema, (c) =>
      meetingPage(c, c.req.param('id') ?? '', 'Say why the record must be kept (one or more words).', 400),
    ),
    async (c) => {
      const { id } = c.req.valid('param');
      const { reason } = c.req.valid('form');
      const who = c.get('account');
      const outcome = await db.transaction().execute(async (trx) => {
        const placed = await placeHold(trx, id, who.username, reason);
        if (placed.ok)
          await audit(
            trx,
            { accountId: who.id, username: who.username, action: 'hold.placed', meetingId: id },
            now(),
          );
        return placed;
      });
      if (!outcome.ok)
        return meetingPage(
          c,
          id,
          HOLD_REFUSAL[outcome.refusal],
          outcome.refusal === 'no-such-meeting' ? 404 : 409,
        );
      return c.redirect(`/admin/meetings/${id}`, 303);
    },
  );

  r.post('/meetings/:id/hold/lift', requires('manage-holds'), meetingParam, async (c) => {
    const { id } = c.req.valid('param');
    const who = c.get('account');
    const outcome = await db.transaction().execute(async (trx) => {
      const lifted = await liftHold(trx, id);
      if (lifted.ok)
        await audit(
          trx,
          { accountId: who.id, username: who.username, action: 'hold.lifted', meetingId: id },
          now(),
        );
      return lifted;
    });
    if (!outcome.ok) return meetingPage(c, id, HOLD_REFUSAL[outcome.refusal], 409);
    return c.redirect(`/admin/meetings/${id}`, 303);
  });

  // ------------------------------------------------------------------ subject access
  r.use('/subject-access', requires('export-records'));
  r.use('/subject-access/*', requires('export-records'));

  r.get('/subject-access', (c) =>
    c.html(page(SUBJECT_TITLE, subjectSearchView('', null, null), c.get('account'))),
  );

  // The search is posted, so the person's name stays out of addresses, histories and access logs.
  r.post(
    '/subject-access',
    form(subjectSearchSchema, (c, message) =>
      c.html(page(SUBJECT_TITLE, subjectSearchView('', null, message), c.get('account')), 400),
    ),
    async (c) => {
      const { name } = c.req.valid('form');
      const who = c.get('account');
      const matches = await findPerson(db, name);
      await audit(
        db,
        {
          accountId: who.id,
          username: who.username,
          action: 'subject-access.searched',
          detail: `${matches.length} meeting(s) matched`,
        },
        now(),
      );
      return c.html(page(SUBJECT_TITLE, subjectSearchView(name, matches, null), who));
    },
  );

  r.post(
    '/subject-access/export',
    form(subjectExportSchema, (c, message, field) =>
      c.html(
        page(
          SUBJECT_TITLE,
          subjectSearchView(
            '',
            null,
            field === 'meeting' ? 'Tick at least one meeting to export: search again.' : message,
          ),
          c.get('account'),
        ),
        400,
      ),
    ),
    async (c) => {
      const input = c.req.valid('form');
      const ids = [...new Set(Array.isArray(input.meeting) ? input.meeting : [input.meeting])];
      const who = c.get('account');
      const at = now();
      const held = await db.selectFrom('meetings').select('id').where('id', 'in', ids).execute();
      const zip = await subjectAccessBundle(db, ids, BUNDLE_DOCUMENTS, {
        subject: input.subject,
        by: who.username,
        at,
      });
      for (const { id } of held)
        await audit(
          db,
          { accountId: who.id, username: who.username, action: 'subject-access.exported', meetingId: id },
          at,
        );
      c.header('Content-Type', 'application/zip');
      c.header(
        'Content-Disposition',
        `attachment; filename="subject-access-${at.toISOString().slice(0, 10)}.zip"`,
      );
      return c.body(zip as Uint8Array<ArrayBuffer>);
    },
  );

  // ------------------------------------------------------------------ sealing keys
  r.use('/keys', requires('manage-keys'));
  r.use('/keys/*', requires('manage-keys'));

  const keysPage = (c: Context<AdminEnv>, notice: string | null, status: 200 | 201 = 200) =>
    c.html(
      page(KEYS_TITLE, keysView(keyring.current(), keyring.keyIds().slice(1), notice), c.get('account')),
      status,
    );

  r.get('/keys', (c) => keysPage(c, null));

  r.post('/keys/rotate', async (c) => {
    const who = c.get('account');
    const next = await keyring.rotate();
    await audit(
      db,
      { accountId: who.id, username: who.username, action: 'key.rotated', detail: `new key ${next.keyId}` },
      now(),
    );
    deps.logger.info({ keyId: next.keyId }, 'sealing key rotated');
    return keysPage(
      c,
      `A new sealing key is current (fingerprint ${next.fingerprint}). Tablets enrolled from now on get it.`,
      201,
    );
  });

  return r;
}
