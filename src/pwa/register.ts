/**
 * The service worker, registered with workbox-window (`registerType: 'prompt'`): a new version waits until the
 * chair applies it, and the UI offers that only when no meeting is open (PITFALLS 1).
 *
 * - PITFALLS 2: applying sends SKIP_WAITING and reloads on our own one-shot `controllerchange` listener
 *   (workbox-window's `controlling` is not fired on the first update).
 * - PITFALLS 3 and 7: `update()` on a timer (skipped offline) and when the page is shown or focused again,
 *   with `updateViaCache: 'none'` so sw.js itself never comes from the HTTP cache.
 */
import { Workbox } from 'workbox-window';

/** How often a kiosk left open all day asks the server for a new version. */
export const UPDATE_CHECK_INTERVAL_MS = 30 * 60_000;
/** Focus and pageshow checks closer together than this are skipped. */
export const MIN_CHECK_GAP_MS = 60_000;
/** If the new worker never takes control (another tab already activated it), reload anyway after this long. */
export const APPLY_FALLBACK_MS = 10_000;

export interface UpdateState {
  /** A new version has installed and is waiting for the chair. */
  isUpdateReady: boolean;
  /** The chair applied it; the page reloads once the new worker controls it. */
  isApplying: boolean;
  /** When an update check last finished (ms since the epoch), or null. */
  lastCheckedAt: number | null;
}

/** The part of workbox-window's Workbox used here (a fake in unit tests). */
export interface WorkboxLike {
  addEventListener(type: 'waiting', listener: () => void): void;
  register(): Promise<unknown>;
  update(): Promise<unknown>;
  messageSkipWaiting(): void;
}

export interface UpdaterDeps {
  workbox: WorkboxLike;
  container: Pick<ServiceWorkerContainer, 'addEventListener'>;
  reload: () => void;
  isOnline: () => boolean;
  now?: () => number;
  /** The window-ish target for focus / pageshow / online events. */
  events?: Pick<Window, 'addEventListener'>;
  setInterval?: (fn: () => void, ms: number) => unknown;
  setTimeout?: (fn: () => void, ms: number) => unknown;
}

export interface Updater {
  getState(): UpdateState;
  subscribe(listener: () => void): () => void;
  /** Asks the server for a new sw.js now (does nothing offline). */
  check(options?: { force?: boolean }): Promise<void>;
  /** Activates the waiting version and reloads into it. Call only when no meeting is open. */
  apply(): void;
}

export function createUpdater(deps: UpdaterDeps): Updater {
  const now = deps.now ?? Date.now;
  const every = deps.setInterval ?? ((fn, ms) => setInterval(fn, ms));
  const later = deps.setTimeout ?? ((fn, ms) => setTimeout(fn, ms));
  let state: UpdateState = { isUpdateReady: false, isApplying: false, lastCheckedAt: null };
  const listeners = new Set<() => void>();
  const set = (patch: Partial<UpdateState>) => {
    state = { ...state, ...patch };
    for (const listener of listeners) listener();
  };
  let isRegistered = false;
  let lastStartedAt = Number.NEGATIVE_INFINITY;

  deps.workbox.addEventListener('waiting', () => set({ isUpdateReady: true }));

  const check = async ({ force = false }: { force?: boolean } = {}) => {
    if (!isRegistered || !deps.isOnline()) return;
    if (!force && now() - lastStartedAt < MIN_CHECK_GAP_MS) return;
    lastStartedAt = now();
    try {
      await deps.workbox.update();
    } catch {
      // The server could not be reached: the next check tries again.
    }
    set({ lastCheckedAt: now() });
  };

  void deps.workbox
    .register()
    .then(() => {
      isRegistered = true;
      every(() => void check({ force: true }), UPDATE_CHECK_INTERVAL_MS);
      const soon = () => void check();
      deps.events?.addEventListener('focus', soon);
      deps.events?.addEventListener('pageshow', soon);
      deps.events?.addEventListener('online', soon);
    })
    .catch(() => {
      // No worker (e.g. a browser that refuses it): the app still runs from the network.
    });

  let hasReloaded = false;
  const reloadOnce = () => {
    if (hasReloaded) return;
    hasReloaded = true;
    deps.reload();
  };

  return {
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    check,
    apply() {
      if (!state.isUpdateReady || state.isApplying) return;
      set({ isApplying: true });
      deps.container.addEventListener('controllerchange', reloadOnce, { once: true });
      deps.workbox.messageSkipWaiting();
      later(reloadOnce, APPLY_FALLBACK_MS);
    },
  };
}

let updater: Updater | null = null;

/** Registers /sw.js once (built app only, not the dev server or unit tests) and returns the updater; null where there is no worker. */
export function startServiceWorker(): Updater | null {
  if (updater) return updater;
  // MODE, not PROD: PROD follows NODE_ENV, which is 'test' when the e2e harness builds under vitest.
  const isBuilt = import.meta.env.MODE === 'production';
  if (!isBuilt || typeof navigator === 'undefined' || !('serviceWorker' in navigator)) return null;
  const workbox = new Workbox('/sw.js', { scope: '/', updateViaCache: 'none' });
  updater = createUpdater({
    workbox,
    container: navigator.serviceWorker,
    reload: () => window.location.reload(),
    isOnline: () => navigator.onLine,
    events: window,
  });
  return updater;
}

export function getUpdater(): Updater | null {
  return updater;
}
