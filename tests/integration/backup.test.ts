/**
 * Issue 20, backups: the procedures in docs/operating.md, done as an operator would. A service holding
 * meetings is backed up; the backup is restored into a fresh service; every meeting's head hash verifies
 * there and its minute entry reads the same.
 * - PostgreSQL: `pg_dump --format=custom`, then `pg_restore` into an empty database.
 * - PGlite: with the service stopped, a copy of DATA_DIR (the database directory; the keys beside it are
 *   backed up the same way); and, while it runs, PGlite's own dump (dumpDataDir), loaded into a new one.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Kysely } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { afterAll, describe, expect, it } from 'vitest';
import { createPGlite, type OpenDatabase, openDatabase } from '../../server/db/connect';
import type { Database } from '../../server/db/schema';
import * as s from '../support/scenario';
import {
  ALL_AGREE,
  adminCookie,
  enrol,
  freshPostgres,
  type Harness,
  makeHarness,
  newCode,
  ORIGIN,
  sealLog,
  syncRequest,
} from './harness';

const run = promisify(execFile);
const PASSWORD = 'backup-test-admin-password';
/** Each test makes, fills and restores whole databases: minutes on a busy 2-core machine. */
const SLOW = 300_000;
const cleanup: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const step of cleanup.reverse()) await step().catch(() => {});
});

/** Fills a service with two meetings (one closed, one still open) and returns their heads and minutes. */
async function fill(h: Harness): Promise<Map<string, { hash: string; minute: string }>> {
  const cookie = await adminCookie(h, PASSWORD);
  const device = await enrol(h, await newCode(h, cookie), 'Tablet to back up');
  const logs = [
    await sealLog(device.deviceId, ALL_AGREE),
    await sealLog(device.deviceId, [
      s.opened('child-protection-conference'),
      ...[s.people.chair, s.people.mother].map(s.added),
      s.requested('mother'),
    ]),
  ];
  for (const log of logs) expect((await syncRequest(h, device, log)).status).toBe(200);
  return heldRecords(h);
}

async function heldRecords(h: Harness): Promise<Map<string, { hash: string; minute: string }>> {
  const cookie = await adminCookie(h, PASSWORD);
  const rows = await h.database.db.selectFrom('meetings').select(['id', 'head_hash']).orderBy('id').execute();
  const held = new Map<string, { hash: string; minute: string }>();
  for (const { id, head_hash } of rows) {
    const minute = await (
      await h.app.request(`${ORIGIN}/admin/meetings/${id}/minute.txt`, { headers: { Cookie: cookie } })
    ).text();
    held.set(id, { hash: head_hash, minute });
  }
  return held;
}

/** Every meeting held before is held after the restore, verifies against its head, and reads the same. */
async function expectRestored(h: Harness, before: Map<string, { hash: string; minute: string }>) {
  const after = await heldRecords(h);
  expect([...after.keys()]).toEqual([...before.keys()]);
  const cookie = await adminCookie(h, PASSWORD);
  for (const [id, { hash, minute }] of before) {
    const verified = await h.app.request(`${ORIGIN}/admin/verify?meeting=${id}&hash=${hash}`, {
      headers: { Cookie: cookie },
    });
    expect(await verified.text()).toContain('The record matches');
    expect(after.get(id)?.minute).toBe(minute);
  }
}

describe('PGlite', () => {
  it(
    'a copy of DATA_DIR taken with the service stopped restores every meeting',
    async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'ck-backup-live-'));
      const copyDir = mkdtempSync(join(tmpdir(), 'ck-backup-copy-'));
      cleanup.push(async () => rmSync(dataDir, { recursive: true, force: true }));
      cleanup.push(async () => rmSync(copyDir, { recursive: true, force: true }));
      const live = await makeHarness('pglite', {
        database: await openDatabase({ kind: 'pglite', dataDir }),
        adminPassword: PASSWORD,
      });
      const before = await fill(live);
      await live.close(); // the service is stopped
      cpSync(dataDir, copyDir, { recursive: true });
      rmSync(dataDir, { recursive: true, force: true }); // the original is lost
      const restored = await makeHarness('pglite', {
        database: await openDatabase({ kind: 'pglite', dataDir: copyDir }),
      });
      cleanup.push(() => restored.close());
      await expectRestored(restored, before);
    },
    SLOW,
  );

  it(
    'a dump taken while it runs (PGlite dumpDataDir) restores every meeting',
    async () => {
      const client = await createPGlite(null);
      const running: OpenDatabase = {
        db: new Kysely<Database>({ dialect: new PGliteDialect(client) }),
        kind: 'pglite',
        close: () => client.close(),
      };
      const live = await makeHarness('pglite', { database: running, adminPassword: PASSWORD });
      const before = await fill(live);
      const dump = await client.dumpDataDir('gzip');
      await live.close();
      const restoredClient = await createPGlite(null, { loadDataDir: dump });
      const restored = await makeHarness('pglite', {
        database: {
          db: new Kysely<Database>({ dialect: new PGliteDialect(restoredClient) }),
          kind: 'pglite',
          close: () => restoredClient.close(),
        },
      });
      cleanup.push(() => restored.close());
      await expectRestored(restored, before);
    },
    SLOW,
  );
});

describe.skipIf(!process.env.TEST_DATABASE_URL)('PostgreSQL', () => {
  it(
    'pg_dump --format=custom and pg_restore into an empty database restore every meeting',
    async () => {
      const source = await freshPostgres();
      const target = await freshPostgres();
      cleanup.push(source.drop, target.drop);
      const live = await makeHarness('postgres', {
        database: await openDatabase({ kind: 'postgres', url: source.url }),
        adminPassword: PASSWORD,
      });
      const before = await fill(live);
      const dir = mkdtempSync(join(tmpdir(), 'ck-backup-pg-'));
      cleanup.push(async () => rmSync(dir, { recursive: true, force: true }));
      const file = join(dir, 'consent-kiosk.dump');
      await run('pg_dump', ['--format=custom', `--file=${file}`, source.url]);
      await live.close();
      await run('pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${target.url}`, file]);
      const restored = await makeHarness('postgres', {
        database: await openDatabase({ kind: 'postgres', url: target.url }),
      });
      cleanup.push(() => restored.close());
      await expectRestored(restored, before);
    },
    SLOW,
  );
});
