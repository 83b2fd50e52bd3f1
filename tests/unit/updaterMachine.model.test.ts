/**
 * Model-based tests of the app's updates (issue 15): xstate/graph enumerates every state the updater
 * statechart reaches (registration done or failed, checks, a new version waiting, the chair applying it,
 * meetings opening and closing) and takes the shortest path to each, and then each event once more from
 * there. Every step runs on a live actor with a fake Workbox, and is checked against what the people at the
 * table are owed: an update is never applied while a meeting is open (or not yet known to be closed), the
 * page reloads once at most, and only after the chair applied it; one check at a time.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type AnyStateMachine, createActor, createMachine } from 'xstate';
import { createTestModel, type TestPath } from 'xstate/graph';
import {
  APPLY_FALLBACK_MS,
  type UpdaterDeps,
  type UpdaterEvent,
  type UpdaterSnapshot,
  updaterMachine,
} from '../../src/pwa/updaterMachine';
import { modelOf, type NodeConfig } from '../support/machineModel';

type ModelEvent =
  | UpdaterEvent
  | { type: 'xstate.done.actor.register' }
  | { type: 'xstate.error.actor.register' }
  | { type: 'xstate.done.actor.update' }
  | { type: 'xstate.error.actor.update' }
  | { type: 'xstate.after.applyFallback.updater.version.applying' };

const REGISTER_DONE = 'xstate.done.actor.register';
const REGISTER_FAILED = 'xstate.error.actor.register';
const CHECK_DONE = 'xstate.done.actor.update';
const CHECK_FAILED = 'xstate.error.actor.update';
const FALLBACK = 'xstate.after.applyFallback.updater.version.applying';

const CLOCK = 1_000_000;

function eventsFor(snapshot: UpdaterSnapshot): ModelEvent[] {
  const events: ModelEvent[] = [
    { type: 'check' },
    { type: 'check', force: true },
    { type: 'waiting' },
    { type: 'apply' },
    { type: 'meetings.changed', isMeetingOpen: true },
    { type: 'meetings.changed', isMeetingOpen: false },
    { type: 'meetings.changed', isMeetingOpen: undefined },
  ];
  if (snapshot.matches({ worker: 'registering' }))
    events.push({ type: REGISTER_DONE }, { type: REGISTER_FAILED });
  if (snapshot.matches({ worker: { registered: 'checking' } }))
    events.push({ type: CHECK_DONE }, { type: CHECK_FAILED });
  if (snapshot.matches({ version: 'applying' }))
    events.push({ type: 'controllerchange' }, { type: FALLBACK });
  return events;
}

const keyOf = (s: UpdaterSnapshot) =>
  JSON.stringify([
    s.value,
    s.context.isMeetingOpen ?? 'unknown',
    Number.isFinite(s.context.lastStartedAt),
    s.context.lastCheckedAt !== null,
  ]);

/** A fake Workbox and service worker container whose promises and events the test settles. */
function fakes() {
  let onWaiting: (() => void) | null = null;
  let onControl: (() => void) | null = null;
  let register: { resolve: () => void; reject: (e: Error) => void } | null = null;
  let update: { resolve: () => void; reject: (e: Error) => void } | null = null;
  let updatesInFlight = 0;
  let maxInFlight = 0;
  const skipWaiting = vi.fn();
  const reload = vi.fn();
  const deps: UpdaterDeps = {
    workbox: {
      addEventListener: (_type, listener) => {
        onWaiting = listener;
      },
      register: () =>
        new Promise((resolve, reject) => {
          register = { resolve: () => resolve({}), reject };
        }),
      update: () => {
        updatesInFlight += 1;
        maxInFlight = Math.max(maxInFlight, updatesInFlight);
        return new Promise<unknown>((resolve, reject) => {
          update = { resolve: () => resolve(undefined), reject };
        }).finally(() => {
          updatesInFlight -= 1;
        });
      },
      messageSkipWaiting: skipWaiting,
    },
    container: {
      addEventListener: ((type: string, listener: () => void) => {
        if (type === 'controllerchange') onControl = listener;
      }) as ServiceWorkerContainer['addEventListener'],
    },
    reload,
    isOnline: () => true,
    now: () => CLOCK,
    setInterval: () => 0,
  };
  return {
    deps,
    skipWaiting,
    reload,
    maxInFlight: () => maxInFlight,
    waiting: () => onWaiting?.(),
    control: () => onControl?.(),
    settleRegister: (ok: boolean) => (ok ? register?.resolve() : register?.reject(new Error('refused'))),
    settleUpdate: (ok: boolean) =>
      ok ? update?.resolve() : update?.reject(new TypeError('Failed to fetch')),
  };
}

type Path = TestPath<UpdaterSnapshot, ModelEvent>;
let paths: Path[] = [];

