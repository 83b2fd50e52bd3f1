/**
 * The open meeting on the tablet: the snapshot the screens read, and `send`, which writes the event to
 * IndexedDB first and only then shows its effect (the log is the source of truth). The snapshot is a store
 * (src/shared/store.ts) that React reads through useSyncExternalStore; each screen selects only what it needs.
 */
import { useMemo, useSyncExternalStore } from 'react';
import { allowedKinds, type MeetingSnapshot } from '../domain/engine';
import type { DomainEvent, DomainEventType, EventEnvelope } from '../domain/events';
import type { Rejection } from '../domain/rules';
import { createStore, type Store } from '../shared/store';
import type { KioskDb } from '../storage/db';
import type { MeetingStore } from '../storage/meetingStore';

export type SendResult =
  | { ok: true }
  | { ok: false; rejection: Rejection | { code: string; message: string } };

export class MeetingSession {
  private readonly state: Store<MeetingSnapshot>;

  constructor(
    private readonly store: MeetingStore,
    readonly meetingId: string,
    snapshot: MeetingSnapshot,
    /** The tablet's database, for what the screens remember between meetings (src/meeting/remembered.ts). */
    readonly db?: KioskDb,
  ) {
    this.state = createStore(snapshot);
  }

  get snapshot(): MeetingSnapshot {
    return this.state.get();
  }

  subscribe = (listener: () => void): (() => void) => this.state.subscribe(listener);

  getSnapshot = (): MeetingSnapshot => this.state.get();

  events(): Promise<EventEnvelope[]> {
    return this.store.events(this.meetingId);
  }

  async send(event: DomainEvent): Promise<SendResult> {
    const result = await this.store.append(this.meetingId, event);
    if (!result.ok) return { ok: false, rejection: result.rejection };
    this.state.set(result.snapshot);
    return { ok: true };
  }
}

/** The current snapshot; re-renders only when an event has been written. */
export function useMeetingSnapshot(session: MeetingSession): MeetingSnapshot {
  return useSyncExternalStore(session.subscribe, session.getSnapshot, session.getSnapshot);
}

/** The kinds of event the domain allows now: a screen offers a control exactly when its kind is here. */
export function useAllowedKinds(session: MeetingSession): ReadonlySet<DomainEventType> {
  const snapshot = useMeetingSnapshot(session);
  return useMemo(() => allowedKinds(snapshot), [snapshot]);
}
