/**
 * What an operator watches and how the service stops: Prometheus metrics (prom-client) and the drain on
 * shutdown. Metrics are counts and timings only: no meeting id, device id, name or address.
 *
 * Draining: on SIGTERM the service stops taking new syncs and enrolments (503 with Retry-After: the tablet
 * keeps its outbox and tries again, perhaps against another instance), reports itself not ready, lets the
 * requests already in flight finish, and then closes the database.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import type { MiddlewareHandler } from 'hono';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { OpenDatabase } from './db/connect';
import { SYNC_BATCH_CHANNEL, type SyncBatchMessage } from './sync';

export interface Operations {
  registry: Registry;
  /** Times every sync request and counts its outcome; refuses new work while draining. */
  syncMiddleware: MiddlewareHandler;
  /** Counts admin sign-in failures (wrong password, or turned away by a limit). */
  signInMiddleware: MiddlewareHandler;
  /** Refuses new syncs and enrolments from now on; readiness reports not ready. */
  beginDrain: () => void;
  readonly draining: boolean;
  /** Requests (sync or enrolment) still being answered. */
  readonly inFlight: number;
  /** Resolves true once nothing is in flight, or false when `timeoutMs` passes first. */
  drained: (timeoutMs: number) => Promise<boolean>;
  /** Stops listening to the sync path (for tests that make many apps in one process). */
  close: () => void;
}

export function createOperations(
  database: OpenDatabase,
  options: { processMetrics?: boolean } = {},
): Operations {
  const registry = new Registry();
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'consent_kiosk_' });

  const syncSeconds = new Histogram({
    name: 'consent_kiosk_sync_request_duration_seconds',
    help: 'Time to answer a sync request, by HTTP status.',
    labelNames: ['status'] as const,
    buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const eventsAccepted = new Counter({
    name: 'consent_kiosk_events_accepted_total',
    help: 'Events the records service stored for the first time.',
    registers: [registry],
  });
  const eventsAcknowledged = new Counter({
    name: 'consent_kiosk_events_acknowledged_total',
    help: 'Events acknowledged to tablets, resent ones included.',
    registers: [registry],
  });
  const syncRefused = new Counter({
    name: 'consent_kiosk_sync_refused_total',
    help: 'Sync requests refused, by error code (e.g. bad-seal, not-writer, rate-limited, shutting-down).',
    labelNames: ['code'] as const,
    registers: [registry],
  });
  const signInFailures = new Counter({
    name: 'consent_kiosk_sign_in_failures_total',
    help: 'Admin sign-ins refused: wrong username or password, or turned away by a rate limit.',
    labelNames: ['reason'] as const,
    registers: [registry],
  });
  const inFlightGauge = new Gauge({
    name: 'consent_kiosk_requests_in_flight',
    help: 'Sync and enrolment requests being answered.',
    registers: [registry],
  });
  const pool = database.pool;
  if (pool) {
    new Gauge({
      name: 'consent_kiosk_db_pool_connections',
      help: 'PostgreSQL connections in the pool, by state.',
      labelNames: ['state'] as const,
      registers: [registry],
      collect() {
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
  }

  const onBatch = (message: unknown) => {
    const m = message as SyncBatchMessage;
    eventsAccepted.inc(m.inserted);
    eventsAcknowledged.inc(m.events);
  };
  subscribe(SYNC_BATCH_CHANNEL, onBatch);

  let draining = false;
  let inFlight = 0;
  let waiters: (() => void)[] = [];
  const settle = () => {
    if (inFlight > 0) return;
    for (const wake of waiters) wake();
    waiters = [];
  };

  const syncMiddleware: MiddlewareHandler = async (c, next) => {
    if (draining) {
      c.set('errorCode' as never, 'shutting-down' as never);
      syncRefused.inc({ code: 'shutting-down' });
      c.header('Retry-After', '5');
      return c.json(
        {
          error: { code: 'shutting-down', message: 'The records service is restarting: try again shortly.' },
        },
        503,
      );
    }
    inFlight += 1;
    inFlightGauge.inc();
    const end = syncSeconds.startTimer();
    try {
      await next();
    } finally {
      inFlight -= 1;
      inFlightGauge.dec();
      end({ status: String(c.res.status) });
      if (c.res.status >= 400) {
        const code = (c.get('errorCode' as never) as string | undefined) ?? `http-${c.res.status}`;
        syncRefused.inc({ code });
      }
      settle();
    }
  };

  const signInMiddleware: MiddlewareHandler = async (c, next) => {
    await next();
    if (c.req.method !== 'POST') return;
    if (c.res.status === 401) signInFailures.inc({ reason: 'wrong' });
    else if (c.res.status === 429) signInFailures.inc({ reason: 'limited' });
  };

  return {
    registry,
    syncMiddleware,
    signInMiddleware,
    beginDrain: () => {
      draining = true;
    },
    get draining() {
      return draining;
    },
    get inFlight() {
      return inFlight;
    },
    drained: (timeoutMs) =>
      new Promise<boolean>((resolve) => {
        if (inFlight === 0) return resolve(true);
        const timer = setTimeout(() => resolve(false), timeoutMs);
        waiters.push(() => {
          clearTimeout(timer);
          resolve(true);
        });
      }),
    close: () => unsubscribe(SYNC_BATCH_CHANNEL, onBatch),
  };
}
