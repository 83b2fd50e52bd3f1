/**
 * The start's storage check and the first screen's reads (src/storage/boot.ts, issue 15): on a slow tablet
 * every answer from IndexedDB waits its turn on a busy main thread, so the start asks everything at once and
 * waits for one round of answers, not for one answer after another.
 */
import 'fake-indexeddb/auto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as boot from '../../src/storage/boot';
import { custodySetting } from '../../src/storage/custody';
import { createDb, type KioskDb } from '../../src/storage/db';
import { loadPinRecord, savePin } from '../../src/storage/pin';
import { isEnrolled } from '../../src/sync/registry';

const openDbs: KioskDb[] = [];

function newDb(): KioskDb {
  const db = createDb(`kiosk-boot-reads-test-${crypto.randomUUID()}`);
  openDbs.push(db);
  return db;
}

afterEach(async () => {
  vi.restoreAllMocks();
  for (const db of openDbs.splice(0)) await db.delete();
});

/** The shell's reads before its first screen (src/shell/App.tsx). */
const firstScreen = (db: KioskDb) => () =>
  Promise.all([
    boot.ensureDeviceId(db),
    loadPinRecord(db),
    boot.findOpenMeeting(db),
    isEnrolled(db),
    custodySetting.read(db),
  ]);

/**
 * Records every request made of an object store or an index, and whether any request had been answered
 * when it was made.
 */
function watchRequests() {
  const requests: Array<{ method: string; afterAnAnswer: boolean }> = [];
  let isAnswered = false;
  const watch = (proto: object, methods: string[]) => {
    for (const method of methods) {
      const original = Reflect.get(proto, method) as (...args: unknown[]) => IDBRequest;
      vi.spyOn(proto as Record<string, (...args: unknown[]) => IDBRequest>, method).mockImplementation(
        function (this: unknown, ...args: unknown[]) {
          requests.push({ method, afterAnAnswer: isAnswered });
          const request = original.apply(this, args);
          request.addEventListener('success', () => {
            isAnswered = true;
          });
          return request;
        },
      );
    }
  };
  watch(IDBObjectStore.prototype, ['get', 'put', 'add', 'delete', 'getAll', 'openCursor', 'count']);
  watch(IDBIndex.prototype, ['get', 'getAll', 'openCursor', 'openKeyCursor', 'count']);
  return requests;
}

describe('the start asks IndexedDB everything at once', () => {
  it('on a tablet in use, the storage check and every read of the first screen are asked before the first answer', async () => {
    const db = newDb();
    const deviceId = await boot.ensureDeviceId(db);
    const pin = await savePin(db, '2468');
    await custodySetting.write(db, { meetingId: 'm1', holder: 'chair', tookBackFrom: null });
    db.close();

    const requests = watchRequests();
    const opened = await boot.openStorage(db, firstScreen(db));

    expect(opened).toEqual({
      ok: true,
      value: [deviceId, pin, undefined, false, { meetingId: 'm1', holder: 'chair', tookBackFrom: null }],
    });
    // The probe's write, read and delete, and the five reads.
    expect(requests.length).toBeGreaterThanOrEqual(8);
    expect(requests.filter((r) => r.afterAnAnswer)).toEqual([]);
  });

  it('what a first start writes (the device id) is kept, and the probe is not', async () => {
    const db = newDb();
    const opened = await boot.openStorage(db, firstScreen(db));
    if (!opened.ok) throw new Error(opened.message);
    expect(opened.value[0]).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(await boot.ensureDeviceId(db)).toBe(opened.value[0]);
    expect((await db.settings.toArray()).map((row) => row.key)).toEqual(['deviceId']);
  });

  it('storage that does not keep what was written is refused, even though its reads all answered', async () => {
    const db = newDb();
    await db.open();
    // Storage that takes a write and, asked for it back, has nothing (as some private modes have done).
    const count = IDBObjectStore.prototype.count;
    vi.spyOn(IDBObjectStore.prototype, 'get').mockImplementation(function (this: IDBObjectStore) {
      return count.call(this, '__nothing__') as IDBRequest;
    });
    const opened = await boot.openStorage(db, async () => 'read');
    expect(opened).toMatchObject({ ok: false, reason: 'unavailable' });
  });
});