const model = createMachine(
  modelOf(updaterMachine.config as unknown as NodeConfig, 'updater') as never,
  updaterMachine.implementations as never,
) as unknown as typeof updaterMachine;

beforeAll(() => {
  const traversal = {
    events: eventsFor,
    serializeState: keyOf,
    input: { deps: fakes().deps, isMeetingOpen: undefined },
  };
  paths = createTestModel(model as AnyStateMachine, traversal).getShortestPaths(
    traversal,
  ) as unknown as Path[];
});

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
});
afterEach(() => {
  vi.useRealTimers();
});

const turns = async () => {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
};

interface Step {
  event: ModelEvent;
  before: UpdaterSnapshot;
  after: UpdaterSnapshot;
  f: ReturnType<typeof fakes>;
  path: string;
}

/** Runs every path, then every event once more from where it ends, on a live actor with the fakes. */
async function runPaths(check: (step: Step) => void) {
  for (const path of paths) {
    const steps = path.steps.slice(1);
    const end = path.steps.at(-1)?.state ?? path.state;
    for (const extra of [null, ...eventsFor(end)]) {
      const f = fakes();
      const actor = createActor(updaterMachine, {
        input: { deps: f.deps, isMeetingOpen: undefined },
      }).start();
      const events = [...steps.map((s) => s.event), ...(extra ? [extra] : [])];
      const label = events.map((e) => ('force' in e && e.force ? 'check(force)' : e.type)).join(' → ');
      for (const [i, event] of events.entries()) {
        const before = actor.getSnapshot();
        switch (event.type) {
          case REGISTER_DONE:
          case REGISTER_FAILED:
            f.settleRegister(event.type === REGISTER_DONE);
            break;
          case CHECK_DONE:
          case CHECK_FAILED:
            f.settleUpdate(event.type === CHECK_DONE);
            break;
          case FALLBACK:
            await vi.advanceTimersByTimeAsync(APPLY_FALLBACK_MS);
            break;
          case 'waiting':
            f.waiting();
            break;
          case 'controllerchange':
            f.control();
            break;
          default:
            actor.send(event);
        }
        await turns();
        const after = actor.getSnapshot();
        const expected = steps[i];
        if (expected) expect(keyOf(after), label).toBe(keyOf(expected.state));
        if (extra === null || i === events.length - 1) check({ event, before, after, f, path: label });
      }
      actor.stop();
    }
  }
}

describe('the updater statechart, on the shortest path to every state', () => {
  it('reaches a new version waiting, applied and reloaded, with registration done or failed', () => {
    const values = new Set(paths.flatMap((p) => p.steps.map((step) => JSON.stringify(step.state.value))));
    for (const version of ['current', 'ready', 'applying', 'reloaded'])
      expect([...values].some((v) => v.includes(`"version":"${version}"`))).toBe(true);
    expect([...values].some((v) => v.includes('unavailable'))).toBe(true);
    expect([...values].some((v) => v.includes('checking'))).toBe(true);
  });

  it('an update is never applied while a meeting is open or not yet known to be closed', async () => {
    let refused = 0;
    await runPaths(({ event, before, after, f, path }) => {
      if (event.type !== 'apply' || !before.matches({ version: 'ready' })) return;
      if (before.context.isMeetingOpen === false) {
        expect(after.matches({ version: 'applying' }), path).toBe(true);
        expect(f.skipWaiting, path).toHaveBeenCalledTimes(1);
      } else {
        refused += 1;
        expect(after.matches({ version: 'ready' }), path).toBe(true);
        expect(f.skipWaiting, path).not.toHaveBeenCalled();
      }
    });
    expect(refused).toBeGreaterThan(0);
  });

  it('the page reloads once at most, and only after the chair applied a waiting version', async () => {
    let reloads = 0;
    await runPaths(({ after, f, path }) => {
      expect(f.reload.mock.calls.length, path).toBeLessThanOrEqual(1);
      if (f.reload.mock.calls.length === 1) {
        reloads += 1;
        expect(f.skipWaiting, path).toHaveBeenCalledTimes(1);
        expect(after.matches({ version: 'reloaded' }), path).toBe(true);
      }
    });
    expect(reloads).toBeGreaterThan(0);
  });

  it('one check at a time, and a check soon after another is skipped unless forced', async () => {
    await runPaths(({ event, before, after, f, path }) => {
      expect(f.maxInFlight(), path).toBeLessThanOrEqual(1);
      if (event.type !== 'check' || !before.matches({ worker: { registered: 'idle' } })) return;
      const isSoon = Number.isFinite(before.context.lastStartedAt);
      expect(after.matches({ worker: { registered: 'checking' } }), path).toBe(
        event.force === true || !isSoon,
      );
    });
  });
});
