/**
 * The app's one SyncEngine, made by startSync (start.ts) and read by the Settings section and the meeting
 * badge through hooks, so that the screens need no new props. Nothing here imports the engine itself (only
 * its types): the app shell and session.ts import this module (notifyNewEvent, the hooks, isEnrolled)
 * without loading the engine, the sync protocol's schemas or the meeting store.
 */
import { useCallback, useEffect, useState, useSyncExternalStore } from 'react';
import type { KioskDb } from '../storage/db';
import type { MeetingSyncStatus, SyncEngine, SyncStatus } from './syncClient';

let engine: SyncEngine | null = null;
const registryListeners = new Set<() => void>();

/** The engine made at boot or by a later startSync, if any. */
export function currentSyncEngine(): SyncEngine | null {
  return engine;
}

/** The settings key the enrolment (enrolment.ts) is kept under; here so that the app shell can read it alone. */
export const ENROLMENT_KEY = 'sync.enrolment';

/**
 * Whether this tablet has been enrolled with a records service (even if the service has since refused it),
 * so the shell starts the engine at boot; a tablet never enrolled starts it only when it is needed.
 */
export async function isEnrolled(db: KioskDb): Promise<boolean> {
  return (await db.settings.get(ENROLMENT_KEY)) !== undefined;
}

/** Replaces the app's engine (startSync, tests); stops the previous one. */
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
