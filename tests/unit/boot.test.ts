/**
 * The app shell's first load (issue 7): what it reads at boot without src/domain (src/storage/boot.ts, the
 * sync registry, the home screen's date) agrees with the modules it stands in for, and nothing the shell
 * imports statically reaches the domain, the meeting store, signature_pad or the PDF code.
 */
import 'fake-indexeddb/auto';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { dateOf } from '../../src/domain/dates';
import type { EventOf } from '../../src/domain/events';
import * as boot from '../../src/storage/boot';
import { createDb, type KioskDb } from '../../src/storage/db';
import * as meetingStore from '../../src/storage/meetingStore';
import { ENROLMENT_KEY } from '../../src/sync/enrolment';
import { isEnrolled } from '../../src/sync/registry';
import * as s from '../support/scenario';

const openDbs: KioskDb[] = [];

function newDb(): KioskDb {
  const db = createDb(`kiosk-boot-test-${crypto.randomUUID()}`);
  openDbs.push(db);
  return db;
}

afterEach(async () => {
  vi.restoreAllMocks();
  for (const db of openDbs.splice(0)) await db.delete();
});

describe('the storage check and the device id', () => {
  it("the meeting store uses the shell's (one of each, read before the first screen)", () => {
    expect(meetingStore.checkStorage).toBe(boot.checkStorage);
    expect(meetingStore.ensureDeviceId).toBe(boot.ensureDeviceId);
  });

  it('working storage passes the check in one transaction and keeps nothing from it', async () => {
    const db = newDb();
    const transaction = vi.spyOn(db, 'transaction');
    expect(await boot.checkStorage(db)).toEqual({ ok: true });
    expect(transaction).toHaveBeenCalledTimes(1);
    expect(await db.settings.count()).toBe(0);
  });

  it("the first screen's reads come with the check, in its one transaction, and what they write is kept", async () => {
    const db = newDb();
    const idbTransaction = vi.spyOn(IDBDatabase.prototype, 'transaction');
    await db.open();
    const opening = idbTransaction.mock.calls.length;
    const opened = await boot.openStorage(db, () =>
      Promise.all([boot.ensureDeviceId(db), boot.findOpenMeeting(db), db.settings.get('chair.pin')]),
    );
    expect(opened).toMatchObject({
      ok: true,
      value: [expect.stringMatching(/^[A-Za-z0-9_-]+$/), undefined, undefined],
    });
    expect(idbTransaction.mock.calls.length - opening).toBe(1);
    expect(await boot.ensureDeviceId(db)).toBe(opened.ok ? opened.value[0] : '');
  });

  it('a read that fails is reported as storage that cannot be used, and nothing it wrote is kept', async () => {
    const db = newDb();
    const opened = await boot.openStorage(db, async () => {
      await boot.ensureDeviceId(db);
      throw new DOMException(
        'The operation failed for reasons unrelated to the database itself.',
        'UnknownError',
      );
    });
    expect(opened).toMatchObject({
      ok: false,
      reason: 'unavailable',
      message: expect.stringContaining('UnknownError'),
    });
    expect(await db.settings.count()).toBe(0);
  });
});

describe("the shell's reads agree with the meeting store", () => {
  it('the open meeting and the list of meetings, newest first', async () => {
    const db = newDb();
    let t = Date.parse('2026-11-23T09:58:00Z');
    const now = () => {
      t += 60_000;
      return new Date(t);
    };
    const store = new meetingStore.MeetingStore(db, { deviceId: s.DEVICE_ID, now });
    expect(await boot.findOpenMeeting(db)).toBeUndefined();
    for (const title of ['First', 'Second', 'Third']) {
      const event = s.opened() as EventOf<'meeting.opened'>;
      const meeting = { ...event.payload.meeting, title };
      const opened = await store.createMeeting({ ...event, payload: { ...event.payload, meeting } });
      if (!opened.ok) throw new Error(opened.rejection.message);
      if (title !== 'Third')
        for (const event of s.chairAddedConfirmsAndCloses) await store.append(opened.meetingId, event);
    }
    expect(await boot.listMeetings(db)).toEqual(await store.list());
    expect((await boot.listMeetings(db)).map((m) => m.title)).toEqual(['Third', 'Second', 'First']);
    expect(await boot.findOpenMeeting(db)).toEqual(await store.openMeeting());
    expect((await boot.findOpenMeeting(db))?.title).toBe('Third');
  });

  it('a tablet is enrolled once enrolment.ts has kept an enrolment under its key', async () => {
    const db = newDb();
    expect(await isEnrolled(db)).toBe(false);
    await db.settings.put({ key: ENROLMENT_KEY, value: { serverUrl: 'http://127.0.0.1:8080' } });
    expect(await isEnrolled(db)).toBe(true);
  });

  it("the home screen's date is the one written in the meeting's time, not the reader's zone", () => {
    // 00:30 on the day the clocks go forward, written in British Summer Time: still Sunday 29 March.
    expect(dateOf('2026-03-29T00:30:00+01:00')).toBe('Sunday 29 March 2026');
    expect(dateOf('2026-11-23T23:59:00-10:00')).toBe('Monday 23 November 2026');
  });
});

