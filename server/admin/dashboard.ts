/** The partnership's figures (every role): the page, and the same figures as CSV. */
import { type Context, Hono } from 'hono';
import { MEETING_KINDS, PROFILES } from '../../src/domain';
import { type AdminDeps, type AdminEnv, requires } from './context';
import { type FigureFilters, figuresOf } from './repo/figures';
import { dashboardView, figuresCsv } from './views/dashboard';
import { page } from './views/layout';

const TITLE = 'Figures for the partnership';

function parseFilters(c: Context): { ok: true; filters: FigureFilters } | { ok: false; message: string } {
  const kind = (c.req.query('kind') ?? '').trim();
  const policy = (c.req.query('policy') ?? '').trim();
  if (kind && !(MEETING_KINDS as readonly string[]).includes(kind))
    return { ok: false, message: 'Choose a kind of meeting from the list.' };
  if (policy && !Object.hasOwn(PROFILES, policy))
    return { ok: false, message: 'Choose a policy from the list.' };
  return { ok: true, filters: { ...(kind ? { kind } : {}), ...(policy ? { policy } : {}) } };
}

export function dashboardRoutes(deps: AdminDeps): Hono<AdminEnv> {
  const r = new Hono<AdminEnv>();
  r.get('/dashboard', requires('read-meetings'), async (c) => {
    const parsed = parseFilters(c);
    const filters = parsed.ok ? parsed.filters : {};
    const view = dashboardView(await figuresOf(deps.db, filters), filters, parsed.ok ? null : parsed.message);
    return c.html(page(TITLE, view, c.get('account')), parsed.ok ? 200 : 400);
  });
  r.get('/dashboard.csv', requires('read-meetings'), async (c) => {
    const parsed = parseFilters(c);
    if (!parsed.ok) return c.text(parsed.message, 400);
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', 'attachment; filename="consent-kiosk-figures.csv"');
    return c.body(figuresCsv(await figuresOf(deps.db, parsed.filters)));
  });
  return r;
}
