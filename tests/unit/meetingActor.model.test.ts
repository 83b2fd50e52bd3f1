/**
 * Model-based tests of the open meeting's actor (issue 15): xstate/graph enumerates every state the actor
 * reaches with up to three taps sent before the first write has finished (each write then accepted, refused
 * by the domain, or failing in storage), takes the shortest path to each and then each event once more, and
 * runs every step on a live actor with a fake store. Checked at every step against what the record is owed:
 * one write at a time, in the order the taps were sent; every tap answered once, with the refusal when there
 * is one; and the screens' snapshot is the one of the last event written, never of one refused or lost.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type AnyStateMachine, createActor, createMachine } from 'xstate';
import { createTestModel, type TestPath } from 'xstate/graph';
import type { MeetingSnapshot } from '../../src/domain/engine';
import type { DomainEvent, EventEnvelope } from '../../src/domain/events';
import type { Rejection } from '../../src/domain/rules';
import {
  type MeetingActorSnapshot,
  type MeetingWriter,
  meetingActorMachine,
  type SendResult,
  WRITE_FAILED,
} from '../../src/meeting/meetingActor';
import { modelOf, type NodeConfig } from '../support/machineModel';

const DONE = 'xstate.done.actor.write';
const FAILED = 'xstate.error.actor.write';
const MAX_QUEUED = 3;

/** A stand-in snapshot: the number of the last event written (0: the meeting as opened). */
const snapshotAfter = (n: number) => ({ written: n }) as unknown as MeetingSnapshot;
const writtenIn = (s: MeetingSnapshot) => (s as unknown as { written: number }).written;
/** The store's written envelope: the actor passes it by, so any stands in. */
const sealed = {} as EventEnvelope;
const tap = (n: number) => ({ type: 'attendee.left', payload: { n } }) as unknown as DomainEvent;

type ModelEvent =
  | { type: 'send'; event: DomainEvent; reply: (r: SendResult) => void }
  | { type: typeof DONE; output: Awaited<ReturnType<MeetingWriter['append']>> }
  | { type: typeof FAILED; error: unknown };

const accepted = { type: DONE, output: { ok: true as const, snapshot: snapshotAfter(-1) } };
const refused = {
  type: DONE,
  output: { ok: false as const, rejection: { code: 'not-allowed-now', message: 'Not now.' } as Rejection },
};
const failed = { type: FAILED, error: new Error('QuotaExceededError') };

function eventsFor(s: MeetingActorSnapshot): ModelEvent[] {
  const events: ModelEvent[] = [];
  if (s.context.queue.length < MAX_QUEUED)
    events.push({ type: 'send', event: tap(0), reply: () => undefined });
  if (s.matches('writing')) events.push(accepted as ModelEvent, refused as ModelEvent, failed as ModelEvent);
  return events;
}

const keyOf = (s: MeetingActorSnapshot) => JSON.stringify([s.value, s.context.queue.length]);

/** A store whose writes the test settles one by one, counting how many run at once. */
function fakeWriter() {
  const writes: Array<{ n: number; settle: (how: 'accepted' | 'refused' | 'failed') => void }> = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const writer: MeetingWriter = {
    append: (_meetingId, event) => {
      inFlight += 1;
      maxInFlight = Math.max(maxInFlight, inFlight);
      const n = (event.payload as unknown as { n: number }).n;
      return new Promise((resolve, reject) => {
        writes.push({
          n,
          settle: (how) => {
            inFlight -= 1;
            if (how === 'accepted') resolve({ ok: true, snapshot: snapshotAfter(n), envelope: sealed });
            else if (how === 'refused') resolve(refused.output);
            else reject(failed.error);
          },
        });
      });
    },
  };
  return { writer, writes, maxInFlight: () => maxInFlight };
}

const model = createMachine(
  modelOf(meetingActorMachine.config as unknown as NodeConfig, 'meeting') as never,
  meetingActorMachine.implementations as never,
) as unknown as typeof meetingActorMachine;

