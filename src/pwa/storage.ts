/**
 * The tablet's storage as the browser reports it. `persist()` is only a request: Chrome grants it
 * to installed or engaged sites, Safari tabs get false. The estimate is checked before each meeting.
 */

/** Less free than this (or more than LOW_USED_FRACTION used) and the chair is warned before opening a meeting. */
export const LOW_FREE_BYTES = 50 * 1024 * 1024;
export const LOW_USED_FRACTION = 0.9;

export interface StorageFacts {
  /** true: the browser will not evict it; false: it may; null: the browser cannot say. */
  isPersistent: boolean | null;
  usage: number | null;
  quota: number | null;
}

type StorageManagerLike = Partial<Pick<StorageManager, 'persist' | 'persisted' | 'estimate'>>;

function storageManager(): StorageManagerLike | undefined {
  return typeof navigator === 'undefined' ? undefined : navigator.storage;
}

/** Asks the browser to keep this origin's data; resolves to whether it is now persistent (null: no API). */
export async function requestPersistence(storage = storageManager()): Promise<boolean | null> {
  if (!storage?.persist) return null;
  try {
    if (storage.persisted && (await storage.persisted())) return true;
    return await storage.persist();
  } catch {
    return null;
  }
}

export async function readStorage(storage = storageManager()): Promise<StorageFacts> {
  const [isPersistent, estimate] = await Promise.all([
    storage?.persisted ? storage.persisted().catch(() => null) : Promise.resolve(null),
    storage?.estimate ? storage.estimate().catch(() => null) : Promise.resolve(null),
  ]);
  return { isPersistent, usage: estimate?.usage ?? null, quota: estimate?.quota ?? null };
}

export type StorageLevel = 'ok' | 'low' | 'unknown';

export function assessStorage({ usage, quota }: Pick<StorageFacts, 'usage' | 'quota'>): StorageLevel {
  if (usage === null || quota === null || quota <= 0) return 'unknown';
  const free = quota - usage;
  return free < LOW_FREE_BYTES || usage / quota > LOW_USED_FRACTION ? 'low' : 'ok';
}

/** 1 234 567 -> "1.2 MB" (decimal units, as the browsers' own settings pages show them). */
export function formatBytes(bytes: number, locale = 'en-GB'): string {
  const units = ['byte', 'kilobyte', 'megabyte', 'gigabyte', 'terabyte'] as const;
  let value = bytes;
  let i = 0;
  while (value >= 1000 && i < units.length - 1) {
    value /= 1000;
    i++;
  }
  return new Intl.NumberFormat(locale, {
    style: 'unit',
    unit: units[i],
    unitDisplay: 'short',
    maximumFractionDigits: i === 0 ? 0 : 1,
  }).format(value);
}
