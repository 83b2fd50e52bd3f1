/**
 * The open meeting on the tablet: the meeting actor (src/meeting/meetingActor.ts), whose snapshot the
 * screens read with useSelector, and `send`, which the actor writes to IndexedDB first and only then shows
 * (the log is the source of truth).
 */
import { useSelector } from '@xstate/react';
import { createActor } from 'xstate';
import { allowedKinds, type MeetingSnapshot } from '../domain/engine';
import type { DomainEvent, DomainEventType, EventEnvelope } from '../domain/events';
import type { KioskDb } from '../storage/db';
import type { MeetingStore } from '../storage/meetingStore';
import { type MeetingActorRef, meetingActorMachine, type SendResult } from './meetingActor';

export type { SendResult } from './meetingActor';

export class MeetingSession {
  readonly actor: MeetingActorRef;

  constructor(
    private readonly store: MeetingStore,
    readonly meetingId: string,
    snapshot: MeetingSnapshot,
    /** The tablet's database, for what the screens remember between meetings (src/meeting/remembered.ts). */
    readonly db?: KioskDb,
  ) {
    this.actor = createActor(meetingActorMachine, {
      input: { writer: store, meetingId, snapshot },
    }).start();
  }

  get snapshot(): MeetingSnapshot {
    return this.actor.getSnapshot().context.snapshot;
  }

  events(): Promise<EventEnvelope[]> {
    return this.store.events(this.meetingId);
  }

  /** Calls `listener` each time the meeting's snapshot changes (an event written), not on every step. */
  subscribe(listener: () => void): () => void {
    let last = this.snapshot;
    const subscription = this.actor.subscribe((s) => {
      if (s.context.snapshot === last) return;
      last = s.context.snapshot;
      listener();
    });
    return () => subscription.unsubscribe();
  }

  send(event: DomainEvent): Promise<SendResult> {
    return new Promise((reply) => this.actor.send({ type: 'send', event, reply }));
  }
}

/** The current snapshot; re-renders only when an event has been written. */
export function useMeetingSnapshot(session: MeetingSession): MeetingSnapshot {
  return useSelector(session.actor, (s) => s.context.snapshot);
}

/** The kinds of event the domain allows now: a screen offers a control exactly when its kind is here. */
export function useAllowedKinds(session: MeetingSession): ReadonlySet<DomainEventType> {
  const snapshot = useMeetingSnapshot(session);
  return allowedKinds(snapshot);
}
