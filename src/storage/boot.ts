/**
 * What the app shell reads from the database before the first screen (the storage check, the device id,
 * the open meeting, the list of meetings), with no import of src/domain: the statechart, the schemas and
 * the meeting store are loaded only when a meeting is run (src/meeting/kioskStore.ts). openStorage does
 * the check and the first screen's reads in one transaction.
 *
 * meetingStore.ts uses these (and re-exports checkStorage and ensureDeviceId), so there is one of each.
 */
import { v7 as uuidv7 } from 'uuid';
import { i18n } from '../shared/i18n';
import type { KioskDb, MeetingRow } from './db';
import { setting } from './settings';

/** The meeting that is open on this tablet, if any. */
export function findOpenMeeting(db: KioskDb): Promise<MeetingRow | undefined> {
  return db.meetings.where('status').equals('open').first();
}

/** Every meeting on the tablet, newest first. */
export async function listMeetings(db: KioskDb): Promise<MeetingRow[]> {
  const rows = await db.meetings.toArray();
  // createdAt carries the local offset, which can change (summer time), so compare instants, not text.
  return rows.sort(
    (a, b) => Date.parse(b.createdAt) - Date.parse(a.createdAt) || (a.id < b.id ? 1 : a.id > b.id ? -1 : 0),
  );
}

// ------------------------------------------------------------------ device id and storage check

const DEVICE_ID_PATTERN = /^[A-Za-z0-9_-]+$/;

/** This tablet's id, written into every event (owned here; sync reads it for enrolment). */
export const deviceIdSetting = setting(
  'deviceId',
  (value): value is string => typeof value === 'string' && DEVICE_ID_PATTERN.test(value),
);

/** This tablet's id: made once (a UUIDv7) and kept in settings. */
export async function ensureDeviceId(db: KioskDb): Promise<string> {
  // Read first, with no transaction of its own: within the start's transaction (openStorage) a nested
  // 'rw' transaction would hold back every request made after it until it had finished.
  const known = await deviceIdSetting.read(db);
  if (known) return known;
  return db.transaction('rw', db.settings, async () => {
    const stored = await deviceIdSetting.read(db);
    if (stored) return stored;
    const deviceId = uuidv7();
    await deviceIdSetting.write(db, deviceId);
    return deviceId;
  });
}

export type StorageCheck =
  | { ok: true }
  | { ok: false; reason: 'unavailable' | 'private-mode' | 'blocked'; message: string };

export interface CheckStorageOptions {
  /** How long opening may take before the database is called blocked (another tab, or Safari's hang). */
  timeoutMs?: number;
}

/** Written, read back and removed when the tablet starts, to tell storage that keeps nothing. */
const probeSetting = setting('__storage-probe__', (value): value is string => typeof value === 'string');

/**
 * Whether the tablet can keep meetings: opens the database and writes, reads back and deletes a probe.
 * There is no fallback to memory: a kiosk that forgets a meeting on reload must refuse to start.
 */
export async function checkStorage(db: KioskDb, options: CheckStorageOptions = {}): Promise<StorageCheck> {
  const opened = await openStorage(db, async () => undefined, options);
  return opened.ok ? { ok: true } : opened;
}

/**
 * checkStorage, and in the same transaction `read` (Dexie calls on the settings and meetings tables only):
 * what the first screen needs, read with no second trip to the database (bench/coldstart.ts). A failure of
 * `read` is a storage failure too.
 */
export async function openStorage<T>(
  db: KioskDb,
  read: () => Promise<T>,
  options: CheckStorageOptions = {},
): Promise<{ ok: true; value: T } | Exclude<StorageCheck, { ok: true }>> {
  const timeoutMs = options.timeoutMs ?? 10_000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  const probe = async () => {
    await db.open();
    const value = `${Date.now()}-${Math.random()}`;
    return db.transaction('rw', [db.settings, db.meetings], () => {
      // Every request is issued at once, with no await between them: IndexedDB answers a transaction's
      // requests in order (the probe is read back after its write), and the answers come back together
      // instead of one round trip after another, each waiting its turn on a busy main thread.
      const written = probeSetting.write(db, value);
      const stored = probeSetting.read(db);
      const removed = probeSetting.remove(db);
      const reading = read();
      return Promise.all([stored, reading, written, removed]).then(([kept, result]) =>
        kept === value ? { isKept: true as const, value: result } : { isKept: false as const },
      );
    });
  };
  try {
    const outcome = await Promise.race([probe(), timedOut]);
    if (outcome === 'timeout') {
      return {
        ok: false,
        reason: 'blocked',
        message: i18n.t('storage.blocked'),
      };
    }
    if (!outcome.isKept) {
      return { ok: false, reason: 'unavailable', message: i18n.t('storage.notKept') };
    }
    return { ok: true, value: outcome.value };
  } catch (error) {
    return classifyStorageError(error);
  } finally {
    clearTimeout(timer);
  }
}

/** The error and what it wraps: Dexie puts the IndexedDB error in `.inner` (e.g. AbortError > QuotaExceededError). */
export function errorChain(error: unknown): Array<{ name?: unknown; message?: unknown }> {
  const chain: Array<{ name?: unknown; message?: unknown; inner?: unknown; cause?: unknown }> = [];
  let current: unknown = error;
  while (typeof current === 'object' && current !== null && chain.length < 8) {
    const e = current as { name?: unknown; message?: unknown; inner?: unknown; cause?: unknown };
    chain.push(e);
    current = e.inner ?? e.cause;
  }
  return chain;
}

function classifyStorageError(error: unknown): Exclude<StorageCheck, { ok: true }> {
  const chain = errorChain(error);
  const names = chain.map((e) => String(e.name ?? ''));
  const text = chain.map((e) => String(e.message ?? '')).join(' | ');
  const message = `${names[0] ?? 'Error'}: ${text}`;
  // Firefox private windows: "A mutation operation was attempted on a database that did not allow mutations."
  // Safari Private/Lockdown: DataCloneError when storing.
  if (/mutation operation/i.test(text) || names.includes('DataCloneError')) {
    return { ok: false, reason: 'private-mode', message };
  }
  if (names.includes('MissingAPIError')) return { ok: false, reason: 'unavailable', message };
  // Site data blocked in the browser's settings, or an older version held open by another tab.
  if (names.some((n) => n === 'SecurityError' || n === 'VersionChangeError' || n === 'DatabaseClosedError')) {
    return { ok: false, reason: 'blocked', message };
  }
  if (names.includes('InvalidStateError')) return { ok: false, reason: 'private-mode', message };
  return { ok: false, reason: 'unavailable', message };
}
