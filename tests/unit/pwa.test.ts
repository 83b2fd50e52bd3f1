/**
 * The service worker updater (with a fake Workbox) and the storage helpers: an update waits for the chair,
 * applying it reloads exactly once when the new worker takes control, and checks are skipped offline.
 */
import { describe, expect, it, vi } from 'vitest';
import {
  APPLY_FALLBACK_MS,
  createUpdater,
  MIN_CHECK_GAP_MS,
  UPDATE_CHECK_INTERVAL_MS,
  type WorkboxLike,
} from '../../src/pwa/register';
import {
  assessStorage,
  formatBytes,
  LOW_FREE_BYTES,
  readStorage,
  requestPersistence,
} from '../../src/pwa/storage';

function harness(options: { isOnline?: boolean } = {}) {
  let onWaiting: (() => void) | undefined;
  let onControllerChange: (() => void) | undefined;
  const intervals: Array<{ fn: () => void; ms: number }> = [];
  const timeouts: Array<{ fn: () => void; ms: number }> = [];
  const windowEvents = new Map<string, () => void>();
  let clock = 1_000_000;
  let isOnline = options.isOnline ?? true;
  const workbox = {
    addEventListener: vi.fn((_type: 'waiting', listener: () => void) => {
      onWaiting = listener;
    }),
    register: vi.fn(async () => ({})),
    update: vi.fn(async () => undefined),
    messageSkipWaiting: vi.fn(),
  } satisfies WorkboxLike;
  const reload = vi.fn();
  const updater = createUpdater({
    workbox,
    container: {
      addEventListener: ((type: string, listener: () => void) => {
        if (type === 'controllerchange') onControllerChange = listener;
      }) as ServiceWorkerContainer['addEventListener'],
    },
    reload,
    isOnline: () => isOnline,
    now: () => clock,
    events: {
      addEventListener: ((type: string, listener: () => void) => {
        windowEvents.set(type, listener);
      }) as Window['addEventListener'],
    },
    setInterval: (fn, ms) => intervals.push({ fn, ms }),
    setTimeout: (fn, ms) => timeouts.push({ fn, ms }),
  });
  return {
    updater,
    workbox,
    reload,
    intervals,
    timeouts,
    windowEvents,
    waiting: () => onWaiting?.(),
    controllerChange: () => onControllerChange?.(),
    tick: (ms: number) => {
      clock += ms;
    },
    setOnline: (value: boolean) => {
      isOnline = value;
    },
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('the updater (workbox-window, registerType prompt)', () => {
  it('reports an update only once a new worker is waiting, and applying it before then does nothing', async () => {
    const h = harness();
    await settle();
    expect(h.updater.getState().isUpdateReady).toBe(false);
    h.updater.apply();
    expect(h.workbox.messageSkipWaiting).not.toHaveBeenCalled();
    const listener = vi.fn();
    h.updater.subscribe(listener);
    h.waiting();
    expect(h.updater.getState().isUpdateReady).toBe(true);
    expect(listener).toHaveBeenCalled();
  });

  it('applying sends SKIP_WAITING and reloads once when the new worker takes control', async () => {
    const h = harness();
    await settle();
    h.waiting();
    h.updater.apply();
    h.updater.apply();
    expect(h.workbox.messageSkipWaiting).toHaveBeenCalledTimes(1);
    expect(h.updater.getState().isApplying).toBe(true);
    expect(h.reload).not.toHaveBeenCalled();
    h.controllerChange();
    expect(h.reload).toHaveBeenCalledTimes(1);
    // The fallback timer, should it fire too, does not reload a second time.
    expect(h.timeouts[0]?.ms).toBe(APPLY_FALLBACK_MS);
    h.timeouts[0]?.fn();
    expect(h.reload).toHaveBeenCalledTimes(1);
  });

  it('checks on a timer and on focus/pageshow, throttled, and never while offline', async () => {
    const h = harness();
    await settle();
    expect(h.intervals.map((i) => i.ms)).toEqual([UPDATE_CHECK_INTERVAL_MS]);
    expect([...h.windowEvents.keys()].sort()).toEqual(['focus', 'online', 'pageshow']);
    h.intervals[0]?.fn();
    await settle();
    expect(h.workbox.update).toHaveBeenCalledTimes(1);
    expect(h.updater.getState().lastCheckedAt).not.toBeNull();
    h.windowEvents.get('focus')?.();
    await settle();
    expect(h.workbox.update).toHaveBeenCalledTimes(1);
    h.tick(MIN_CHECK_GAP_MS + 1);
    h.windowEvents.get('pageshow')?.();
    await settle();
    expect(h.workbox.update).toHaveBeenCalledTimes(2);
    h.setOnline(false);
    h.tick(UPDATE_CHECK_INTERVAL_MS);
    h.intervals[0]?.fn();
    await h.updater.check({ force: true });
    expect(h.workbox.update).toHaveBeenCalledTimes(2);
  });

  it('a failed check (server unreachable) is not an error', async () => {
    const h = harness();
    await settle();
    h.workbox.update.mockRejectedValueOnce(new TypeError('Failed to fetch'));
    await expect(h.updater.check({ force: true })).resolves.toBeUndefined();
  });
});

describe('storage helpers', () => {
  it('warns when little is free or most of the quota is used', () => {
    expect(assessStorage({ usage: null, quota: null })).toBe('unknown');
    expect(assessStorage({ usage: 10e6, quota: 10e9 })).toBe('ok');
    expect(assessStorage({ usage: 0, quota: LOW_FREE_BYTES - 1 })).toBe('low');
    expect(assessStorage({ usage: 9.5e9, quota: 10e9 })).toBe('low');
  });

  it('formats sizes the way the browser settings do', () => {
    expect(formatBytes(512)).toBe('512 byte');
    expect(formatBytes(1_234_567)).toBe('1.2 MB');
    expect(formatBytes(5e9)).toBe('5 GB');
  });

  it('asks for persistence only when not already granted, and survives a browser without the API', async () => {
    const persist = vi.fn(async () => true);
    expect(await requestPersistence({ persisted: async () => true, persist })).toBe(true);
    expect(persist).not.toHaveBeenCalled();
    expect(await requestPersistence({ persisted: async () => false, persist })).toBe(true);
    expect(persist).toHaveBeenCalledTimes(1);
    expect(await requestPersistence({})).toBeNull();
    expect(await requestPersistence(undefined)).toBeNull();
  });

  it('reads persistence and the estimate, null where the browser cannot say', async () => {
    expect(
      await readStorage({ persisted: async () => false, estimate: async () => ({ usage: 5, quota: 10 }) }),
    ).toEqual({ isPersistent: false, usage: 5, quota: 10 });
    expect(await readStorage({})).toEqual({ isPersistent: null, usage: null, quota: null });
  });
});
