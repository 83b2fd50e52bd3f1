/**
 * The tablet's sync as a statechart: when the outbox is pushed to the records service, what a failure
 * leads to, and which meetings are held back.
 *
 * - The app drives sync (Safari and Firefox have no Background Sync): pushes happen when the tablet starts,
 *   when the outbox changes (watched here, with a Dexie live query), when the browser comes online, every
 *   PERIODIC_MS, and on "Sync now". One push at a time: `pushing` invokes one `push` actor (one batch) and
 *   re-enters itself until nothing is left to send.
 * - A failure that may pass (network, timeout, 5xx, 408, 429) waits in `backoff`: full jitter, uniform in
 *   [0, min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2^(n-1))), and never sooner than the service's Retry-After.
 *   New events and the periodic timer do not cut it short; the network coming back and the chair do.
 * - A refusal (any other 4xx) is one meeting's: that meeting is held back with the service's code and
 *   message (push.ts), the other meetings go on. A held meeting is asked about again on the chair's "Try
 *   again", at the next enrolment, and by itself after QUARANTINE_RETRY_MS.
 * - 401 (device revoked, or the token unknown) stops sync until the tablet is enrolled again.
 *
 * The side effects are the named actors (`load`, `push`, `watchOutbox`, `watchNetwork`); tests swap them
 * with `syncMachine.provide(...)`. IndexedDB stays the source of truth: nothing of this state is persisted
 * that push.ts has not written itself.
 */
import { liveQuery } from 'dexie';
import { assign, fromCallback, fromPromise, type SnapshotFrom, setup } from 'xstate';
import { isoWithOffset } from '../domain/chain';
import { type Enrolment, readEnrolment, readServerUrl, type StopReason } from './enrolment';
import {
  EMPTY_LOG,
  type PushDeps,
  type PushInput,
  type PushOutput,
  pushOnce,
  type QuarantineMap,
  readLog,
  readQuarantine,
  type SyncLog,
  storageProblem,
} from './push';
import type { SyncProblem } from './transport';

export const BACKOFF_BASE_MS = 2_000;
export const BACKOFF_CAP_MS = 5 * 60_000;
export const PERIODIC_MS = 60_000;

/** Full jitter (AWS Architecture Blog, "Exponential Backoff and Jitter"): uniform in [0, min(cap, base·2^(n-1))). */
export function backoffDelay(attempt: number, random: () => number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempt - 1));
  return Math.floor(random() * ceiling);
}

type EventSource = Pick<EventTarget, 'addEventListener' | 'removeEventListener'>;

export interface SyncDeps extends PushDeps {
  random: () => number;
  /** The default records service address (the app's own origin). */
  serverUrl: string;
  /** Where 'online' and 'offline' events come from; `window` in the app. */
  networkEvents: EventSource | null;
  /** False when the browser surely has no network (navigator.onLine): automatic pushes then wait. */
  isOnline: () => boolean;
  /**
   * Pulls the meetings prepared for this tablet (src/sync/prepared.ts): run at the end of each sync cycle,
   * after the push, so it never holds up the outbox. Left out, nothing is pulled.
   */
  pullPrepared?: (options: { force: boolean }) => Promise<unknown>;
}

export interface LoadedState {
  enrolment: Enrolment | null;
  serverUrl: string | null;
  log: SyncLog;
  quarantine: QuarantineMap;
}

/** What the chair's screens show of an enrolment (never the token). */
export interface EnrolmentFacts {
  serverUrl: string;
  serverDeviceId: string;
  enrolledAt: string;
}

export type RunOutcome =
  | { kind: 'synced'; sent: number }
  | { kind: 'nothing-to-send' }
  | { kind: 'not-enrolled' }
  | { kind: 'stopped'; reason: 'revoked' | 'unauthorised' }
  | { kind: 'failed'; error: SyncProblem; sent: number };

export type SyncEvent =
  /** The outbox changed: events waiting, by meeting. */
  | { type: 'outbox.changed'; pending: Record<string, number> }
  | { type: 'network.online' }
  | { type: 'network.offline' }
  /** The chair's "Sync now". */
  | { type: 'sync.now' }
  /** The chair's "Try again" for a meeting the service refused. */
  | { type: 'quarantine.retry'; meetingId: string }
  /** The tablet was enrolled (again) with a records service. */
  | { type: 'enrolled'; enrolment: EnrolmentFacts };

