/**
 * Model-based tests of the sync statechart: xstate/graph enumerates every state sync can reach with two
 * meetings (A and B) and every answer a push can get, and takes the shortest path to each. Each path is
 * then run on a real actor of the machine, its side effects swapped for stubs that the test answers
 * (`load` and `push` settle when the path says so; delays pass on fake timers), and every state along it
 * is checked against what the chair and the records service are owed.
 */
import 'fake-indexeddb/auto';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  type Actor,
  type AnyStateMachine,
  createActor,
  createMachine,
  fromCallback,
  fromPromise,
} from 'xstate';
import { createTestModel, type TestPath } from 'xstate/graph';
import type { Enrolment } from '../../src/sync/enrolment';
import type { PushInput, PushOutput, Quarantine, QuarantineMap } from '../../src/sync/push';
import {
  BACKOFF_CAP_MS,
  type LoadedState,
  PERIODIC_MS,
  type SyncDeps,
  type SyncEvent,
  type SyncSnapshot,
  syncMachine,
  syncPhase,
} from '../../src/sync/syncMachine';

const A = 'meeting-a';
const B = 'meeting-b';
const AT = '2026-11-23T10:00:00+00:00';
const RETRY_AFTER_MS = 30_000;

const enrolment = (stoppedBy: Enrolment['stoppedBy'] = null): Enrolment => ({
  serverUrl: 'https://records.example.gov.uk',
  serverDeviceId: 'srv-1',
  deviceToken: 'token',
  deviceId: 'tablet-1',
  enrolledAt: AT,
  stoppedBy,
  stoppedAt: stoppedBy ? AT : null,
});

const held = (meetingId: string): Quarantine => ({
  meetingId,
  title: meetingId,
  problem: { code: 'conflict', message: 'Held with other content.', at: AT, status: 409 },
  retryAt: '2026-11-23T10:30:00+00:00',
});

const loaded = (e: Enrolment | null): LoadedState => ({
  enrolment: e,
  serverUrl: null,
  log: { lastAttemptAt: null, lastSuccessAt: null, lastError: null, sentAt: {} },
  quarantine: {},
});

/** Events that only the machine's own actors and timers send; the model sends them as the test driver does. */
type ModelEvent =
  | SyncEvent
  | { type: 'xstate.done.actor.load'; output: LoadedState }
  | { type: 'xstate.done.actor.push'; output: PushOutput }
  | { type: 'xstate.error.actor.push'; error: Error }
  | { type: 'xstate.after.periodic.sync.active.idle' }
  | { type: 'xstate.after.backoff.sync.active.backoff' };

/** What the push saw of the quarantine, given what the machine knew and what happened. */
function pushOutputs(snapshot: SyncSnapshot): PushOutput[] {
  const { quarantine, releasing } = snapshot.context;
  const before: QuarantineMap =
    releasing === 'all'
      ? {}
      : Object.fromEntries(Object.entries(quarantine).filter(([id]) => !releasing.includes(id)));
  const sendable = [A, B].filter((id) => !(id in before));
  const outputs: PushOutput[] = [
    { kind: 'nothing', quarantine: before },
    {
      kind: 'transient',
      problem: { code: 'http-503', message: 'Busy', at: AT, status: 503 },
      retryAfterMs: RETRY_AFTER_MS,
    },
    {
      kind: 'stopped',
      reason: 'revoked',
      problem: { code: 'device-revoked', message: '', at: AT, status: 401 },
    },
  ];
  for (const id of sendable.slice(0, 1)) {
    outputs.push({ kind: 'sent', meetingId: id, sent: 1, at: AT, quarantine: before });
    outputs.push({ kind: 'refused', meetingId: id, quarantine: { ...before, [id]: held(id) } });
  }
  return outputs;
}

