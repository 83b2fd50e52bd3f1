/**
 * The records service sync: the engine, enrolment, and the chair's Settings section and meeting badge.
 * The app shell imports registry.ts alone (no engine, no schemas); everything else here is loaded lazily.
 */
export type { Enrolment, EnrolResult } from './enrolment';
export {
  currentSyncEngine,
  isEnrolled,
  notifyNewEvent,
  setSyncEngine,
  useMeetingSyncStatus,
  useSyncEngine,
  useSyncStatus,
} from './registry';
export { SyncBadge } from './SyncBadge';
export { SyncSettings } from './SyncSettings';
export { startSync } from './start';
export type { MeetingSyncStatus, SyncOutcome, SyncPhase, SyncProblem, SyncStatus } from './syncClient';
export { SyncEngine } from './syncClient';