export interface SyncContext {
  deps: SyncDeps;
  serverUrl: string;
  serverDeviceId: string | null;
  enrolledAt: string | null;
  stoppedBy: StopReason | null;
  isOnline: boolean;
  /** Events waiting in the outbox, by meeting (from the live query). */
  pending: Record<string, number>;
  /** Counts outbox changes, so a change during a push that found nothing to send is not lost. */
  outboxVersion: number;
  outboxVersionAtPush: number;
  /** Meetings the service refused, as push.ts last wrote them. */
  quarantine: QuarantineMap;
  /** Meetings to release at the next push ("Try again"), or all of them (a new enrolment). */
  release: Release;
  /** What the push in flight was asked to release (put back if it failed). */
  releasing: Release;
  lastAttemptAt: string | null;
  lastSuccessAt: string | null;
  lastError: SyncProblem | null;
  /** When the service last acknowledged an event, by meeting. */
  sentAt: Record<string, string>;
  /** Consecutive failed attempts since the last success. */
  attempt: number;
  retryInMs: number;
  nextRetryAt: string | null;
  sentThisRun: number;
  lastRun: RunOutcome | null;
}

export interface SyncInput {
  deps: SyncDeps;
}

type Output<K extends PushOutput['kind']> = Extract<PushOutput, { kind: K }>;

type Release = readonly string[] | 'all';

function union(a: Release, b: Release): Release {
  if (a === 'all' || b === 'all') return 'all';
  return [...new Set([...a, ...b])];
}

/** The service's quarantine as a push saw it, less the meetings the chair has asked to try again since. */
function heldAfter(quarantine: QuarantineMap, release: Release): QuarantineMap {
  if (release === 'all') return {};
  return Object.fromEntries(Object.entries(quarantine).filter(([id]) => !release.includes(id)));
}

function isHeldNow(quarantine: QuarantineMap, meetingId: string): boolean {
  return meetingId in quarantine;
}

function hasSendable(pending: Record<string, number>, quarantine: QuarantineMap): boolean {
  return Object.entries(pending).some(([id, count]) => count > 0 && !isHeldNow(quarantine, id));
}

