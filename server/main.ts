/**
 * Boots the records service: validates configuration, opens the database (PGlite in DATA_DIR, or
 * PostgreSQL at DATABASE_URL), runs migrations (exit 1 on failure), sets the admin password from
 * ADMIN_PASSWORD if given, and serves the API, the admin area and the built tablet app on one port.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import { createApp } from './app';
import { hashPassword, verifyPassword } from './auth';
import { loadConfig } from './config';
import { openDatabase } from './db/connect';
import { migrateToLatest } from './db/migrations';
import { openKeyring } from './keys';
import { createLogger } from './logger';

async function main(): Promise<void> {
  const loaded = loadConfig(process.env);
  if (!loaded.ok) {
    process.stderr.write(`${loaded.message}\n`);
    process.exit(1);
  }
  const config = loaded.config;
  const logger = createLogger(config.LOG_LEVEL);

  const database = await openDatabase(
    config.DATABASE_URL
      ? { kind: 'postgres', url: config.DATABASE_URL }
      : { kind: 'pglite', dataDir: resolve(config.DATA_DIR) },
  );
  try {
    const result = await migrateToLatest(database.db);
    const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
    logger.info({ database: database.kind, applied }, 'migrations done');
  } catch (error) {
    logger.fatal(
      { errorMessage: error instanceof Error ? error.message : String(error) },
      'migration failed',
    );
    await database.close().catch(() => {});
    process.exit(1);
  }

  if (config.ADMIN_PASSWORD) {
    const row = await database.db.selectFrom('admin').select('password_hash').executeTakeFirst();
    if (!row || !(await verifyPassword(config.ADMIN_PASSWORD, row.password_hash))) {
      const passwordHash = await hashPassword(config.ADMIN_PASSWORD);
      await database.db
        .insertInto('admin')
        .values({ id: 1, password_hash: passwordHash })
        .onConflict((oc) =>
          oc.column('id').doUpdateSet({ password_hash: passwordHash, updated_at: new Date() }),
        )
        .execute();
      logger.info('admin password set from configuration');
    }
  }

  // The sealing keys live beside the data, never in the database (which a backup may carry elsewhere).
  const keyring = await openKeyring(join(resolve(config.DATA_DIR), 'keys'));
  logger.info({ keyId: keyring.current().keyId }, 'sealing key ready');

  const staticDir = resolve(config.STATIC_DIR);
  if (!existsSync(staticDir)) logger.warn({ staticDir }, 'no built tablet app: run `vite build` first');
  const app = createApp({ database, logger, keyring, staticDir: existsSync(staticDir) ? staticDir : null });
  const server = serve({ fetch: app.fetch, port: config.PORT, hostname: config.HOST }, (info) => {
    const host = info.address.includes(':') ? `[${info.address}]` : info.address;
    const url = `http://${host}:${info.port}/`;
    logger.info({ url, database: database.kind }, 'listening');
    process.stdout.write(`\nConsent Kiosk is running: ${url}  (admin: ${url}admin)\n\n`);
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    server.close(() => {
      database.close().finally(() => process.exit(0));
    });
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  process.stderr.write(
    `The records service could not start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