function eventsFor(snapshot: SyncSnapshot): ModelEvent[] {
  if (snapshot.matches('loading')) {
    return [
      { type: 'xstate.done.actor.load', output: loaded(null) },
      { type: 'xstate.done.actor.load', output: loaded(enrolment()) },
      { type: 'xstate.done.actor.load', output: loaded(enrolment('device-revoked')) },
    ];
  }
  const events: ModelEvent[] = [
    { type: 'outbox.changed', pending: { [A]: 1, [B]: 1 } },
    { type: 'outbox.changed', pending: {} },
    { type: snapshot.context.isOnline ? 'network.offline' : 'network.online' },
    { type: 'sync.now' },
    {
      type: 'enrolled',
      enrolment: { serverUrl: 'https://records.example.gov.uk', serverDeviceId: 'srv-2', enrolledAt: AT },
    },
  ];
  for (const id of Object.keys(snapshot.context.quarantine))
    events.push({ type: 'quarantine.retry', meetingId: id });
  if (snapshot.matches({ active: 'pushing' })) {
    for (const output of pushOutputs(snapshot)) events.push({ type: 'xstate.done.actor.push', output });
    events.push({ type: 'xstate.error.actor.push', error: new Error('IndexedDB failed') });
  }
  if (snapshot.matches({ active: 'idle' })) events.push({ type: 'xstate.after.periodic.sync.active.idle' });
  if (snapshot.matches({ active: 'backoff' }))
    events.push({ type: 'xstate.after.backoff.sync.active.backoff' });
  return events;
}

/** A state as far as what follows depends on it (attempts beyond two behave alike). */
function keyOf(snapshot: SyncSnapshot): string {
  const c = snapshot.context;
  return JSON.stringify([
    snapshot.value,
    c.isOnline,
    Object.keys(c.quarantine).sort(),
    c.release,
    c.releasing,
    Object.keys(c.pending).filter((id) => (c.pending[id] ?? 0) > 0),
    c.outboxVersion !== c.outboxVersionAtPush,
    c.stoppedBy,
    Math.min(c.attempt, 2),
  ]);
}

const stubDeps = (): SyncDeps =>
  ({
    db: {} as SyncDeps['db'],
    store: {} as SyncDeps['store'],
    fetch: () => Promise.reject(new Error('no network in a model test')),
    now: () => new Date(),
    random: () => 0.5,
    serverUrl: 'https://records.example.gov.uk',
    networkEvents: null,
    isOnline: () => true,
  }) satisfies SyncDeps;

type Path = TestPath<SyncSnapshot, ModelEvent>;

let paths: Path[] = [];

interface NodeConfig {
  invoke?:
    | { id: string; onDone?: unknown; onError?: unknown }
    | Array<{ id: string; onDone?: unknown; onError?: unknown }>;
  after?: Record<string, unknown>;
  on?: Record<string, unknown>;
  states?: Record<string, NodeConfig>;
  [key: string]: unknown;
}

/**
 * The machine as a model xstate/graph can walk (it refuses invocations and delays): the same states,
 * guards and actions, with each actor's done and error transitions and each delay's transition turned into
 * the event that the running actor receives for it.
 */
function modelOf(node: NodeConfig, id: string): NodeConfig {
  const { invoke, after, on, states, ...rest } = node;
  const handlers: Record<string, unknown> = { ...on };
  for (const inv of invoke === undefined ? [] : Array.isArray(invoke) ? invoke : [invoke]) {
    if (inv.onDone) handlers[`xstate.done.actor.${inv.id}`] = inv.onDone;
    if (inv.onError) handlers[`xstate.error.actor.${inv.id}`] = inv.onError;
  }
  for (const [delay, transition] of Object.entries(after ?? {}))
    handlers[`xstate.after.${delay}.${id}`] = transition;
  const children = states
    ? Object.fromEntries(Object.entries(states).map(([key, child]) => [key, modelOf(child, `${id}.${key}`)]))
    : undefined;
  return { ...rest, on: handlers, ...(children ? { states: children } : {}) };
}

const syncModel = createMachine(
  modelOf(syncMachine.config as unknown as NodeConfig, 'sync') as never,
  syncMachine.implementations as never,
) as unknown as typeof syncMachine;

beforeAll(() => {
  const traversal = {
    events: eventsFor as (s: SyncSnapshot) => SyncEvent[],
    serializeState: keyOf,
    input: { deps: stubDeps() },
  };
  const model = createTestModel(syncModel as AnyStateMachine, traversal);
  paths = model.getShortestPaths(traversal) as unknown as Path[];
});

// ---------------------------------------------------------------- the running actor, with stub effects

