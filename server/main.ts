/**
 * Boots the records service: validates configuration, opens the database (PGlite in DATA_DIR, or
 * PostgreSQL at DATABASE_URL), runs migrations, creates the first administrator (bootstrapAdmin), starts the daily retention purge, and
 * serves the API, the admin area and the built tablet app on one port (taken first, answering 503 until
 * the rest is ready). A step that fails exits 1 with a stable code and one line saying what to fix
 * (server/boot/errors.ts).
 */
import { existsSync } from 'node:fs';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import type { Logger } from 'pino';
import { bootstrapAdmin } from './admin/bootstrap';
import { createApp } from './app';
import { BootError, configError, unexpectedBootError } from './boot/errors';
import { listenEarly, openConfiguredDatabase, runMigrations } from './boot/steps';
import { type Config, loadConfig } from './config';
import type { OpenDatabase } from './db/connect';
import { openKeyring } from './keys';
import { createLogger } from './logger';
import { createOperations, type Operations } from './operations';
import { schedulePurge } from './purge';

let logger: Logger | null = null;
let database: OpenDatabase | null = null;

function loadConfigOrFail(): Config {
  const loaded = loadConfig(process.env);
  if (loaded.ok) return loaded.config;
  throw configError(loaded.issues);
}

/**
 * SIGTERM or SIGINT: stop taking new syncs (503, and not ready), stop accepting connections, let the syncs
 * in flight finish (up to SHUTDOWN_GRACE_SECONDS), then close the database and exit 0. A second signal
 * exits at once.
 */
function stopOnSignals(
  server: Server,
  log: Logger,
  db: OpenDatabase,
  operations: Operations,
  graceS: number,
): void {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    log.info({ signal, inFlight: operations.inFlight }, 'stopping: finishing the syncs in flight');
    operations.beginDrain();
    // Closed once every connection has ended: idle ones now, busy ones once their answer is written (an
    // answer built is not yet an answer sent).
    const closed = new Promise<void>((done) => server.close(() => done()));
    server.closeIdleConnections();
    const grace = new Promise<false>((done) => setTimeout(() => done(false), graceS * 1000).unref());
    const finished = await Promise.race([
      Promise.all([operations.drained(graceS * 1000), closed]).then(() => true),
      grace,
    ]);
    if (!finished) log.warn({ inFlight: operations.inFlight }, 'stopping with syncs still in flight');
    operations.close();
    await db.close().catch(() => {});
    log.info({ signal }, 'stopped');
    process.exit(0);
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

async function main(): Promise<void> {
  const config = loadConfigOrFail();
  logger = createLogger(config.LOG_LEVEL);
  const { server, ready } = await listenEarly(config);
  database = await openConfiguredDatabase(config);
  const applied = await runMigrations(database, config);
  logger.info({ database: database.kind, applied }, 'migrations done');

  await bootstrapAdmin(database.db, config, logger);

  // Records past their retention period go, now and daily; each run is audited with counts only.
  const retention = {
    meetingYears: config.RETENTION_MEETING_YEARS,
    discardedDays: config.RETENTION_DISCARDED_DAYS,
  };
  await schedulePurge(database.db, retention, logger).first;

  // The sealing keys live beside the data, never in the database (which a backup may carry elsewhere).
  const keyring = await openKeyring(join(resolve(config.DATA_DIR), 'keys'));
  logger.info({ keyId: keyring.current().keyId }, 'sealing key ready');

  const staticDir = resolve(config.STATIC_DIR);
  if (!existsSync(staticDir)) logger.warn({ staticDir }, 'no built tablet app: run `vite build` first');
  const operations = createOperations(database, { processMetrics: true });
  const app = createApp({
    database,
    logger,
    operations,
    trustProxy: config.TRUST_PROXY ?? [],
    metricsToken: config.METRICS_TOKEN ?? null,
    keyring,
    verifyBaseUrl: config.VERIFY_BASE_URL ?? null,
    retention,
    staticDir: existsSync(staticDir) ? staticDir : null,
  });
  ready(app);
  const address = server.address();
  const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  const port = typeof address === 'object' && address ? address.port : config.PORT;
  const url = `http://${host}:${port}/`;
  logger.info({ url, database: database.kind }, 'listening');
  process.stdout.write(`\nConsent Kiosk is running: ${url}  (admin: ${url}admin)\n\n`);
  stopOnSignals(server, logger, database, operations, config.SHUTDOWN_GRACE_SECONDS);
}

main().catch(async (error: unknown) => {
  const failure = error instanceof BootError ? error : unexpectedBootError(error);
  logger?.fatal({ errorCode: failure.code, cause: failure.causeText }, 'could not start');
  process.stderr.write(`${failure.toText()}\n`);
  await database?.close().catch(() => {});
  process.exit(1);
});
