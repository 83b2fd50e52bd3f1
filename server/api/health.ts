/**
 * Health, for the tablets and for the council's monitoring:
 * - GET /api/v1/health: the service is up, and which protocol it speaks (the tablet reads this);
 * - GET /api/v1/health/live: the process answers (liveness: restart it if not);
 * - GET /api/v1/health/ready: it can do its work: the database answers, every migration of this release is
 *   applied, and it is not shutting down (readiness: send it traffic only if so). 503 otherwise, saying
 *   which check failed, never a connection string or an error's text.
 */

import { Hono } from 'hono';
import { sql } from 'kysely';
import { PROTOCOL_VERSION } from '../../src/domain';
import type { OpenDatabase } from '../db/connect';
import { pendingMigrations } from '../db/migrations';
import type { Operations } from '../operations';

const CHECK_TIMEOUT_MS = 2_000;

const withTimeout = <T>(work: Promise<T>): Promise<T> =>
  Promise.race([
    work,
    new Promise<T>((_, reject) => setTimeout(() => reject(new Error('timed out')), CHECK_TIMEOUT_MS).unref()),
  ]);

export function healthRoutes(database: OpenDatabase, operations: Operations): Hono {
  return new Hono()
    .get('/', (c) => c.json({ ok: true, protocolVersion: PROTOCOL_VERSION }))
    .get('/live', (c) => c.json({ ok: true }))
    .get('/ready', async (c) => {
      const checks: Record<string, 'ok' | string> = {};
      try {
        await withTimeout(sql`select 1`.execute(database.db));
        checks.database = 'ok';
        const pending = await withTimeout(pendingMigrations(database.db));
        checks.migrations = pending.length === 0 ? 'ok' : `pending: ${pending.join(', ')}`;
      } catch {
        checks.database = 'unreachable';
      }
      checks.shutdown = operations.draining ? 'shutting down' : 'ok';
      const ok = Object.values(checks).every((v) => v === 'ok');
      if (!ok) c.header('Retry-After', '5');
      return c.json({ ok, checks }, ok ? 200 : 503);
    });
}
