/** The records service sync: the engine, enrolment, and the chair's Settings section and meeting badge. */
export type { Enrolment, EnrolResult } from './enrolment';
export {
  notifyNewEvent,
  setSyncEngine,
  startSync,
  useMeetingSyncStatus,
  useSyncEngine,
  useSyncStatus,
} from './registry';
export { SyncBadge } from './SyncBadge';
export { SyncSettings } from './SyncSettings';
export type { MeetingSyncStatus, SyncOutcome, SyncPhase, SyncProblem, SyncStatus } from './syncClient';
export { SyncEngine } from './syncClient';
