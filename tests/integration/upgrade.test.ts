/**
 * Issue 20, upgrades: a database made by the previous release opens with this one. The fixture
 * (tests/fixtures/release-21.sql) is the previous release's own database, made by the code of the tag
 * `release-21` (the last release that landed): its migrations, its admin, three meetings from two tablets
 * synced through its API, dumped with pg_dump. This release migrates it, and every meeting still opens,
 * verifies against its head hash, and exports. And migrations only ever add: a step that drops or renames
 * a table or a column, or changes a column's type, fails here.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type OpenDatabase, openDatabase } from '../../server/db/connect';
import { MIGRATION_NAMES, migrateTo, migrateToLatest } from '../../server/db/migrations';
import {
  addAccount,
  adminCookie,
  freshPostgres,
  type Harness,
  makeHarness,
  ORIGIN,
  TARGETS,
} from './harness';

const FIXTURE = readFileSync(resolve(__dirname, '../fixtures/release-21.sql'), 'utf8');
const PASSWORD = 'upgrade-test-admin-password';

/** A database holding the previous release's dump; `close` also removes it. */
async function previousRelease(
  target: string,
): Promise<{ database: OpenDatabase; remove: () => Promise<void> }> {
  if (target === 'pglite') {
    const dir = mkdtempSync(join(tmpdir(), 'ck-upgrade-'));
    const raw = await PGlite.create(dir);
    await raw.exec(FIXTURE);
    await raw.close();
    return {
      database: await openDatabase({ kind: 'pglite', dataDir: dir }),
      remove: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  const fresh = await freshPostgres();
  const client = new pg.Client({ connectionString: fresh.url });
  await client.connect();
  await client.query(FIXTURE);
  await client.end();
  return { database: await openDatabase({ kind: 'postgres', url: fresh.url }), remove: fresh.drop };
}

interface Column {
  table: string;
  column: string;
  type: string;
}

async function columns(db: Kysely<unknown>): Promise<Column[]> {
  const { rows } = await sql<Column>`
    select table_name as "table", column_name as "column", data_type as "type"
    from information_schema.columns where table_schema = 'public'
    order by table_name, column_name`.execute(db);
  return rows;
}

describe.each(TARGETS)('upgrading from the previous release, on %s', (target) => {
  let h: Harness;
  let remove: () => Promise<void> = async () => {};
  let heads: { id: string; head_hash: string; head_seq: number }[];

  beforeAll(async () => {
    const previous = await previousRelease(target);
    remove = previous.remove;
    heads = await previous.database.db
      .selectFrom('meetings')
      .select(['id', 'head_hash', 'head_seq'])
      .orderBy('id')
      .execute();
    const applied = await migrateToLatest(previous.database.db);
    expect(applied.results?.every((r) => r.status === 'Success')).toBe(true);
    h = await makeHarness(target, { database: previous.database });
    await addAccount(h.database, { username: 'upgrader', password: PASSWORD, role: 'administrator' });
  }, 120_000);
  afterAll(async () => {
    await h?.close();
    await remove();
  });

  it('keeps every meeting of the previous release, with the same head', async () => {
    expect(heads.length).toBe(3);
    const after = await h.database.db
      .selectFrom('meetings')
      .select(['id', 'head_hash', 'head_seq'])
      .orderBy('id')
      .execute();
    expect(after).toEqual(heads);
  });

  it('opens, verifies and exports every meeting it held', async () => {
    const cookie = await adminCookie(h, PASSWORD, 'upgrader');
    const get = (path: string) => h.app.request(`${ORIGIN}${path}`, { headers: { Cookie: cookie } });
    for (const { id, head_hash } of heads) {
      expect((await get(`/admin/meetings/${id}`)).status).toBe(200);
      const verified = await get(`/admin/verify?meeting=${id}&hash=${head_hash}`);
      expect(await verified.text()).toContain('The record matches');
      const text = await get(`/admin/meetings/${id}/minute.txt`);
      expect(text.status).toBe(200);
      expect((await text.text()).length).toBeGreaterThan(200);
      const json = await get(`/admin/meetings/${id}/minute.json`);
      expect(json.status).toBe(200);
      const pdf = await get(`/admin/meetings/${id}/minute.pdf`);
      expect(pdf.status).toBe(200);
      expect(new TextDecoder().decode((await pdf.arrayBuffer()).slice(0, 5))).toBe('%PDF-');
    }
  });

  it('a minute entry kept by other code (an earlier release) is built again by this one', async () => {
    const cookie = await adminCookie(h, PASSWORD, 'upgrader');
    const id = heads[0]?.id as string;
    const fresh = await (
      await h.app.request(`${ORIGIN}/admin/meetings/${id}/minute.txt`, { headers: { Cookie: cookie } })
    ).text();
    await h.database.db
      .updateTable('minute_entries')
      .set({ text: 'A minute in an earlier release’s words', builder: 'an earlier release' })
      .where('meeting_id', '=', id)
      .execute();
    const again = await (
      await h.app.request(`${ORIGIN}/admin/meetings/${id}/minute.txt`, { headers: { Cookie: cookie } })
    ).text();
    expect(again).toBe(fresh);
  });
});

describe.each(TARGETS)('migrations only add, on %s', (target) => {
  let database: OpenDatabase;
  let drop: () => Promise<void> = async () => {};

  beforeAll(async () => {
    if (target === 'pglite') database = await openDatabase({ kind: 'pglite', dataDir: null });
    else {
      const fresh = await freshPostgres();
      drop = fresh.drop;
      database = await openDatabase({ kind: 'postgres', url: fresh.url });
    }
  });
  afterAll(async () => {
    await database?.close();
    await drop();
  });

  /**
   * Removals made before this rule, each reviewed and tested by its own migration test: 0003 moved the
   * single admin password into the administrator account "admin", then dropped the old one-row table.
   */
  const REVIEWED: Record<string, readonly string[]> = {
    '0003_admin_accounts': [
      'admin.id: integer',
      'admin.password_hash: text',
      'admin.updated_at: timestamp with time zone',
    ],
  };

  it('no migration drops or renames a table or column, or changes a column type', async () => {
    let before: Column[] = [];
    for (const name of MIGRATION_NAMES) {
      await migrateTo(database.db, name as Parameters<typeof migrateTo>[1]);
      const after = await columns(database.db as Kysely<unknown>);
      const kept = new Set(after.map((c) => `${c.table}.${c.column}: ${c.type}`));
      const lost = before
        .map((c) => `${c.table}.${c.column}: ${c.type}`)
        .filter((c) => !kept.has(c) && !REVIEWED[name]?.includes(c));
      expect({ migration: name, lost }).toEqual({ migration: name, lost: [] });
      before = after;
    }
    expect(before.length).toBeGreaterThan(20);
  });
});
