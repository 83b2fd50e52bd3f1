/**
 * Opens the database: PGlite (embedded PostgreSQL, in DATA_DIR) by default, or a PostgreSQL server when a
 * URL is given. Same SQL and migrations on both. kysely-pglite-dialect declares a peer range of PGlite 0.4;
 * it works unchanged with 0.5 (it only uses PGlite.query and close), checked by the integration tests.
 */
import { mkdirSync } from 'node:fs';
import { PGlite, type PGliteOptions } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { Kysely, PostgresDialect } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import pg from 'pg';
import type { Database } from './schema';

export type DatabaseTarget = { kind: 'pglite'; dataDir: string | null } | { kind: 'postgres'; url: string };

export interface OpenDatabase {
  db: Kysely<Database>;
  kind: DatabaseTarget['kind'];
  close: () => Promise<void>;
  /** PostgreSQL's connection pool, for the metrics (PGlite has none). */
  pool?: { readonly totalCount: number; readonly idleCount: number; readonly waitingCount: number };
}

/**
 * The extensions every PGlite instance of the service loads: pg_trgm, for the trigram index the meetings
 * list's search uses (migration 0010_title_search creates the extension). Anything that opens the service's
 * PGlite data (a restored dump, a copy of DATA_DIR) must load them too.
 */
export const PGLITE_EXTENSIONS = { pg_trgm } as const;

/** A PGlite instance as the service opens one: in `dataDir` (null: in memory), with its extensions. */
export function createPGlite(
  dataDir: string | null,
  options: Omit<PGliteOptions, 'extensions' | 'dataDir'> = {},
): Promise<PGlite> {
  const withExtensions = { ...options, extensions: PGLITE_EXTENSIONS };
  return dataDir ? PGlite.create(dataDir, withExtensions) : PGlite.create(withExtensions);
}

export async function openDatabase(target: DatabaseTarget): Promise<OpenDatabase> {
  if (target.kind === 'pglite') {
    if (target.dataDir) mkdirSync(target.dataDir, { recursive: true });
    const client = await createPGlite(target.dataDir);
    // The dialect queues callers on PGlite's single connection, so transactions never interleave.
    const db = new Kysely<Database>({ dialect: new PGliteDialect(client) });
    return { db, kind: 'pglite', close: () => db.destroy() };
  }
  const pool = new pg.Pool({ connectionString: target.url, max: 10 });
  // An idle client's error (e.g. the server restarted) must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return { db, kind: 'postgres', close: () => db.destroy(), pool };
}
