/**
 * Boot: configuration is validated with a clear message; a failed migration is an error; the real server
 * (server/main.ts, spawned, on 127.0.0.1) exits 1 naming a stable code and what to fix when it cannot start.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { MigrationError, migrateTo, migrateToLatest } from '../../server/db/migrations';
import { freePort, openTarget, TARGETS } from './harness';

describe('configuration', () => {
  it('VERIFY_BASE_URL, printed on every document, must be a plain http(s) address', () => {
    const good = loadConfig({ VERIFY_BASE_URL: 'https://records.council.gov.uk/' });
    expect(good).toMatchObject({ ok: true, config: { VERIFY_BASE_URL: 'https://records.council.gov.uk' } });
    for (const bad of [
      'records.council.gov.uk',
      'https://u:p@records.gov.uk',
      'https://x.gov.uk/?a=1',
      'ftp://x',
    ]) {
      const result = loadConfig({ VERIFY_BASE_URL: bad });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toContain('VERIFY_BASE_URL');
    }
  });

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
});

/** Runs server/main.ts until it exits (or 60 s pass); its output, in full. */
function boot(
  env: Record<string, string>,
): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], {
      // No ADMIN_PASSWORD or DATABASE_URL from the caller's environment: each test says what it runs with.
      env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.once('error', reject);
    child.once('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

describe('the real server cannot start: it exits 1 with a code and what to fix', () => {
  let dir: string;
  let busy: Server;
  let busyPort: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ck-boot-'));
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', () => resolve()));
    const address = busy.address();
    busyPort = typeof address === 'object' && address ? address.port : 0;
  });
  afterAll(async () => {
    await new Promise((resolve) => busy?.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  it('bad configuration names each bad variable, never its value', async () => {
    const run = await boot({ PORT: 'nope', ADMIN_PASSWORD: 'short-pw' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      'Consent Kiosk could not start [config-invalid]: Invalid configuration: correct the environment variables below and start again.',
    );
    expect(run.stderr).toMatch(/^ {2}PORT: /m);
    expect(run.stderr).toMatch(/^ {2}ADMIN_PASSWORD: /m);
    expect(run.stderr + run.stdout).not.toContain('short-pw');
  });

  // Tests run as root, which may write anywhere: a DATA_DIR that is a file (or under one) is what fails here;
  // the mapping of EACCES and EROFS to their own codes is unit-tested (tests/unit/boot-errors.test.ts).
  it('a DATA_DIR that is a file, or lies under one, is data-dir-not-a-folder; never "[object Object]"', async () => {
    const file = join(dir, 'a-file');
    writeFileSync(file, 'not a folder');
    for (const dataDir of [file, join(file, 'data')]) {
      const run = await boot({ DATA_DIR: dataDir, PORT: String(await freePort()) });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(
        `Consent Kiosk could not start [data-dir-not-a-folder]: DATA_DIR ${dataDir} is a file, or lies under one, not a folder: choose a folder`,
      );
      expect(run.stdout).toContain('"errorCode":"data-dir-not-a-folder"');
      expect(run.stderr + run.stdout).not.toContain('[object Object]');
    }
  });

  it('a port in use is port-in-use, naming the port', async () => {
    const run = await boot({ DATA_DIR: join(dir, 'data-port'), PORT: String(busyPort) });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      `Consent Kiosk could not start [port-in-use]: PORT ${busyPort} on 127.0.0.1 is already in use by another program (or another copy of this service): stop it, or choose another PORT (EADDRINUSE listen)`,
    );
    expect(run.stdout).toContain('"errorCode":"port-in-use"');
  });

  it('an unreachable DATABASE_URL is db-unreachable, shown without its password', async () => {
    const port = await freePort();
    const run = await boot({
      DATABASE_URL: `postgres://ck:hunter2-secret@127.0.0.1:${port}/records`,
      PORT: String(await freePort()),
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain(
      `Consent Kiosk could not start [db-unreachable]: PostgreSQL at postgres://ck@127.0.0.1:${port}/records cannot be reached: start it, or correct the host and port in DATABASE_URL (ECONNREFUSED connect)`,
    );
    expect(run.stderr + run.stdout).not.toContain('hunter2');
  });

  it.runIf(process.env.TEST_DATABASE_URL)(
    'wrong PostgreSQL credentials are db-auth-failed; a database that does not exist is db-not-found',
    async () => {
      const base = new URL(process.env.TEST_DATABASE_URL as string);
      const wrongUser = new URL(base);
      wrongUser.username = 'no_such_user_ck';
      wrongUser.password = 'wrong-password';
      let run = await boot({ DATABASE_URL: wrongUser.toString(), PORT: String(await freePort()) });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('[db-auth-failed]');
      expect(run.stderr).toContain('correct them in DATABASE_URL');
      expect(run.stderr).not.toContain('wrong-password');

      const missing = new URL(base);
      missing.pathname = '/ck_no_such_database';
      run = await boot({ DATABASE_URL: missing.toString(), PORT: String(await freePort()) });
      expect(run.status).toBe(1);
      expect(run.stderr).toContain('[db-not-found]: The database "ck_no_such_database" does not exist at');
      expect(run.stderr).toContain('create it (createdb ck_no_such_database)');
    },
  );
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
