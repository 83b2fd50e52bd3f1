/** GET /api/v1/health: the service is up, and which protocol it speaks. */
import { Hono } from 'hono';
import { PROTOCOL_VERSION } from '../../src/domain';

export function healthRoutes(): Hono {
  return new Hono().get('/', (c) => c.json({ ok: true, protocolVersion: PROTOCOL_VERSION }));
}
