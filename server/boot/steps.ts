/**
 * The steps of boot, each turning its failure into a BootError (a code and what to fix): the data folder,
 * the database, the migrations, the port.
 */
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import pg from 'pg';
import type { Config } from '../config';
import { type OpenDatabase, openDatabase } from '../db/connect';
import { MigrationError, migrateToLatest } from '../db/migrations';
import { BootError, databaseError, dataDirError, listenError, migrationError, redactUrl } from './errors';

/** The data folder exists (created if missing), is a folder, and this user can write a file in it. */
export function prepareDataDir(dataDir: string): void {
  try {
    const found = statSync(dataDir, { throwIfNoEntry: false });
    if (found && !found.isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
    if (!found) mkdirSync(dataDir, { recursive: true });
    // access(2) says yes to root on a read-only mount's permissions; writing a file tells the truth.
    const probe = join(dataDir, `.write-test-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe, { force: true });
  } catch (error) {
    throw dataDirError(error, dataDir);
  }
}

/** Connects once with a short timeout, so a wrong URL is named at boot and not at the first sync. */
async function probePostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
  } catch (error) {
    throw databaseError(error, url);
  } finally {
    await client.end().catch(() => {});
  }
}

export async function openConfiguredDatabase(config: Config): Promise<OpenDatabase> {
  if (config.DATABASE_URL) {
    await probePostgres(config.DATABASE_URL);
    return openDatabase({ kind: 'postgres', url: config.DATABASE_URL });
  }
  const dataDir = resolve(config.DATA_DIR);
  prepareDataDir(dataDir);
  try {
    return await openDatabase({ kind: 'pglite', dataDir });
  } catch (error) {
    throw dataDirError(error, dataDir);
  }
}

/** Runs pending migrations; returns the names applied. */
export async function runMigrations(database: OpenDatabase, config: Config): Promise<string[]> {
  try {
    const result = await migrateToLatest(database.db);
    return result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
  } catch (error) {
    const target = config.DATABASE_URL
      ? redactUrl(config.DATABASE_URL)
      : `DATA_DIR ${resolve(config.DATA_DIR)}`;
    if (error instanceof MigrationError) throw migrationError(error.cause, error.migrationName, target);
    // Before any migration ran (reading the migrations table): the database itself is the problem.
    throw config.DATABASE_URL
      ? databaseError(error, config.DATABASE_URL)
      : dataDirError(error, resolve(config.DATA_DIR));
  }
}

type Fetch = (request: Request, env: unknown) => Response | Promise<Response>;

/**
 * Listens on HOST:PORT before the database is opened, so that a port in use is named at once, not after
 * the migrations; until `ready` is given the app, every request is answered 503 with Retry-After (the
 * tablet retries). Rejects with the reason the port cannot be had.
 */
export function listenEarly(config: Config): Promise<{ server: Server; ready: (app: Hono) => void }> {
  let fetch: Fetch = () =>
    new Response(
      JSON.stringify({ error: { code: 'starting', message: 'The service is starting: try again shortly.' } }),
      {
        status: 503,
        headers: { 'Content-Type': 'application/json', 'Retry-After': '5', 'Cache-Control': 'no-store' },
      },
    );
  return new Promise((resolveListening, reject) => {
    const server = serve({
      fetch: (request, env) => fetch(request, env),
      port: config.PORT,
      hostname: config.HOST,
    }) as Server;
    const onError = (error: unknown) => {
      server.close();
      reject(listenError(error, config.HOST, config.PORT));
    };
    server.once('error', onError);
    server.once('listening', () => {
      server.off('error', onError);
      resolveListening({
        server,
        ready: (app) => {
          fetch = (request, env) => app.fetch(request, env);
        },
      });
    });
  });
}

export { BootError };
