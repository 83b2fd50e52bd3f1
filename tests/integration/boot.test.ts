/** Boot: configuration is validated with a clear message; a failed migration is an error (main exits 1). */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { MigrationError, migrateTo, migrateToLatest } from '../../server/db/migrations';
import { openTarget, TARGETS } from './harness';

describe('configuration', () => {
  it('has defaults and names every bad value', () => {
    const ok = loadConfig({});
    expect(ok).toMatchObject({ ok: true, config: { PORT: 8080, HOST: '127.0.0.1', DATA_DIR: './data' } });
    const bad = loadConfig({ PORT: 'eighty', DATABASE_URL: 'mysql://x', ADMIN_PASSWORD: 'short' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) {
      expect(bad.message).toContain('PORT');
      expect(bad.message).toContain('DATABASE_URL');
      expect(bad.message).toContain('ADMIN_PASSWORD');
    }
  });

  it('server/main.ts exits 1 with the message on bad configuration', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: { ...process.env, PORT: 'nope' },
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('Invalid configuration');
    expect(run.stderr).toContain('PORT');
  });
});

describe('first start without an account', () => {
  it('prints a one-time set-up code on the console, never in a log line', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ck-first-start-'));
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      env: {
        ...process.env,
        PORT: String(20_000 + Math.floor(Math.random() * 20_000)),
        DATA_DIR: dataDir,
        DATABASE_URL: '',
        ADMIN_PASSWORD: '',
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
    });
    try {
      const deadline = Date.now() + 60_000;
      while (!/listening/.test(out) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      const code = /^ {4}([A-Z0-9-]{20,})$/m.exec(out)?.[1];
      expect(code).toBeDefined();
      const logLines = out.split('\n').filter((line) => line.startsWith('{'));
      expect(logLines.some((line) => line.includes('set-up code was printed'))).toBe(true);
      expect(logLines.filter((line) => line.includes(code as string))).toEqual([]);
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});

describe.each(TARGETS)('migrations against %s', (target) => {
  it('are idempotent, and a failing migration throws naming it', async () => {
    const { database, drop } = await openTarget(target);
    try {
      await migrateToLatest(database.db);
      const again = await migrateToLatest(database.db);
      expect(again.results).toEqual([]);
      const broken = {
        '9999_broken': {
          up: async () => {
            throw new Error('boom');
          },
        },
      };
      await expect(migrateToLatest(database.db, broken)).rejects.toBeInstanceOf(MigrationError);
    } finally {
      await database.close();
      await drop();
    }
  });

  it('0002_custody: each meeting already held is written by the device of its first event; nothing else changes', async () => {
    const { database, drop } = await openTarget(target);
    try {
      await migrateTo(database.db, '0001_initial');
      const envelope = JSON.stringify({ kept: 'as it was' });
      await sql`insert into devices (id, label, token_hash) values ('tablet-a', 'A', 'ha'), ('tablet-b', 'B', 'hb')`.execute(
        database.db,
      );
      await sql`insert into meetings (id, head_seq, head_hash) values ('m-held', 2, 'h2'), ('m-empty', 0, 'h0')`.execute(
        database.db,
      );
      await sql`insert into events (id, meeting_id, seq, device_id, type, at, prev_hash, hash, envelope) values
        ('e1', 'm-held', 1, 'tablet-a', 'meeting.opened', '2026-11-23T10:00:00+00:00', 'h0', 'h1', ${envelope}::jsonb),
        ('e2', 'm-held', 2, 'tablet-b', 'attendee.added', '2026-11-23T10:01:00+00:00', 'h1', 'h2', ${envelope}::jsonb)`.execute(
        database.db,
      );
      await migrateToLatest(database.db);
      const meetings = await database.db
        .selectFrom('meetings')
        .select(['id', 'head_seq', 'writer_device_id'])
        .orderBy('id')
        .execute();
      expect(meetings).toEqual([
        { id: 'm-empty', head_seq: 0, writer_device_id: null },
        { id: 'm-held', head_seq: 2, writer_device_id: 'tablet-a' },
      ]);
      const events = await database.db
        .selectFrom('events')
        .select(['id', 'sent_at', 'envelope'])
        .orderBy('id')
        .execute();
      expect(events).toEqual([
        { id: 'e1', sent_at: null, envelope: { kept: 'as it was' } },
        { id: 'e2', sent_at: null, envelope: { kept: 'as it was' } },
      ]);
      expect(await database.db.selectFrom('custody_transfers').selectAll().execute()).toEqual([]);
    } finally {
      await database.close();
      await drop();
    }
  });
  it('0003_admin_accounts: the single admin password becomes the administrator "admin", old sessions end, the audit trail starts empty', async () => {
    const { database, drop } = await openTarget(target);
    try {
      await migrateTo(database.db, '0002_custody');
      await sql`insert into admin (id, password_hash) values (1, 'scrypt$16384$8$1$c2FsdA$a2V5')`.execute(
        database.db,
      );
      await sql`insert into admin_sessions (id_hash, expires_at) values ('old-session', now() + interval '1 hour')`.execute(
        database.db,
      );
      await sql`insert into devices (id, label, token_hash) values ('tablet-a', 'A', 'ha'), ('tablet-b', 'B', 'hb')`.execute(
        database.db,
      );
      await sql`insert into meetings (id, head_seq, head_hash, writer_device_id) values ('m-held', 2, 'h2', 'tablet-b')`.execute(
        database.db,
      );
      await sql`insert into custody_transfers (meeting_id, from_device_id, to_device_id, from_seq, by_admin, reason)
        values ('m-held', 'tablet-a', 'tablet-b', 3, 'admin', 'broken')`.execute(database.db);
      await migrateToLatest(database.db);
      const accounts = await database.db.selectFrom('admin_accounts').selectAll().execute();
      expect(accounts).toMatchObject([
        {
          username: 'admin',
          role: 'administrator',
          password_hash: 'scrypt$16384$8$1$c2FsdA$a2V5',
          must_change_password: false,
          disabled_at: null,
        },
      ]);
      expect(await database.db.selectFrom('admin_sessions').selectAll().execute()).toEqual([]);
      expect(await database.db.selectFrom('admin_audit').selectAll().execute()).toEqual([]);
      expect(await database.db.selectFrom('admin_setup').selectAll().execute()).toEqual([]);
      const { rows } = await sql<{
        n: number;
      }>`select count(*)::int as n from information_schema.tables where table_name = 'admin'`.execute(
        database.db,
      );
      expect(rows[0]?.n).toBe(0);
      expect(
        await database.db.selectFrom('custody_transfers').select(['by_admin', 'reason']).execute(),
      ).toEqual([{ by_admin: 'admin', reason: 'broken' }]);
    } finally {
      await database.close();
      await drop();
    }
  });
});