export const syncMachine = setup({
  types: {
    context: {} as SyncContext,
    events: {} as SyncEvent,
    input: {} as SyncInput,
  },
  actors: {
    load: fromPromise<LoadedState, { deps: SyncDeps }>(async ({ input }) => {
      const { db } = input.deps;
      const [enrolment, serverUrl, log, quarantine] = await Promise.all([
        readEnrolment(db),
        readServerUrl(db),
        readLog(db),
        readQuarantine(db),
      ]);
      return { enrolment, serverUrl, log, quarantine };
    }),
    push: fromPromise<PushOutput, PushInput>(({ input }) => pushOnce(input)),
    /** Its own failures are its own (kept for the chair by prepared.ts); sync goes on whatever happens. */
    pullPrepared: fromPromise<void, { deps: SyncDeps }>(async ({ input }) => {
      await input.deps.pullPrepared?.({ force: false })?.catch(() => undefined);
    }),
    watchOutbox: fromCallback<SyncEvent, { deps: SyncDeps }>(({ sendBack, input }) => {
      // The index keys alone: one meeting id per waiting event, no event bodies.
      const subscription = liveQuery(() => input.deps.db.outbox.orderBy('meetingId').keys()).subscribe({
        next: (keys) => {
          const pending: Record<string, number> = {};
          for (const key of keys) pending[String(key)] = (pending[String(key)] ?? 0) + 1;
          sendBack({ type: 'outbox.changed', pending });
        },
        // A failed read is tried again with the next change; the periodic push does not depend on it.
        error: () => undefined,
      });
      return () => subscription.unsubscribe();
    }),
    watchNetwork: fromCallback<SyncEvent, { deps: SyncDeps }>(({ sendBack, input }) => {
      const target = input.deps.networkEvents;
      if (!target) return undefined;
      const online = () => sendBack({ type: 'network.online' });
      const offline = () => sendBack({ type: 'network.offline' });
      target.addEventListener('online', online);
      target.addEventListener('offline', offline);
      return () => {
        target.removeEventListener('online', online);
        target.removeEventListener('offline', offline);
      };
    }),
  },
  guards: {
    isOnline: ({ context }) => context.isOnline,
    isNotEnrolled: (_, output: LoadedState) => output.enrolment === null,
    isStopped: (_, output: LoadedState) => output.enrolment?.stoppedBy != null,
    /** A change to the outbox that leaves something to send (not only held meetings), and a network. */
    isWorthPushing: ({ context, event }) =>
      event.type === 'outbox.changed' && context.isOnline && hasSendable(event.pending, context.quarantine),
    wasSent: (_, output: PushOutput) => output.kind === 'sent',
    wasRefused: (_, output: PushOutput) => output.kind === 'refused',
    wasTransient: (_, output: PushOutput) => output.kind === 'transient',
    wasStopped: (_, output: PushOutput) => output.kind === 'stopped',
    wasNotEnrolled: (_, output: PushOutput) => output.kind === 'not-enrolled',
    /** Found nothing, but the outbox changed meanwhile, or the chair released a meeting meanwhile. */
    isMoreWaiting: ({ context }) =>
      context.outboxVersion !== context.outboxVersionAtPush ||
      context.release === 'all' ||
      context.release.length > 0,
  },
  actions: {
    takeLoaded: assign(({ context }, loaded: LoadedState) => ({
      serverUrl: loaded.enrolment?.serverUrl ?? loaded.serverUrl ?? context.serverUrl,
      serverDeviceId: loaded.enrolment?.serverDeviceId ?? null,
      enrolledAt: loaded.enrolment?.enrolledAt ?? null,
      stoppedBy: loaded.enrolment?.stoppedBy ?? null,
      quarantine: loaded.quarantine,
      lastAttemptAt: loaded.log.lastAttemptAt,
      lastSuccessAt: loaded.log.lastSuccessAt,
      lastError:
        loaded.log.lastError ??
        (loaded.enrolment?.stoppedBy
          ? {
              code: loaded.enrolment.stoppedBy,
              message: '',
              at: loaded.enrolment.stoppedAt ?? loaded.enrolment.enrolledAt,
              status: 401,
            }
          : null),
      sentAt: loaded.log.sentAt,
    })),
    takeEnrolment: assign(({ event }) => {
      if (event.type !== 'enrolled') return {};
      return {
        serverUrl: event.enrolment.serverUrl,
        serverDeviceId: event.enrolment.serverDeviceId,
        enrolledAt: event.enrolment.enrolledAt,
        stoppedBy: null,
        quarantine: {},
        release: 'all' as const,
        lastError: null,
        attempt: 0,
        nextRetryAt: null,
      };
    }),
    rememberPending: assign(({ context, event }) =>
      event.type === 'outbox.changed'
        ? { pending: event.pending, outboxVersion: context.outboxVersion + 1 }
        : {},
    ),
    markOnline: assign({ isOnline: true }),
    markOffline: assign({ isOnline: false }),
    resetAttempt: assign({ attempt: 0 }),
    releaseMeeting: assign(({ context, event }) => {
      if (event.type !== 'quarantine.retry') return {};
      const { [event.meetingId]: _released, ...quarantine } = context.quarantine;
      return { quarantine, release: union(context.release, [event.meetingId]) };
    }),
    startPush: assign(({ context }) => ({
      outboxVersionAtPush: context.outboxVersion,
      releasing: context.release,
      release: [],
      nextRetryAt: null,
    })),
    /** The push failed before it could release what it was asked to: ask again next time. */
    keepRelease: assign(({ context }) => ({
      release: union(context.releasing, context.release),
      releasing: [],
    })),
    takeSent: assign(({ context }, output: Output<'sent'>) => ({
      quarantine: heldAfter(output.quarantine, context.release),
      lastAttemptAt: output.at,
      lastSuccessAt: output.at,
      lastError: null,
      sentAt: { ...context.sentAt, [output.meetingId]: output.at },
      attempt: 0,
      sentThisRun: context.sentThisRun + output.sent,
    })),
    takeRefused: assign(({ context }, output: Output<'refused'>) => ({
      quarantine: heldAfter(output.quarantine, context.release),
      lastAttemptAt: output.quarantine[output.meetingId]?.problem.at ?? context.lastAttemptAt,
    })),
    takeNothing: assign(({ context }, output: Output<'nothing'>) => ({
      quarantine: heldAfter(output.quarantine, context.release),
      // Nothing (sendable) is waiting: an earlier problem is over.
      lastError: null,
      attempt: 0,
    })),
    takeStop: assign((_, output: Output<'stopped'>) => ({
      stoppedBy: output.reason === 'revoked' ? ('device-revoked' as const) : ('unauthorised' as const),
      lastError: output.problem,
      lastAttemptAt: output.problem.at,
      nextRetryAt: null,
    })),
    scheduleRetry: assign(({ context }, failure: { problem: SyncProblem; retryAfterMs: number | null }) => {
      const attempt = context.attempt + 1;
      const delay = Math.max(backoffDelay(attempt, context.deps.random), failure.retryAfterMs ?? 0);
      return {
        attempt,
        retryInMs: delay,
        lastError: failure.problem,
        lastAttemptAt: failure.problem.at,
        nextRetryAt: isoWithOffset(new Date(context.deps.now().getTime() + delay)),
      };
    }),
    endRun: assign(({ context }): Partial<SyncContext> => {
      let lastRun: RunOutcome;
      if (context.stoppedBy) {
        lastRun = {
          kind: 'stopped',
          reason: context.stoppedBy === 'device-revoked' ? 'revoked' : 'unauthorised',
        };
      } else if (context.nextRetryAt && context.lastError) {
        lastRun = { kind: 'failed', error: context.lastError, sent: context.sentThisRun };
      } else if (context.sentThisRun > 0) {
        lastRun = { kind: 'synced', sent: context.sentThisRun };
      } else {
        lastRun = { kind: 'nothing-to-send' };
      }
      return { lastRun, sentThisRun: 0 };
    }),
    clearRetry: assign({ nextRetryAt: null }),
  },
  delays: {
    periodic: PERIODIC_MS,
    backoff: ({ context }) => context.retryInMs,
  },
}).createMachine({
  id: 'sync',
  context: ({ input }) => ({
    deps: input.deps,
    serverUrl: input.deps.serverUrl,
    serverDeviceId: null,
    enrolledAt: null,
    stoppedBy: null,
    isOnline: input.deps.isOnline(),
    pending: {},
    outboxVersion: 0,
    outboxVersionAtPush: 0,
    quarantine: {},
    release: [],
    releasing: [],
    lastAttemptAt: EMPTY_LOG.lastAttemptAt,
    lastSuccessAt: EMPTY_LOG.lastSuccessAt,
    lastError: null,
    sentAt: {},
    attempt: 0,
    retryInMs: 0,
    nextRetryAt: null,
    sentThisRun: 0,
    lastRun: null,
  }),
  invoke: [
    { id: 'outbox', src: 'watchOutbox', input: ({ context }) => ({ deps: context.deps }) },
    { id: 'network', src: 'watchNetwork', input: ({ context }) => ({ deps: context.deps }) },
  ],
  on: {
    'outbox.changed': { actions: 'rememberPending' },
    'network.online': { actions: 'markOnline' },
    'network.offline': { actions: 'markOffline' },
    'quarantine.retry': { actions: 'releaseMeeting' },
    enrolled: { target: '.active', reenter: true, actions: 'takeEnrolment' },
  },
  initial: 'loading',
  states: {
    loading: {
      invoke: {
        id: 'load',
        src: 'load',
        input: ({ context }) => ({ deps: context.deps }),
        onDone: [
          {
            guard: { type: 'isNotEnrolled', params: ({ event }) => event.output },
            target: 'notEnrolled',
            actions: { type: 'takeLoaded', params: ({ event }) => event.output },
          },
          {
            guard: { type: 'isStopped', params: ({ event }) => event.output },
            target: 'stopped',
            actions: { type: 'takeLoaded', params: ({ event }) => event.output },
          },
          { target: 'active', actions: { type: 'takeLoaded', params: ({ event }) => event.output } },
        ],
        // The settings could not be read: try as if enrolled; the push reads them again.
        onError: 'active',
      },
    },
    /** No token yet: nothing is sent; events wait in the outbox. */
    notEnrolled: {},
    /** The service answered 401: nothing is sent until the tablet is enrolled again. */
    stopped: { entry: 'endRun' },
    active: {
      initial: 'starting',
      states: {
        starting: {
          always: [{ guard: 'isOnline', target: 'pushing' }, { target: 'idle' }],
        },
        idle: {
          entry: 'endRun',
          // Each cycle ends with a pull of the prepared meetings (prepared.ts skips it when too soon).
          invoke: {
            id: 'pullPrepared',
            src: 'pullPrepared',
            input: ({ context }) => ({ deps: context.deps }),
          },
          after: {
            periodic: [
              { guard: 'isOnline', target: 'pushing' },
              { target: 'idle', reenter: true },
            ],
          },
          on: {
            'outbox.changed': [
              { guard: 'isWorthPushing', target: 'pushing', actions: 'rememberPending' },
              { actions: 'rememberPending' },
            ],
            'network.online': { target: 'pushing', actions: 'markOnline' },
            'sync.now': 'pushing',
            'quarantine.retry': { target: 'pushing', actions: 'releaseMeeting' },
          },
        },
        pushing: {
          entry: 'startPush',
          invoke: {
            id: 'push',
            src: 'push',
            input: ({ context }) => ({ deps: context.deps, release: context.releasing }),
            onDone: [
              {
                guard: { type: 'wasSent', params: ({ event }) => event.output },
                target: 'pushing',
                reenter: true,
                actions: { type: 'takeSent', params: ({ event }) => event.output as Output<'sent'> },
              },
              {
                guard: { type: 'wasRefused', params: ({ event }) => event.output },
                target: 'pushing',
                reenter: true,
                actions: { type: 'takeRefused', params: ({ event }) => event.output as Output<'refused'> },
              },
              {
                guard: { type: 'wasTransient', params: ({ event }) => event.output },
                target: 'backoff',
                actions: {
                  type: 'scheduleRetry',
                  params: ({ event }) => event.output as Output<'transient'>,
                },
              },
              {
                guard: { type: 'wasStopped', params: ({ event }) => event.output },
                target: '#sync.stopped',
                actions: { type: 'takeStop', params: ({ event }) => event.output as Output<'stopped'> },
              },
              {
                guard: { type: 'wasNotEnrolled', params: ({ event }) => event.output },
                target: '#sync.notEnrolled',
                actions: 'keepRelease',
              },
              {
                guard: 'isMoreWaiting',
                target: 'pushing',
                reenter: true,
                actions: { type: 'takeNothing', params: ({ event }) => event.output as Output<'nothing'> },
              },
              {
                target: 'idle',
                actions: { type: 'takeNothing', params: ({ event }) => event.output as Output<'nothing'> },
              },
            ],
            // IndexedDB failed on the tablet: the outbox is intact, try again later.
            onError: {
              target: 'backoff',
              actions: [
                'keepRelease',
                {
                  type: 'scheduleRetry',
                  params: ({ context, event }) => ({
                    problem: storageProblem(event.error, context.deps.now()),
                    retryAfterMs: null,
                  }),
                },
              ],
            },
          },
        },
        backoff: {
          entry: 'endRun',
          exit: 'clearRetry',
          after: {
            backoff: [{ guard: 'isOnline', target: 'pushing' }, { target: 'idle' }],
          },
          on: {
            'network.online': { target: 'pushing', actions: ['markOnline', 'resetAttempt'] },
            'sync.now': 'pushing',
            'quarantine.retry': { target: 'pushing', actions: 'releaseMeeting' },
          },
        },
      },
    },
  },
});

export type SyncSnapshot = SnapshotFrom<typeof syncMachine>;

/** What the chair's screens call the state of sync. */
export type SyncPhase =
  | 'starting'
  | 'not-enrolled'
  | 'idle'
  | 'syncing'
  | 'retrying'
  | 'revoked'
  | 'unauthorised';

export function syncPhase(snapshot: SyncSnapshot): SyncPhase {
  if (snapshot.matches('loading')) return 'starting';
  if (snapshot.matches('notEnrolled')) return 'not-enrolled';
  if (snapshot.matches('stopped')) {
    return snapshot.context.stoppedBy === 'device-revoked' ? 'revoked' : 'unauthorised';
  }
  if (snapshot.matches({ active: 'backoff' })) return 'retrying';
  if (snapshot.matches({ active: 'pushing' })) return 'syncing';
  return 'idle';
}

/** Events waiting in the outbox, all meetings. */
export function pendingTotal(snapshot: SyncSnapshot): number {
  return Object.values(snapshot.context.pending).reduce((sum, n) => sum + n, 0);
}
