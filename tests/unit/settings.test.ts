/**
 * The settings table (issue 15): each key has one owner that declares it with its type, and nothing else
 * reads or writes the table; a value of the wrong shape reads as absent, never as a cast.
 */
import 'fake-indexeddb/auto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deviceIdSetting } from '../../src/storage/boot';
import { custodySetting } from '../../src/storage/custody';
import { createDb } from '../../src/storage/db';
import { batchSetting, enrolmentSetting, quarantineSetting } from '../../src/sync/settings';

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sources(path) : /\.tsx?$/.test(name) ? [path] : [];
  });
}

describe('the settings table', () => {
  it('is read and written only through the typed accessor, each key declared once', () => {
    const keys: string[] = [];
    for (const file of sources('src')) {
      const text = readFileSync(file, 'utf8');
      if (file !== join('src', 'storage', 'settings.ts'))
        expect(text, file).not.toMatch(/\.settings\.(get|put|add|delete|update|where|toArray|bulk)/);
      for (const m of text.matchAll(/\bsetting\(\s*'([^']+)'/g)) keys.push(m[1] ?? '');
    }
    expect(keys.length).toBeGreaterThan(3);
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('a value of the wrong shape reads as absent', async () => {
    const db = createDb(`settings-${Math.random()}`);
    await db.settings.bulkPut([
      { key: deviceIdSetting.key, value: 'not a valid id!' },
      { key: custodySetting.key, value: { meetingId: 'm', holder: 'someone else', tookBackFrom: null } },
      { key: enrolmentSetting.key, value: { serverUrl: 'https://records.example.gov.uk' } },
      { key: batchSetting.key, value: { idempotencyKey: 'k', meetingId: 'm', eventIds: [1] } },
      { key: quarantineSetting.key, value: ['m'] },
    ]);
    expect(await deviceIdSetting.read(db)).toBeUndefined();
    expect(await custodySetting.read(db)).toBeUndefined();
    expect(await enrolmentSetting.read(db)).toBeUndefined();
    // Present though unreadable: the shell still knows the tablet was enrolled.
    expect(await enrolmentSetting.has(db)).toBe(true);
    expect(await batchSetting.read(db)).toBeUndefined();
    expect(await quarantineSetting.read(db)).toBeUndefined();
    await custodySetting.write(db, { meetingId: 'm', holder: 'signer', tookBackFrom: null });
    expect(await custodySetting.read(db)).toEqual({ meetingId: 'm', holder: 'signer', tookBackFrom: null });
    db.close();
  });
});
