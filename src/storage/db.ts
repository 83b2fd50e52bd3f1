/**
 * The tablet's IndexedDB database (Dexie 4). The event log is the source of truth; the meeting rows and
 * snapshots are derived from it and written in the same transaction as each event (see meetingStore.ts).
 *
 * Schema changes: add `this.version(n + 1).stores(...)` (plus `.upgrade()` only when data must move) and
 * a test that opens a database written at version n. Never edit the stores of a version already shipped.
 */
import { Dexie, type EntityTable, type Table } from 'dexie';
import type { PersistedMeetingSnapshot } from '../domain/engine';
import type { EventEnvelope } from '../domain/events';
import type { MeetingPhase } from '../domain/meetingMachine';
import type { MeetingKind } from '../domain/model';
import type { ProfileId } from '../domain/profiles';
import type { SealedBatch } from '../sealing/seal';

export const DEFAULT_DB_NAME = 'consent-kiosk';

/** A meeting opened in error is discarded, never listed as closed (DOMAIN.md: corrections, never deletions). */
export type MeetingStatus = 'open' | 'closed' | 'discarded';

/** One row per meeting, for lists and for finding the open meeting; derived from the meeting's log. */
export interface MeetingRow {
  /** The meeting id (UUIDv7), also `meetingId` on each of its events. */
  id: string;
  status: MeetingStatus;
  title: string;
  kind: MeetingKind;
  profileId: ProfileId;
  /** ISO-8601 with offset: the `at` of the meeting.opened event. */
  createdAt: string;
  closedAt: string | null;
  headSeq: number;
  headHash: string;
  phase: MeetingPhase;
  updatedAt: string;
}

/** An event as stored: the envelope exactly as sealed, plus when the records service acknowledged it. */
export type StoredEvent = EventEnvelope & { syncedAt: string | null };

/** The envelope exactly as sealed (the storage-only `syncedAt` would fail the strict envelope schema). */
export function envelopeOf(stored: StoredEvent): EventEnvelope {
  const { syncedAt: _syncedAt, ...envelope } = stored;
  return envelope as EventEnvelope;
}

/** One row per event the records service has not yet acknowledged. */
export interface OutboxRow {
  id: number;
  eventId: string;
  meetingId: string;
  seq: number;
}

/** The machine's persisted snapshot after event `headSeq` (a cache: the log wins when they disagree). */
export interface SnapshotRow extends PersistedMeetingSnapshot {
  meetingId: string;
  headSeq: number;
}

/**
 * A closed meeting's events sealed to the records service (src/sealing): what the outbox sends for it, and
 * all that is left of it on the tablet once its reading window has passed. Primary key [meetingId+firstSeq].
 */
export interface SealedRow extends SealedBatch {
  sealedAt: string;
  /** When the service acknowledged every event of the batch; null while it has not. */
  ackedAt: string | null;
}

/**
 * A meeting prepared on the records service for this tablet (or any tablet of the council), pulled by
 * src/sync/prepared.ts with its whole log, whose chain was verified before it was kept. Kept for offline
 * use; opening it copies `events` into the meeting's own log (MeetingStore.adopt).
 */
export interface PreparedRow {
  meetingId: string;
  title: string;
  kind: MeetingKind;
  /** ISO-8601 with offset. */
  startsAt: string;
  place: string | null;
  /** The tablet it was prepared for (the service's device id), or null for any tablet of the council. */
  forDeviceId: string | null;
  claimedByDeviceId: string | null;
  claimedByLabel: string | null;
  /** The log from seq 1, exactly as the service sent it (verified). */
  events: EventEnvelope[];
  pulledAt: string;
}

export interface SettingRow {
  key: string;
  value: unknown;
}

export class KioskDb extends Dexie {
  meetings!: EntityTable<MeetingRow, 'id'>;
  /** Primary key [meetingId+seq], so a meeting's events come back in order and a seq cannot repeat. */
  events!: Table<StoredEvent, [string, number]>;
  outbox!: EntityTable<OutboxRow, 'id'>;
  snapshots!: EntityTable<SnapshotRow, 'meetingId'>;
  settings!: EntityTable<SettingRow, 'key'>;
  sealed!: Table<SealedRow, [string, number]>;
  prepared!: EntityTable<PreparedRow, 'meetingId'>;

  constructor(name: string = DEFAULT_DB_NAME) {
    super(name);
    this.version(1).stores({
      meetings: 'id, status, createdAt',
      events: '[meetingId+seq], &id, meetingId',
      outbox: '++id, &eventId, meetingId',
      snapshots: 'meetingId',
      settings: 'key',
    });
    // Issue 16: sealed batches of closed meetings. Nothing moves: a meeting closed before this version is
    // sealed when the tablet has a service key (sealWaiting).
    this.version(2).stores({ sealed: '[meetingId+firstSeq], meetingId' });
    // Issue 19: meetings prepared on the records service, kept for offline use. Nothing moves.
    this.version(3).stores({ prepared: 'meetingId, startsAt' });
  }
}

export function createDb(name: string = DEFAULT_DB_NAME): KioskDb {
  return new KioskDb(name);
}
