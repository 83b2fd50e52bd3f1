/**
 * The app's updates as a statechart. The service worker is registered with `registerType: 'prompt'`: a new
 * version installs in the background and waits; the chair applies it, and only while no meeting is open
 * (`isMeetingOpen` false: unknown counts as open), so a round or a signature never reloads under someone.
 *
 * Two regions run side by side:
 * - `worker`: registering sw.js, then checking for a new version on a timer, when the page is shown or focused
 *   again and when the network comes back (the `watch` actor sends `check`); checks closer together than
 *   MIN_CHECK_GAP_MS are skipped, and none is made offline. A failed check is not an error: the next one
 *   tries again.
 * - `version`: `current` until a new version is `ready` (workbox's `waiting`); `apply` sends SKIP_WAITING and
 *   waits for the new worker to take control (`controllerchange`) to reload, once, or reloads anyway after
 *   APPLY_FALLBACK_MS (another tab may already have activated it, so no `controllerchange` comes).
 */
import { assign, fromCallback, fromPromise, type SnapshotFrom, setup } from 'xstate';

/** How often a kiosk left open all day asks the server for a new version. */
export const UPDATE_CHECK_INTERVAL_MS = 30 * 60_000;
/** Focus and pageshow checks closer together than this are skipped. */
export const MIN_CHECK_GAP_MS = 60_000;
/** If the new worker never takes control (another tab already activated it), reload anyway after this long. */
export const APPLY_FALLBACK_MS = 10_000;

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

export interface UpdaterContext {
  deps: UpdaterDeps;
  /** When the last check started (ms since the epoch). */
  lastStartedAt: number;
  /** When a check last finished, or null. */
  lastCheckedAt: number | null;
  /** Whether a meeting is open on the tablet; undefined until the database has answered. */
  isMeetingOpen: boolean | undefined;
}

export type UpdaterEvent =
  | { type: 'check'; force?: boolean }
  | { type: 'waiting' }
  | { type: 'apply' }
  | { type: 'controllerchange' }
  | { type: 'meetings.changed'; isMeetingOpen: boolean | undefined };

export interface UpdaterInput {
  deps: UpdaterDeps;
  isMeetingOpen?: boolean | undefined;
}

const nowOf = (deps: UpdaterDeps) => (deps.now ?? Date.now)();

