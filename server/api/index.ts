/**
 * The sync protocol under /api/v1 (src/domain/protocol.ts): health, enrolment, sync and prepared meetings
 * (src/domain/prepared.ts), each a router of
 * its own. Every answer is no-store; bodies are limited to MAX_BODY_BYTES before any route reads them.
 */
import { type Context, Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Logger } from 'pino';
import { MAX_BODY_BYTES } from '../../src/domain';
import type { OpenDatabase } from '../db/connect';
import type { Keyring } from '../keys';
import type { Holder, Limits } from '../limits';
import type { Operations } from '../operations';
import { enrolRoutes } from './enrol';
import { healthRoutes } from './health';
import { preparedRoutes } from './prepared';
import { apiError } from './respond';
import { syncRoutes } from './sync';

export { apiError } from './respond';

export interface ApiDeps {
  database: OpenDatabase;
  logger: Logger;
  now: () => Date;
  clientAddress: (c: Context) => string;
  limits: Limits;
  holder: Holder;
  operations: Operations;
  keyring: Keyring;
}

export function apiRoutes(deps: ApiDeps): Hono {
  const api = new Hono();
  api.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: (c) => apiError(c, 'payload-too-large', `The body is larger than ${MAX_BODY_BYTES} bytes.`),
    }),
  );
  api.use('*', async (c, next) => {
    await next();
    c.res.headers.set('Cache-Control', 'no-store');
  });
  api.route('/v1/health', healthRoutes(deps.database, deps.operations));
  api.route('/v1/devices/enrol', enrolRoutes({ ...deps, db: deps.database.db }));
  api.route('/v1/sync', syncRoutes(deps));
  api.route('/v1/prepared', preparedRoutes(deps));
  api.all('*', (c) => {
    c.set('errorCode', 'no-such-route');
    return c.json({ error: { code: 'bad-request', message: 'No such route.' } }, 404);
  });
  return api;
}
