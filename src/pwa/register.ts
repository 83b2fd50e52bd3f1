/**
 * The service worker, registered with workbox-window (`registerType: 'prompt'`), and its updates as the
 * updater statechart (updaterMachine.ts): a new version waits until the chair applies it, which the machine
 * allows only while no meeting is open. Applying sends SKIP_WAITING and reloads on our own one-shot
 * `controllerchange` listener (workbox-window's `controlling` is not fired on the first update); checks run on
 * a timer (skipped offline) and when the page is shown or focused again, with `updateViaCache: 'none'` so
 * sw.js itself never comes from the HTTP cache.
 *
 * Loaded after the first screen (src/pwa/PwaLayer.tsx), so neither workbox-window nor XState is in the first
 * load.
 */
import { Workbox } from 'workbox-window';
import { type Actor, createActor, waitFor } from 'xstate';
import { createStore, type Store } from '../shared/store';
import {
  APPLY_FALLBACK_MS,
  MIN_CHECK_GAP_MS,
  UPDATE_CHECK_INTERVAL_MS,
  type UpdaterDeps,
  type UpdateState,
  updaterMachine,
  updateStateOf,
  type WorkboxLike,
} from './updaterMachine';

export type { UpdaterDeps, UpdateState, WorkboxLike };
export { APPLY_FALLBACK_MS, MIN_CHECK_GAP_MS, UPDATE_CHECK_INTERVAL_MS };

/** The updater as the screens read it: its state as a store, and the chair's two actions. */
export interface Updater {
  readonly state: Store<UpdateState>;
  readonly actor: Actor<typeof updaterMachine>;
  getState(): UpdateState;
  subscribe(listener: () => void): () => void;
  /** Asks the server for a new sw.js now (does nothing offline); resolves when the check is over. */
  check(options?: { force?: boolean }): Promise<void>;
  /** Activates the waiting version and reloads into it; refused while a meeting is open (or not yet known). */
  apply(): void;
  /** Whether a meeting is open on the tablet (undefined: not yet known, which counts as open). */
  setMeetingOpen(isMeetingOpen: boolean | undefined): void;
}

export function createUpdater(deps: UpdaterDeps, options: { isMeetingOpen?: boolean } = {}): Updater {
  const later = deps.setTimeout;
  const actor = createActor(updaterMachine, {
    input: { deps, isMeetingOpen: options.isMeetingOpen ?? false },
    ...(later
      ? {
          clock: { setTimeout: (fn: () => void, ms: number) => later(fn, ms), clearTimeout: () => undefined },
        }
      : {}),
  });
  const state = createStore(updateStateOf(actor.getSnapshot()));
  actor.subscribe((snapshot) => {
    const next = updateStateOf(snapshot);
    const now = state.get();
    const isSame = (Object.keys(next) as Array<keyof UpdateState>).every((key) => next[key] === now[key]);
    if (!isSame) state.set(next);
  });
  actor.start();
  return {
    state,
    actor,
    getState: state.get,
    subscribe: state.subscribe,
    async check({ force = false } = {}) {
      actor.send({ type: 'check', force });
      if (!actor.getSnapshot().matches({ worker: { registered: 'checking' } })) return;
      await waitFor(actor, (s) => !s.matches({ worker: { registered: 'checking' } }));
    },
    apply() {
      actor.send({ type: 'apply' });
    },
    setMeetingOpen(isMeetingOpen) {
      actor.send({ type: 'meetings.changed', isMeetingOpen });
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
  updater = createUpdater(
    {
      workbox,
      container: navigator.serviceWorker,
      reload: () => window.location.reload(),
      isOnline: () => navigator.onLine,
      events: window,
    },
    // Until the database says no meeting is open, none may be applied.
    { isMeetingOpen: undefined },
  );
  return updater;
}

export function getUpdater(): Updater | null {
  return updater;
}
