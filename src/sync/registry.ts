/**
 * The app's one SyncEngine, made at boot (startSync) and read by the Settings section and the meeting
 * badge through hooks, so that the screens need no new props. No components here, so that session.ts can
 * import notifyNewEvent without them.
 */
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { KioskDb } from '../storage/db';
import type { MeetingStore } from '../storage/meetingStore';
import { type MeetingSyncStatus, SyncEngine, type SyncStatus } from './syncClient';

let engine: SyncEngine | null = null;
const registryListeners = new Set<() => void>();

/** Creates and starts the app's engine (once); the records service defaults to the app's own origin. */
export function startSync({ store, db, deviceId }: { store: MeetingStore; db: KioskDb; deviceId: string }) {
  if (engine) return engine;
  engine = new SyncEngine({
    store,
    db,
    deviceId,
    fetch: (input, init) => globalThis.fetch(input, init),
    now: () => new Date(),
    random: Math.random,
    serverUrl: globalThis.location?.origin ?? 'http://localhost',
  });
  engine.start();
  for (const listener of registryListeners) listener();
  return engine;
}

/** Replaces the app's engine (tests); stops the previous one. */
export function setSyncEngine(next: SyncEngine | null): void {
  engine?.stop();
  engine = next;
  for (const listener of registryListeners) listener();
}

/** Call after an event has been written: the outbox has something new. */
export function notifyNewEvent(): void {
  engine?.notifyNewEvent();
}

function subscribeRegistry(listener: () => void) {
  registryListeners.add(listener);
  return () => {
    registryListeners.delete(listener);
  };
}

export function useSyncEngine(): SyncEngine | null {
  return useSyncExternalStore(
    subscribeRegistry,
    () => engine,
    () => null,
  );
}

const noSubscribe = () => () => undefined;

export function useSyncStatus(): SyncStatus | null {
  const current = useSyncEngine();
  const subscribe = useCallback(
    (listener: () => void) => (current ? current.subscribe(listener) : noSubscribe()),
    [current],
  );
  return useSyncExternalStore(
    subscribe,
    () => current?.status() ?? null,
    () => null,
  );
}

/** One meeting's status; re-read whenever the engine reports a change. */
export function useMeetingSyncStatus(meetingId: string): MeetingSyncStatus | null {
  const current = useSyncEngine();
  const status = useSyncStatus();
  const [meeting, setMeeting] = useState<MeetingSyncStatus | null>(null);
  useEffect(() => {
    if (!current || !status) return;
    let isCurrent = true;
    current.meetingStatus(meetingId).then(
      (next) => isCurrent && setMeeting(next),
      () => undefined,
    );
    return () => {
      isCurrent = false;
    };
  }, [current, status, meetingId]);
  return meeting;
}
