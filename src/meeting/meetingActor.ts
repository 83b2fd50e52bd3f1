/**
 * The open meeting on the tablet as an actor: it holds the snapshot the screens read (with useSelector),
 * and writes each event the chair or an attendee sends through the store, which steps the pure domain
 * (engine.step) and commits the event to IndexedDB in one go. The snapshot changes only after the write has
 * committed (the log is the source of truth), and events are written one at a time, in the order sent: a
 * second tap while the first is being written waits its turn instead of racing it. Every send is answered
 * once, with the domain's refusal when there is one.
 */
import { type ActorRefFrom, assign, fromPromise, type SnapshotFrom, setup } from 'xstate';
import type { MeetingSnapshot } from '../domain/engine';
import type { DomainEvent } from '../domain/events';
import type { Rejection } from '../domain/rules';
import type { AppendResult, MeetingStore } from '../storage/meetingStore';

export type SendResult =
  | { ok: true }
  | { ok: false; rejection: Rejection | { code: string; message: string } };

/** What the actor needs of the meeting store: the append that steps the domain and writes the event. */
export type MeetingWriter = Pick<MeetingStore, 'append'>;

type WriteOutput = AppendResult;

interface Pending {
  event: DomainEvent;
  reply: (result: SendResult) => void;
}

export interface MeetingActorContext {
  writer: MeetingWriter;
  meetingId: string;
  snapshot: MeetingSnapshot;
  /** Sent and not yet answered, oldest first: the first is being written. */
  queue: Pending[];
}

export type MeetingActorEvent = { type: 'send'; event: DomainEvent; reply: (result: SendResult) => void };

/** Said to the screen when the write itself threw (the store answers its own failures as refusals). */
export const WRITE_FAILED = 'write-failed';

export const meetingActorMachine = setup({
  types: {
    context: {} as MeetingActorContext,
    input: {} as { writer: MeetingWriter; meetingId: string; snapshot: MeetingSnapshot },
    events: {} as MeetingActorEvent,
  },
  actors: {
    write: fromPromise<WriteOutput, { writer: MeetingWriter; meetingId: string; event: DomainEvent }>(
      ({ input }) => input.writer.append(input.meetingId, input.event),
    ),
  },
  guards: {
    hasQueued: ({ context }) => context.queue.length > 0,
  },
  actions: {
    enqueue: assign({
      queue: ({ context, event }) => [...context.queue, { event: event.event, reply: event.reply }],
    }),
    /** The written event's snapshot, only when the write succeeded (a refusal changes nothing). */
    takeSnapshot: assign({
      snapshot: ({ context }, output: WriteOutput) => (output.ok ? output.snapshot : context.snapshot),
    }),
    /** Answers the sender of the event at the head of the queue (after the snapshot has been taken). */
    answer: ({ context }, output: WriteOutput) =>
      context.queue[0]?.reply(output.ok ? { ok: true } : { ok: false, rejection: output.rejection }),
    /** The write threw: nothing was written, the snapshot stands, and the sender is told. */
    answerFailure: ({ context }, error: unknown) =>
      context.queue[0]?.reply({
        ok: false,
        rejection: { code: WRITE_FAILED, message: error instanceof Error ? error.message : String(error) },
      }),
    dequeue: assign({ queue: ({ context }) => context.queue.slice(1) }),
  },
}).createMachine({
  id: 'meeting',
  context: ({ input }) => ({ ...input, queue: [] }),
  initial: 'idle',
  states: {
    idle: {
      always: { guard: 'hasQueued', target: 'writing' },
      on: { send: { actions: 'enqueue', target: 'writing' } },
    },
    writing: {
      on: { send: { actions: 'enqueue' } },
      invoke: {
        id: 'write',
        src: 'write',
        input: ({ context }) => ({
          writer: context.writer,
          meetingId: context.meetingId,
          // `writing` is entered only with something queued.
          event: (context.queue[0] as Pending).event,
        }),
        onDone: {
          target: 'idle',
          actions: [
            { type: 'takeSnapshot', params: ({ event }) => event.output },
            { type: 'answer', params: ({ event }) => event.output },
            'dequeue',
          ],
        },
        onError: {
          target: 'idle',
          actions: [
            { type: 'answerFailure', params: ({ event }: { event: { error: unknown } }) => event.error },
            'dequeue',
          ],
        },
      },
    },
  },
});

export type MeetingActorRef = ActorRefFrom<typeof meetingActorMachine>;
export type MeetingActorSnapshot = SnapshotFrom<typeof meetingActorMachine>;