let paths: Array<TestPath<MeetingActorSnapshot, ModelEvent>> = [];

beforeAll(() => {
  const traversal = {
    events: eventsFor,
    serializeState: keyOf,
    input: { writer: fakeWriter().writer, meetingId: 'm', snapshot: snapshotAfter(0) },
  };
  paths = createTestModel(model as AnyStateMachine, traversal).getShortestPaths(
    traversal,
  ) as unknown as typeof paths;
});

const turns = async () => {
  for (let i = 0; i < 10; i += 1) await Promise.resolve();
};

describe('the open meeting as an actor', () => {
  it('the model reaches every state: idle, and writing with one to three taps waiting', () => {
    // getShortestPaths drops a path that is the start of a longer one: count every state along every path.
    const keys = new Set(paths.flatMap((p) => [...p.steps.map((s) => keyOf(s.state)), keyOf(p.state)]));
    expect(keys).toEqual(
      new Set(['["idle",0]', ...Array.from({ length: MAX_QUEUED }, (_, i) => `["writing",${i + 1}]`)]),
    );
  });

  it('writes one tap at a time in the order sent, answers each once, and shows only what was written', async () => {
    let steps = 0;
    for (const path of paths) {
      const end = path.steps.at(-1)?.state ?? path.state;
      for (const extra of [null, ...eventsFor(end)]) {
        const events = [...path.steps.slice(1).map((s) => s.event), ...(extra ? [extra] : [])];
        const f = fakeWriter();
        const actor = createActor(meetingActorMachine, {
          input: { writer: f.writer, meetingId: 'm', snapshot: snapshotAfter(0) },
        }).start();
        const answers = new Map<number, SendResult[]>();
        const outcomes = new Map<number, 'accepted' | 'refused' | 'failed'>();
        let sent = 0;
        let lastWritten = 0;
        const label = events.map((e) => (e.type === DONE ? `done(${e.output.ok})` : e.type)).join(' → ');
        for (const event of events) {
          if (event.type === 'send') {
            sent += 1;
            const n = sent;
            answers.set(n, []);
            actor.send({ type: 'send', event: tap(n), reply: (r) => answers.get(n)?.push(r) });
          } else {
            const how = event.type === FAILED ? 'failed' : event.output.ok ? 'accepted' : 'refused';
            const write = f.writes.find((w) => !outcomes.has(w.n));
            if (!write) throw new Error(`${label}: the model settles a write the actor did not start`);
            outcomes.set(write.n, how);
            if (how === 'accepted') lastWritten = write.n;
            write.settle(how);
          }
          await turns();
          steps += 1;
          const s = actor.getSnapshot();
          // One write at a time, in the order sent.
          expect(f.maxInFlight(), label).toBeLessThanOrEqual(1);
          expect(
            f.writes.map((w) => w.n),
            label,
          ).toEqual(Array.from({ length: f.writes.length }, (_, i) => i + 1));
          // Each tap answered at most once, and as its write went; the ones waiting not yet.
          for (const [n, got] of answers) {
            const how = outcomes.get(n);
            if (!how) expect(got, `${label}: tap ${n} answered before its write`).toEqual([]);
            else if (how === 'accepted') expect(got, label).toEqual([{ ok: true }]);
            else if (how === 'refused')
              expect(got, label).toEqual([{ ok: false, rejection: refused.output.rejection }]);
            else expect(got[0]?.ok === false && got[0].rejection.code, label).toBe(WRITE_FAILED);
          }
          // The screens see the last event written, never one refused or lost.
          expect(writtenIn(s.context.snapshot), label).toBe(lastWritten);
          expect(s.context.queue.length, label).toBe(sent - outcomes.size);
          expect(s.matches('writing'), label).toBe(sent > outcomes.size);
        }
        actor.stop();
      }
    }
    expect(steps).toBeGreaterThan(10);
  });
});
