/**
 * Everything a person holding the tablet could read of the app's storage in this browser profile: every
 * IndexedDB database and store, Cache Storage (each cached response's text), localStorage and
 * sessionStorage, as one text.
 */
import type { Page } from 'playwright-core';

export function dumpStorage(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const parts: unknown[] = [];
    const databases = await indexedDB.databases();
    for (const info of databases) {
      if (!info.name) continue;
      const name = info.name;
      const db = await new Promise<IDBDatabase>((ok, fail) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => ok(request.result);
        request.onerror = () => fail(request.error);
      });
      for (const store of [...db.objectStoreNames]) {
        const rows = await new Promise<unknown[]>((ok, fail) => {
          const all = db.transaction(store).objectStore(store).getAll();
          all.onsuccess = () => ok(all.result);
          all.onerror = () => fail(all.error);
        });
        parts.push({ database: name, store, rows });
      }
      db.close();
    }
    for (const cacheName of await caches.keys()) {
      const cache = await caches.open(cacheName);
      for (const request of await cache.keys()) {
        const response = await cache.match(request);
        parts.push({ cache: cacheName, url: request.url, body: response ? await response.text() : '' });
      }
    }
    const storage = (s: Storage) => Object.fromEntries(Object.keys(s).map((k) => [k, s.getItem(k)]));
    parts.push({ localStorage: storage(localStorage), sessionStorage: storage(sessionStorage) });
    return JSON.stringify(parts);
  });
}

/** Every row of a store of the tablet's database (none when the store does not exist). */
function rowsOf<T>(page: Page, store: string): Promise<T[]> {
  return page.evaluate(async (storeName) => {
    const db = await new Promise<IDBDatabase>((ok, fail) => {
      const request = indexedDB.open('consent-kiosk');
      request.onsuccess = () => ok(request.result);
      request.onerror = () => fail(request.error);
    });
    if (!db.objectStoreNames.contains(storeName)) {
      db.close();
      return [];
    }
    const rows = await new Promise<unknown[]>((ok, fail) => {
      const all = db.transaction(storeName).objectStore(storeName).getAll();
      all.onsuccess = () => ok(all.result);
      all.onerror = () => fail(all.error);
    });
    db.close();
    return rows;
  }, store) as Promise<T[]>;
}

/** How many rows a store of the tablet's database holds (0 when the store does not exist). */
export async function countRows(page: Page, store: string): Promise<number> {
  return (await rowsOf(page, store)).length;
}

/** The rows of the tablet's database store that belong to one meeting (by its `meetingId` field). */
export async function meetingRows(page: Page, store: string, meetingId: string): Promise<number> {
  return (await rowsOf<{ meetingId?: string }>(page, store)).filter((r) => r.meetingId === meetingId).length;
}

/** The tablet's sealed batches: which meeting, and whether the service has acknowledged each. */
export async function sealedState(page: Page): Promise<Array<{ meetingId: string; isAcked: boolean }>> {
  const rows = await rowsOf<{ meetingId: string; ackedAt: string | null }>(page, 'sealed');
  return rows.map((r) => ({ meetingId: r.meetingId, isAcked: r.ackedAt !== null }));
}
