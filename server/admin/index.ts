/**
 * The admin area: one small router per area (session, meetings, devices, accounts, audit, records:
 * holds, subject access and keys), behind shared
 * middleware: no caching, a body limit, Hono's CSRF check, and the session gate that loads the account.
 * Each route checks its role itself (403), validates its input with zod, and reads or writes through the
 * repositories in repo/; the HTML is in views/.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { csrf } from 'hono/csrf';
import { html } from 'hono/html';
import { HTTPException } from 'hono/http-exception';
import { accountRoutes } from './accounts';
import { auditRoutes } from './audit';
import type { AdminDeps, AdminEnv } from './context';
import { dashboardRoutes } from './dashboard';
import { deviceRoutes } from './devices';
import { meetingRoutes } from './meetings';
import { pinResetRoutes } from './pinReset';
import { prepareRoutes } from './prepare';
import { recordRoutes } from './records';
import { sessionGate, sessionRoutes } from './session';
import { page } from './views/layout';

export type { AdminDeps } from './context';

const MAX_FORM_BYTES = 16 * 1024;

export function adminRoutes(deps: AdminDeps): Hono<AdminEnv> {
  const admin = new Hono<AdminEnv>();

  // A malformed form body (the validator's 400) is the client's error, not a 500.
  admin.onError((error, c) => {
    if (error instanceof HTTPException && error.status < 500)
      return c.html(
        page('Not accepted', html`<p class="error" role="alert">The request was not understood.</p>`),
        error.status,
      );
    deps.logger.error({ errorName: error.name, path: c.req.path }, 'unhandled error');
    return c.text('Internal error.', 500);
  });

  admin.use('*', async (c, next) => {
    await next();
    c.header('Cache-Control', 'no-store');
  });
  admin.use(
    '*',
    bodyLimit({
      maxSize: MAX_FORM_BYTES,
      onError: (c) =>
        c.html(page('Not accepted', html`<p class="error" role="alert">The form is too large.</p>`), 413),
    }),
  );

  /**
   * Cross-site form posts are refused (besides the SameSite=Strict cookie). A browser's own post says
   * Sec-Fetch-Site: same-origin, which decides where present: under Referrer-Policy: no-referrer Chromium
   * sends `Origin: null` on a same-origin form post, so the Origin alone cannot. Without Sec-Fetch-Site, the
   * Origin must be this service's. A request with neither header is no browser's (every current browser
   * sends Origin on a POST), so it carries no forged cookie and passes. Hono's csrf lets a request through
   * when EITHER header passes, so a same-origin Origin would outvote Sec-Fetch-Site: cross-site; the Origin
   * is therefore only looked at when Sec-Fetch-Site is absent.
   */
  const sameOrigin = csrf({
    secFetchSite: 'same-origin',
    origin: (origin, c) =>
      c.req.header('Sec-Fetch-Site') === undefined && origin === new URL(c.req.url).origin,
  });
  admin.use('*', async (c, next) => {
    if (c.req.header('Origin') === undefined && c.req.header('Sec-Fetch-Site') === undefined) return next();
    try {
      return await sameOrigin(c, next);
    } catch (error) {
      if (error instanceof HTTPException && error.status === 403)
        return c.html(
          page('Refused', html`<p class="error" role="alert">Cross-site request refused.</p>`),
          403,
        );
      throw error;
    }
  });

  admin.use('*', sessionGate(deps));
  admin.route('/', sessionRoutes(deps));
  admin.route('/', meetingRoutes(deps));
  admin.route('/', dashboardRoutes(deps));
  admin.route('/', deviceRoutes(deps));
  admin.route('/', accountRoutes(deps));
  admin.route('/', auditRoutes(deps));
  admin.route('/', recordRoutes(deps));
  admin.route('/', pinResetRoutes(deps));
  if (deps.database) admin.route('/', prepareRoutes({ ...deps, database: deps.database }));
  admin.all('*', (c) => c.text('Not found.', 404));
  return admin;
}