/** Value imports (not `import type`) and re-exports of a module, as written: relative paths and package names. */
function valueImports(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/(?:^|\n)\s*import\s+(type\s+)?([^;'"]*?)\s+from\s+['"]([^'"]+)['"]/g)) {
    const [, isTypeOnly, clause = '', specifier = ''] = m;
    // `import { type A, type B } from` imports no value either.
    const names = clause.match(/^\{([\s\S]*)\}$/)?.[1];
    const isAllTypes = names?.split(',').every((n) => !n.trim() || /^type\s/.test(n.trim())) ?? false;
    if (!isTypeOnly && !isAllTypes) found.push(specifier);
  }
  for (const m of source.matchAll(/(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g)) found.push(m[1] ?? '');
  for (const m of source.matchAll(
    /(?:^|\n)\s*export\s+(type\s+)?(?:\{[^}]*\}|\*(?:\s+as\s+\w+)?)\s+from\s+['"]([^'"]+)['"]/g,
  )) {
    if (!m[1]) found.push(m[2] ?? '');
  }
  return found;
}

function resolveModule(from: string, specifier: string): string {
  const base = resolve(dirname(from), specifier);
  for (const candidate of [
    base,
    `${base}.ts`,
    `${base}.tsx`,
    join(base, 'index.ts'),
    join(base, 'index.tsx'),
  ]) {
    try {
      readFileSync(candidate);
      return candidate;
    } catch {
      // not this one
    }
  }
  throw new Error(`cannot resolve ${specifier} from ${from}`);
}

/** Every module and package the entry reaches through static value imports (dynamic import() is not followed). */
function staticGraph(entry: string): { modules: Set<string>; packages: Set<string> } {
  const modules = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (modules.has(file)) return;
    modules.add(file);
    if (!/\.tsx?$/.test(file)) return;
    for (const specifier of valueImports(readFileSync(file, 'utf8'))) {
      if (specifier.startsWith('.')) visit(resolveModule(file, specifier));
      else
        packages.add(
          specifier.startsWith('@')
            ? specifier.split('/').slice(0, 2).join('/')
            : (specifier.split('/')[0] ?? ''),
        );
    }
  };
  visit(resolve(entry));
  return { modules, packages };
}

describe("the shell's static imports", () => {
  const { modules, packages } = staticGraph('src/main.tsx');
  const relative = [...modules].map((m) => m.slice(resolve('.').length + 1));

  it('reach the PIN screen, the home screen and the update prompt', () => {
    expect(relative).toEqual(
      expect.arrayContaining([
        'src/shell/App.tsx',
        'src/shell/Lock.tsx',
        'src/shell/Home.tsx',
        'src/pwa/PwaLayer.tsx',
        'src/storage/boot.ts',
        'src/sync/registry.ts',
      ]),
    );
  });

  it('never the domain (but its dependency-free dates and labels), the meeting store, the sync engine, the meeting’s code (src/meeting) or the PDF code', () => {
    const forbidden = relative.filter((m) =>
      /^src\/(domain\/(?!(dates|labels)\.ts$)|storage\/meetingStore|sync\/(syncMachine|push|transport|service|enrolment|start)|signature\/|export\/|meeting\/|shell\/SettingsSections)/.test(
        m,
      ),
    );
    expect(forbidden).toEqual([]);
    expect(
      [...packages].filter((p) =>
        ['xstate', '@xstate/react', 'zod', 'signature_pad', 'pdf-lib', 'canonicalize'].includes(p),
      ),
    ).toEqual([]);
  });
});