export const updaterMachine = setup({
  types: {} as { context: UpdaterContext; events: UpdaterEvent; input: UpdaterInput },
  actors: {
    register: fromPromise<unknown, WorkboxLike>(({ input }) => input.register()),
    update: fromPromise<void, UpdaterDeps>(async ({ input }) => {
      await input.workbox.update();
    }),
    /** The timer and the page's focus, pageshow and online events, each asking for a check. */
    watch: fromCallback<UpdaterEvent, UpdaterDeps>(({ sendBack, input }) => {
      const every = input.setInterval ?? ((fn, ms) => setInterval(fn, ms));
      const handle = every(() => sendBack({ type: 'check', force: true }), UPDATE_CHECK_INTERVAL_MS);
      const soon = () => sendBack({ type: 'check' });
      input.events?.addEventListener('focus', soon);
      input.events?.addEventListener('pageshow', soon);
      input.events?.addEventListener('online', soon);
      return () => {
        if (!input.setInterval) clearInterval(handle as ReturnType<typeof setInterval>);
        (input.events as Partial<Window> | undefined)?.removeEventListener?.('focus', soon);
        (input.events as Partial<Window> | undefined)?.removeEventListener?.('pageshow', soon);
        (input.events as Partial<Window> | undefined)?.removeEventListener?.('online', soon);
      };
    }),
    /** workbox's `waiting`, as an event. */
    listen: fromCallback<UpdaterEvent, UpdaterDeps>(({ sendBack, input }) => {
      input.workbox.addEventListener('waiting', () => sendBack({ type: 'waiting' }));
    }),
    /** The container's `controllerchange` once the chair has applied the update (one-shot). */
    awaitControl: fromCallback<UpdaterEvent, UpdaterDeps>(({ sendBack, input }) => {
      input.container.addEventListener('controllerchange', () => sendBack({ type: 'controllerchange' }), {
        once: true,
      });
    }),
  },
  guards: {
    isCheckDue: ({ context, event }) =>
      context.deps.isOnline() &&
      ((event.type === 'check' && event.force === true) ||
        nowOf(context.deps) - context.lastStartedAt >= MIN_CHECK_GAP_MS),
    isNoMeetingOpen: ({ context }) => context.isMeetingOpen === false,
  },
  actions: {
    markStarted: assign({ lastStartedAt: ({ context }) => nowOf(context.deps) }),
    markChecked: assign({ lastCheckedAt: ({ context }) => nowOf(context.deps) }),
    takeMeetings: assign({
      isMeetingOpen: ({ context, event }) =>
        event.type === 'meetings.changed' ? event.isMeetingOpen : context.isMeetingOpen,
    }),
    skipWaiting: ({ context }) => context.deps.workbox.messageSkipWaiting(),
    reload: ({ context }) => context.deps.reload(),
  },
  delays: { applyFallback: APPLY_FALLBACK_MS },
}).createMachine({
  id: 'updater',
  type: 'parallel',
  context: ({ input }) => ({
    deps: input.deps,
    lastStartedAt: Number.NEGATIVE_INFINITY,
    lastCheckedAt: null,
    isMeetingOpen: input.isMeetingOpen,
  }),
  on: { 'meetings.changed': { actions: 'takeMeetings' } },
  states: {
    worker: {
      initial: 'registering',
      states: {
        registering: {
          invoke: {
            id: 'register',
            src: 'register',
            input: ({ context }) => context.deps.workbox,
            onDone: 'registered',
            // No worker (e.g. a browser that refuses it): the app still runs from the network.
            onError: 'unavailable',
          },
        },
        registered: {
          invoke: { src: 'watch', input: ({ context }) => context.deps },
          initial: 'idle',
          states: {
            idle: {
              on: { check: { guard: 'isCheckDue', target: 'checking', actions: 'markStarted' } },
            },
            checking: {
              invoke: {
                id: 'update',
                src: 'update',
                input: ({ context }) => context.deps,
                // Reached or not (the server could not be reached: the next check tries again).
                onDone: { target: 'idle', actions: 'markChecked' },
                onError: { target: 'idle', actions: 'markChecked' },
              },
            },
          },
        },
        unavailable: {},
      },
    },
    version: {
      initial: 'current',
      invoke: { src: 'listen', input: ({ context }) => context.deps },
      states: {
        current: { on: { waiting: 'ready' } },
        /** A new version is installed and waits for the chair. */
        ready: { on: { apply: { guard: 'isNoMeetingOpen', target: 'applying' } } },
        /** The page reloads once the new worker controls it. */
        applying: {
          invoke: { src: 'awaitControl', input: ({ context }) => context.deps },
          entry: 'skipWaiting',
          on: { controllerchange: 'reloaded' },
          after: { applyFallback: 'reloaded' },
        },
        reloaded: { entry: 'reload', type: 'final' },
      },
    },
  },
});

export type UpdaterSnapshot = SnapshotFrom<typeof updaterMachine>;

export interface UpdateState {
  /** A new version has installed and is waiting for the chair. */
  isUpdateReady: boolean;
  /** The chair applied it; the page reloads once the new worker controls it. */
  isApplying: boolean;
  /** When an update check last finished (ms since the epoch), or null. */
  lastCheckedAt: number | null;
}

export function updateStateOf(snapshot: UpdaterSnapshot): UpdateState {
  const isApplying = snapshot.matches({ version: 'applying' }) || snapshot.matches({ version: 'reloaded' });
  return {
    isUpdateReady: snapshot.matches({ version: 'ready' }) || isApplying,
    isApplying,
    lastCheckedAt: snapshot.context.lastCheckedAt,
  };
}