interface Deferred<T> {
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

interface Harness {
  actor: Actor<typeof syncMachine>;
  /** Pushes started, with what each was asked to release. */
  pushes: PushInput[];
  inFlight: () => number;
  maxInFlight: () => number;
  settleLoad: (output: LoadedState) => Promise<void>;
  settlePush: (output: PushOutput | Error) => Promise<void>;
}

async function turns(n = 10) {
  for (let i = 0; i < n; i += 1) await Promise.resolve();
}

function harness(): Harness {
  let load: Deferred<LoadedState> | null = null;
  let push: Deferred<PushOutput> | null = null;
  const pushes: PushInput[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const machine = syncMachine.provide({
    actors: {
      load: fromPromise<LoadedState, { deps: SyncDeps }>(
        () =>
          new Promise((resolve, reject) => {
            load = { resolve, reject };
          }),
      ),
      push: fromPromise<PushOutput, PushInput>(({ input, signal }) => {
        pushes.push(input);
        inFlight += 1;
        maxInFlight = Math.max(maxInFlight, inFlight);
        // A push the machine abandons (a new enrolment) no longer counts as in flight.
        signal.addEventListener('abort', () => {
          inFlight -= 1;
        });
        return new Promise<PushOutput>((resolve, reject) => {
          push = { resolve, reject };
        }).finally(() => {
          if (!signal.aborted) inFlight -= 1;
        });
      }),
      watchOutbox: fromCallback(() => undefined),
      watchNetwork: fromCallback(() => undefined),
    },
  });
  const actor = createActor(machine, { input: { deps: stubDeps() } });
  actor.start();
  return {
    actor,
    pushes,
    inFlight: () => inFlight,
    maxInFlight: () => maxInFlight,
    async settleLoad(output) {
      load?.resolve(output);
      await turns();
    },
    async settlePush(output) {
      const current = push;
      push = null;
      if (output instanceof Error) current?.reject(output);
      else current?.resolve(output);
      await turns();
    },
  };
}

/** Does what the path's event stands for: answers a stub, lets time pass, or sends the chair's event. */
async function perform(h: Harness, event: ModelEvent): Promise<void> {
  switch (event.type) {
    case 'xstate.done.actor.load':
      return h.settleLoad(event.output);
    case 'xstate.done.actor.push':
      return h.settlePush(event.output);
    case 'xstate.error.actor.push':
      return h.settlePush(event.error);
    case 'xstate.after.periodic.sync.active.idle':
      await vi.advanceTimersByTimeAsync(PERIODIC_MS);
      return turns();
    case 'xstate.after.backoff.sync.active.backoff':
      await vi.advanceTimersByTimeAsync(h.actor.getSnapshot().context.retryInMs);
      return turns();
    default:
      h.actor.send(event);
      return turns();
  }
}

const describePath = (path: Path) =>
  path.steps
    .slice(1)
    .map((s) => {
      const e = s.event as ModelEvent;
      return 'output' in e && e.type === 'xstate.done.actor.push' ? `push:${e.output.kind}` : e.type;
    })
    .join(' → ');

/** Runs each path on a live actor; `check` sees each state it reaches, with the event that led there. */
async function runPaths(
  check: (h: Harness, snapshot: SyncSnapshot, event: ModelEvent, before: SyncSnapshot) => void,
) {
  for (const path of paths) {
    const h = harness();
    try {
      for (const step of path.steps.slice(1)) {
        const before = h.actor.getSnapshot();
        const event = step.event as ModelEvent;
        await perform(h, event);
        const now = h.actor.getSnapshot();
        expect(keyOf(now), describePath(path)).toBe(keyOf(step.state));
        check(h, now, event, before);
      }
    } finally {
      h.actor.stop();
    }
  }
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.setSystemTime(new Date(AT));
});

afterEach(() => {
  vi.useRealTimers();
});

describe('the sync statechart, on the shortest path to every state', () => {
  it('explores every phase the chair can see', () => {
    const reached = paths.flatMap((p) => p.steps.map((step) => step.state));
    const phases = new Set(reached.map(syncPhase));
    expect([...phases].sort()).toEqual(
      ['idle', 'not-enrolled', 'retrying', 'revoked', 'starting', 'syncing'].sort(),
    );
    // Both meetings held at once, and one held while the other is sent.
    expect(reached.some((state) => Object.keys(state.context.quarantine).length === 2)).toBe(true);
    expect(paths.length).toBeGreaterThan(50);
  });

  it('a running actor reaches the same state as the model at every step', async () => {
    await runPaths(() => undefined);
  });

  it('never has more than one push in flight', async () => {
    await runPaths((h) => {
      expect(h.maxInFlight()).toBeLessThanOrEqual(1);
      const snapshot = h.actor.getSnapshot();
      expect(h.inFlight()).toBe(snapshot.matches({ active: 'pushing' }) ? 1 : 0);
    });
  });

  it('a refused meeting is held with the service’s reason and the other meetings are pushed at once', async () => {
    let refusals = 0;
    await runPaths((h, snapshot, event) => {
      if (event.type !== 'xstate.done.actor.push' || event.output.kind !== 'refused') return;
      refusals += 1;
      const { meetingId } = event.output;
      expect(snapshot.context.quarantine[meetingId]?.problem).toMatchObject({
        code: 'conflict',
        status: 409,
      });
      expect(snapshot.matches({ active: 'pushing' })).toBe(true);
      // The next push does not release the refused meeting: it is skipped, not retried.
      const next = h.pushes.at(-1)?.release;
      expect(next === 'all' || next?.includes(meetingId)).toBe(false);
    });
    expect(refusals).toBeGreaterThan(0);
  });

  it('"Try again" and a new enrolment release held meetings at the next push', async () => {
    let retries = 0;
    await runPaths((h, snapshot, event, before) => {
      if (event.type === 'quarantine.retry') {
        retries += 1;
        expect(snapshot.context.quarantine[event.meetingId]).toBeUndefined();
        if (before.matches({ active: 'pushing' })) return; // released when the push under way is over
        expect(
          snapshot.matches({ active: 'pushing' }) ||
            snapshot.matches('stopped') ||
            snapshot.matches('notEnrolled') ||
            snapshot.matches('loading'),
        ).toBe(true);
        if (snapshot.matches({ active: 'pushing' })) {
          const release = h.pushes.at(-1)?.release;
          expect(release === 'all' || release?.includes(event.meetingId)).toBe(true);
        }
      }
      if (event.type === 'enrolled') {
        expect(snapshot.context.quarantine).toEqual({});
        expect(snapshot.context.stoppedBy).toBeNull();
        if (snapshot.matches({ active: 'pushing' })) expect(h.pushes.at(-1)?.release).toBe('all');
      }
    });
    expect(retries).toBeGreaterThan(0);
  });

  it('a failure that may pass waits (at least the Retry-After), and new events do not cut it short', async () => {
    let waits = 0;
    await runPaths((_h, snapshot, event, before) => {
      if (event.type === 'xstate.done.actor.push' && event.output.kind === 'transient') {
        waits += 1;
        expect(snapshot.matches({ active: 'backoff' })).toBe(true);
        expect(snapshot.context.retryInMs).toBeGreaterThanOrEqual(RETRY_AFTER_MS);
        expect(snapshot.context.retryInMs).toBeLessThanOrEqual(Math.max(BACKOFF_CAP_MS, RETRY_AFTER_MS));
        expect(snapshot.context.nextRetryAt).not.toBeNull();
      }
      if (
        before.matches({ active: 'backoff' }) &&
        (event.type === 'outbox.changed' || event.type === 'network.offline')
      ) {
        expect(snapshot.matches({ active: 'backoff' })).toBe(true);
      }
      if (before.matches({ active: 'backoff' }) && event.type === 'network.online') {
        expect(snapshot.matches({ active: 'pushing' })).toBe(true);
        expect(snapshot.context.attempt).toBe(0);
      }
    });
    expect(waits).toBeGreaterThan(0);
  });

  it('nothing is pushed while the tablet is not enrolled or has been revoked', async () => {
    await runPaths((h, snapshot, event, before) => {
      const isQuiet = (s: SyncSnapshot) => s.matches('stopped') || s.matches('notEnrolled');
      if (isQuiet(before) && isQuiet(snapshot)) {
        expect(h.inFlight()).toBe(0);
      }
      if (isQuiet(before) && event.type !== 'enrolled') expect(isQuiet(snapshot)).toBe(true);
    });
  });

  it('offline, only the chair starts a push; the network coming back starts one', async () => {
    await runPaths((_h, snapshot, event, before) => {
      if (!before.matches({ active: 'idle' })) return;
      if (
        !before.context.isOnline &&
        (event.type === 'outbox.changed' || event.type === 'xstate.after.periodic.sync.active.idle')
      ) {
        expect(snapshot.matches({ active: 'idle' })).toBe(true);
      }
      if (
        before.context.isOnline &&
        event.type === 'outbox.changed' &&
        Object.keys(event.pending).some((id) => !(id in before.context.quarantine))
      ) {
        expect(snapshot.matches({ active: 'pushing' })).toBe(true);
      }
      if (event.type === 'network.online') expect(snapshot.matches({ active: 'pushing' })).toBe(true);
    });
  });
});
