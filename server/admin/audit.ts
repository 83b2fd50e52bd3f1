/** GET /admin/audit: the access audit, for administrators. */
import { Hono } from 'hono';
import { validator } from 'hono/validator';
import { z } from 'zod/mini';
import { type AdminDeps, type AdminEnv, MEETING_ID, requires } from './context';
import { auditPage } from './repo/audit';
import { auditView } from './views/audit';
import { page } from './views/layout';

const PAGE_SIZE = 50;

const auditQuery = z.object({
  meeting: z.optional(
    z.pipe(
      z.string(),
      z.transform((s) => s.trim().toLowerCase()),
    ),
  ),
  page: z.optional(
    z.pipe(
      z.string(),
      z.transform((s) => Number.parseInt(s, 10)),
    ),
  ),
});

export function auditRoutes(deps: AdminDeps): Hono<AdminEnv> {
  const r = new Hono<AdminEnv>();
  r.get(
    '/audit',
    requires('read-audit'),
    validator('query', (value) => {
      const parsed = auditQuery.safeParse(value);
      const meeting = parsed.success ? (parsed.data.meeting ?? '') : '';
      const n = parsed.success ? (parsed.data.page ?? 1) : 1;
      return {
        meeting: MEETING_ID.test(meeting) ? meeting : '',
        page: Number.isSafeInteger(n) && n >= 1 && n <= 100_000 ? n : 1,
      };
    }),
    async (c) => {
      const { meeting, page: pageNo } = c.req.valid('query');
      const { rows, hasMore } = await auditPage(deps.db, {
        meetingId: meeting || null,
        page: pageNo,
        pageSize: PAGE_SIZE,
      });
      return c.html(page('Audit trail', auditView(rows, meeting, pageNo, hasMore), c.get('account')));
    },
  );
  return r;
}
