/** Boot: configuration is validated with a clear message; a failed migration is an error (main exits 1). */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { MigrationError, migrateToLatest } from '../../server/db/migrations';
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
});
