/**
 * The records service as a Hono app, built from injected dependencies so that tests drive it with
 * app.request(...) and no port. This file only composes: request logging, security headers, the error
 * handler, then the routers (api/: the sync protocol of src/domain/protocol.ts; admin/: the server-rendered
 * admin area) and the built tablet app with an SPA fallback.
 */
import { join } from 'node:path';
import { serveStatic } from '@hono/node-server/serve-static';
import { type Context, Hono } from 'hono';
import { bearerAuth } from 'hono/bearer-auth';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import type { Logger } from 'pino';
import { adminRoutes } from './admin';
import { apiRoutes } from './api';
import type { OpenDatabase } from './db/connect';
import { classifyFailure } from './failures';
import type { Keyring } from './keys';
import { DEFAULT_LIMITS, DEFAULT_TARPIT, Holder, type Limits } from './limits';
import { createOperations, type Operations } from './operations';
import { requestOrigin } from './proxy';
import { DEFAULT_RETENTION } from './purge';
import type { RetentionPolicy } from './retention';

export interface AppDeps {
  database: OpenDatabase;
  logger: Logger;
  /** The address printed on documents for checking a printed record; unset, the address a request came to. */
  verifyBaseUrl?: string | null;
  /** The sealing keys (server/keys.ts): enrolment gives the current public key; sync opens sealed batches. */
  keyring: Keyring;
  /** The built tablet app (vite build's dist/); null serves the API and admin area only. */
  staticDir?: string | null;
  now?: () => Date;
  /**
   * The client's address, which rate limits and the audit trail count by: by default the connection's, or
   * the forwarded one when the connection is from a trusted proxy (`trustProxy`); tests give their own.
   */
  clientAddress?: (c: Context) => string;
  /** The reverse proxies trusted to say who the client is and whether it used HTTPS (TRUST_PROXY). */
  trustProxy?: readonly string[];
  /** Metrics and the drain on shutdown (server/operations.ts); absent, the app makes its own. */
  operations?: Operations;
  /** The bearer token Prometheus scrapes /metrics with (METRICS_TOKEN); unset, /metrics does not exist. */
  metricsToken?: string | null;
  limits?: Limits;
  /** The retention periods (RETENTION_* in the configuration); the defaults when not given. */
  retention?: RetentionPolicy;
}

const PWA_CSP = [
  "default-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self'",
  "manifest-src 'self'",
  "frame-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');
export const ADMIN_CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  "img-src 'self' data:",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');

export function createApp(deps: AppDeps): Hono {
  const { database, logger } = deps;
  const db = database.db;
  const now = deps.now ?? (() => new Date());
  const app = new Hono();
  const origin = requestOrigin(deps.trustProxy ?? []);
  const operations = deps.operations ?? createOperations(database);
  app.use('*', async (c, next) => {
    c.set('https' as never, origin.isHttps(c) as never);
    await next();
  });

  app.use('*', async (c, next) => {
    const started = performance.now();
    await next();
    // Only the route shape, status and timing: never a body, a query string, a name or a token.
    logger.info(
      {
        method: c.req.method,
        path: c.req.path.length > 200 ? `${c.req.path.slice(0, 200)}…` : c.req.path,
        status: c.res.status,
        ms: Math.round(performance.now() - started),
        // Why it failed, as a code (set by apiError, a route, or onError).
        ...(c.get('errorCode') ? { errorCode: c.get('errorCode') } : {}),
      },
      'request',
    );
  });
  app.use('*', secureHeaders());
  app.use('*', async (c, next) => {
    await next();
    if (!c.res.headers.has('Content-Security-Policy')) {
      c.res.headers.set('Content-Security-Policy', c.req.path.startsWith('/admin') ? ADMIN_CSP : PWA_CSP);
    }
  });

  app.onError((error, c) => {
    if (error instanceof HTTPException) {
      // Hono's own refusals (a body that is not JSON, a bearer-auth answer built by a route): 4xx.
      const res = error.getResponse();
      if (error.res || !c.req.path.startsWith('/api/')) {
        if (!c.get('errorCode')) c.set('errorCode', `http-${error.status}`);
        return res;
      }
      c.set('errorCode', 'bad-request');
      return c.json(
        { error: { code: 'bad-request', message: error.message || 'Bad request.' } },
        error.status,
      );
    }
    // A failure of the service's own: a stable code and its cause, never the message (it can quote data).
    const failure = classifyFailure(error);
    c.set('errorCode', failure.errorCode);
    logger.error({ ...failure, method: c.req.method, path: c.req.path }, 'request failed');
    const status = failure.errorCode === 'internal' ? 500 : 503;
    if (status === 503) c.header('Retry-After', '30');
    if (c.req.path.startsWith('/api/'))
      return c.json(
        {
          error: {
            code: 'internal',
            message:
              status === 503
                ? 'The records service cannot store data just now: try again later.'
                : 'Internal error.',
          },
        },
        status,
      );
    return c.text(
      status === 503 ? 'The records service cannot store data just now: try again later.' : 'Internal error.',
      status,
    );
  });

  const clientAddress = deps.clientAddress ?? origin.clientAddress;
  const limits = deps.limits ?? DEFAULT_LIMITS;
  const holder = new Holder(limits.tarpit ?? DEFAULT_TARPIT);
  app.use('/api/v1/sync', operations.syncMiddleware);
  app.use('/api/v1/devices/enrol', operations.syncMiddleware);
  app.use('/admin/login', operations.signInMiddleware);
  app.route(
    '/api',
    apiRoutes({ database, logger, now, clientAddress, limits, holder, operations, keyring: deps.keyring }),
  );

  // ------------------------------------------------------------------ metrics
  // Prometheus scrapes with a bearer token; with no token configured there are no metrics to read.
  if (deps.metricsToken) {
    app.get('/metrics', bearerAuth({ token: deps.metricsToken }), async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.body(await operations.registry.metrics(), 200, {
        'Content-Type': operations.registry.contentType,
      });
    });
  }

  // ------------------------------------------------------------------ admin
  app.route(
    '/admin',
    adminRoutes({
      db,
      database,
      logger,
      now,
      clientAddress,
      limits,
      holder,
      retention: deps.retention ?? DEFAULT_RETENTION,
      keyring: deps.keyring,
      verifyBaseUrl: deps.verifyBaseUrl ?? null,
    }),
  );

  // ------------------------------------------------------------------ tablet app
  if (deps.staticDir) {
    const root = deps.staticDir;
    app.use('*', async (c, next) => {
      await next();
      if (c.res.status !== 200 || c.req.path.startsWith('/api/') || c.req.path.startsWith('/admin')) return;
      // The service worker and the page must be revalidated so an update is seen; hashed assets never change.
      const cacheControl = c.req.path.startsWith('/assets/')
        ? 'public, max-age=31536000, immutable'
        : 'no-cache';
      const res = new Response(c.res.body, c.res);
      res.headers.set('Cache-Control', cacheControl);
      c.res = res;
    });
    app.use('*', serveStatic({ root }));
    // SPA fallback: any other GET is the tablet app's page (the /api and /admin catch-alls come first).
    app.get('*', serveStatic({ path: join(root, 'index.html') }));
  }
  return app;
}
