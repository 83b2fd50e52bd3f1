/**
 * The records service as a Hono app, built from injected dependencies so that tests drive it with
 * app.request(...) and no port. Routes: /api/v1/* (the sync protocol of src/domain/protocol.ts),
 * /admin/* (server-rendered admin area), and the built tablet app with an SPA fallback.
 */
import { join } from 'node:path';
import { getConnInfo } from '@hono/node-server/conninfo';
import { serveStatic } from '@hono/node-server/serve-static';
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { secureHeaders } from 'hono/secure-headers';
import type { Logger } from 'pino';
import {
  enrolRequestSchema,
  MAX_BODY_BYTES,
  PROTOCOL_VERSION,
  type SyncErrorCode,
  syncRequestSchema,
} from '../src/domain';
import { adminRoutes } from './admin/routes';
import { newDeviceId, normaliseCode, randomToken, sha256 } from './auth';
import type { OpenDatabase } from './db/connect';
import type { Keyring } from './keys';
import { DEFAULT_LIMITS, type Limits, limiters } from './limits';
import { enrolmentExtras, openSealedBatches } from './sealing';
import { acceptBatch, checkEnvelopes, STATUS_OF, SyncError } from './sync';

export interface AppDeps {
  database: OpenDatabase;
  logger: Logger;
  /** The sealing keys (server/keys.ts): enrolment gives the current public key; sync opens sealed batches. */
  keyring: Keyring;
  /** The built tablet app (vite build's dist/); null serves the API and admin area only. */
  staticDir?: string | null;
  /** Whether a request comes from this machine: the first admin password may be set only from there. */
  isLocal?: (c: Context) => boolean;
  now?: () => Date;
  /** The client's address, which rate limits count by (the connection's; tests give their own). */
  clientAddress?: (c: Context) => string;
  limits?: Limits;
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

const defaultClientAddress = (c: Context): string => {
  try {
    return getConnInfo(c).remote.address ?? 'unknown';
  } catch {
    return 'unknown';
  }
};

const defaultIsLocal = (c: Context): boolean => {
  try {
    const address = getConnInfo(c).remote.address ?? '';
    return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
  } catch {
    return false;
  }
};

export function apiError(
  c: Context,
  code: SyncErrorCode,
  message: string,
  extra: Record<string, unknown> = {},
) {
  return c.json({ error: { code, message, ...extra } }, STATUS_OF[code]);
}

/** Reads a JSON body; the size limit has already been enforced by bodyLimit. */
async function readJson(c: Context): Promise<{ ok: true; value: unknown } | { ok: false }> {
  try {
    const text = await c.req.text();
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** Enrolment named a device id that is already enrolled (rolls its transaction back). */
class DeviceExists extends Error {}

const hasVersion = (value: unknown): value is { protocolVersion: unknown } =>
  typeof value === 'object' && value !== null && 'protocolVersion' in value;

export function createApp(deps: AppDeps): Hono {
  const { database, logger } = deps;
  const db = database.db;
  const now = deps.now ?? (() => new Date());
  const app = new Hono();

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
    logger.error({ errorName: error.name, path: c.req.path }, 'unhandled error');
    if (c.req.path.startsWith('/api/'))
      return c.json({ error: { code: 'internal', message: 'Internal error.' } }, 500);
    return c.text('Internal error.', 500);
  });

  // ------------------------------------------------------------------ API
  app.use(
    '/api/*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => apiError(c, 'payload-too-large', `The body is larger than ${MAX_BODY_BYTES} bytes.`),
    }),
  );
  app.use('/api/*', async (c, next) => {
    await next();
    c.res.headers.set('Cache-Control', 'no-store');
  });

  app.get('/api/v1/health', (c) => c.json({ ok: true, protocolVersion: PROTOCOL_VERSION }));

  const clientAddress = deps.clientAddress ?? defaultClientAddress;
  const limits = deps.limits ?? DEFAULT_LIMITS;
  const enrolLimits = limiters(
    limits.enrolPerClient,
    (c) => `enrol:${clientAddress(c)}`,
    (c, seconds) =>
      apiError(c, 'rate-limited', `Too many failed enrolment attempts: try again in ${seconds} seconds.`),
  );

  for (const limit of enrolLimits) app.use('/api/v1/devices/enrol', limit);
  app.post('/api/v1/devices/enrol', async (c) => {
    const body = await readJson(c);
    if (!body.ok) return apiError(c, 'bad-request', 'The body is not JSON.');
    if (hasVersion(body.value) && body.value.protocolVersion !== PROTOCOL_VERSION) {
      return apiError(c, 'unsupported-version', `This service speaks protocol version ${PROTOCOL_VERSION}.`);
    }
    const parsed = enrolRequestSchema.safeParse(body.value);
    if (!parsed.success) return apiError(c, 'bad-request', 'The enrolment request is not valid.');
    const codeHash = sha256(normaliseCode(parsed.data.code));
    // The tablet writes its own id into every event it seals, so that id is the device's id here too.
    // A new code always enrols a NEW device: an id already enrolled (revoked or not) is refused, never
    // taken over, because issuing another id instead would leave every event the tablet seals naming a
    // device the service does not know. Replacing a tablet is an admin's hand-over in the admin area.
    const deviceId = parsed.data.deviceId ?? newDeviceId();
    const token = randomToken(32);
    const outcome = await db
      .transaction()
      .execute(async (trx) => {
        const code = await trx
          .updateTable('enrolment_codes')
          .set({ used_at: now() })
          .where('code_hash', '=', codeHash)
          .where('used_at', 'is', null)
          .where('expires_at', '>', now())
          .returning('code_hash')
          .executeTakeFirst();
        if (!code) return 'invalid-code' as const;
        const created = await trx
          .insertInto('devices')
          .values({ id: deviceId, label: parsed.data.label, token_hash: sha256(token) })
          .onConflict((oc) => oc.column('id').doNothing())
          .executeTakeFirst();
        // Thrown so that the code's use is rolled back: it stays good for a tablet with an id of its own.
        if (Number(created.numInsertedOrUpdatedRows ?? 0) === 0) throw new DeviceExists();
        await trx
          .updateTable('enrolment_codes')
          .set({ device_id: deviceId })
          .where('code_hash', '=', codeHash)
          .execute();
        return 'enrolled' as const;
      })
      .catch((error: unknown) => {
        if (error instanceof DeviceExists) return 'device-exists' as const;
        throw error;
      });
    if (outcome === 'invalid-code')
      return apiError(c, 'invalid-code', 'The enrolment code is wrong, used or expired.');
    if (outcome === 'device-exists') {
      logger.warn({ deviceId }, 'enrolment refused: device id already enrolled');
      return apiError(
        c,
        'device-exists',
        'A device with this id is already enrolled. A new code enrols a new device; to replace a tablet, an admin hands its meetings over to the new one.',
      );
    }
    logger.info({ deviceId }, 'device enrolled');
    return c.json({ deviceId, token, ...enrolmentExtras(deps.keyring) }, 201);
  });

  app.post('/api/v1/sync', async (c) => {
    const authorization = c.req.header('Authorization') ?? '';
    const match = /^Bearer ([A-Za-z0-9_-]{32,256})$/.exec(authorization);
    if (!match?.[1]) return apiError(c, 'unauthorised', 'A device token is required.');
    const device = await db
      .selectFrom('devices')
      .select(['id', 'revoked_at'])
      .where('token_hash', '=', sha256(match[1]))
      .executeTakeFirst();
    if (!device) return apiError(c, 'unauthorised', 'The device token is not known.');
    if (device.revoked_at) return apiError(c, 'device-revoked', 'This device has been revoked by an admin.');

    const idempotencyKey = c.req.header('Idempotency-Key') ?? '';
    if (!/^[A-Za-z0-9_-]{8,128}$/.test(idempotencyKey)) {
      return apiError(c, 'bad-request', 'An Idempotency-Key header is required.');
    }
    const body = await readJson(c);
    if (!body.ok) return apiError(c, 'bad-request', 'The body is not JSON.');
    if (hasVersion(body.value) && body.value.protocolVersion !== PROTOCOL_VERSION) {
      return apiError(c, 'unsupported-version', `This service speaks protocol version ${PROTOCOL_VERSION}.`);
    }
    const parsed = syncRequestSchema.safeParse(body.value);
    if (!parsed.success) return apiError(c, 'bad-request', 'The sync request is not valid.');
    if (parsed.data.deviceId !== device.id) {
      return apiError(c, 'wrong-device', 'The request names another device than its token.');
    }
    try {
      const opened = await openSealedBatches(deps.keyring, device.id, parsed.data.sealed ?? []);
      const events = await checkEnvelopes([...parsed.data.events, ...opened], device.id);
      const outcome = await acceptBatch(database, device.id, events, now, parsed.data.sentAt ?? null);
      logger.info(
        {
          deviceId: device.id,
          idempotencyKey,
          received: events.length,
          inserted: outcome.inserted,
          meetings: outcome.meetings,
        },
        'sync accepted',
      );
      return c.json(outcome.response, 200);
    } catch (error) {
      if (!(error instanceof SyncError)) throw error;
      logger.warn(
        { deviceId: device.id, idempotencyKey, errorCode: error.code, index: error.detail.index },
        'sync rejected',
      );
      return c.json(error.toBody(), error.status);
    }
  });

  app.all('/api/*', (c) => c.json({ error: { code: 'bad-request', message: 'No such route.' } }, 404));

  // ------------------------------------------------------------------ admin
  app.route(
    '/admin',
    adminRoutes({ db, logger, isLocal: deps.isLocal ?? defaultIsLocal, now, clientAddress, limits }),
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
