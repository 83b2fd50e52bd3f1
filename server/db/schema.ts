/** The records service's tables, as Kysely sees them. The SQL that creates them is in migrations.ts. */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T = unknown> = ColumnType<T, T, T>;
/** A column with a default: optional on insert. */
type Defaulted<T> = ColumnType<T, T | undefined, T>;

export type AdminRole = 'administrator' | 'records-officer' | 'viewer';

export interface AdminAccountTable {
  id: Generated<number>;
  /** Lower case; what the person types to sign in and what the audit trail names. */
  username: string;
  display_name: string;
  role: AdminRole;
  password_hash: string;
  /** A temporary password set by an administrator: it must be changed at the first sign-in. */
  must_change_password: Defaulted<boolean>;
  disabled_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  created_at: Timestamp;
  updated_at: Timestamp;
}

export interface AdminSessionTable {
  /** SHA-256 of the session id held in the cookie, so a read of the table does not give a session. */
  id_hash: string;
  account_id: number;
  created_at: Timestamp;
  /** The absolute limit: created_at plus the longest a session lasts, however busy. */
  expires_at: Timestamp;
  /** The idle limit counts from here. */
  last_seen_at: Timestamp;
}

/** The hash of the one-time set-up code printed to the console of a server that has no account yet. */
export interface AdminSetupTable {
  id: number;
  code_hash: string;
  created_at: Timestamp;
}

/** Append-only (a trigger refuses UPDATE, DELETE and TRUNCATE): who saw or did what, and when. */
export interface AdminAuditTable {
  id: Generated<string>;
  at: Timestamp;
  account_id: number | null;
  username: string;
  action: string;
  meeting_id: string | null;
  device_id: string | null;
  detail: string | null;
}

export interface EnrolmentCodeTable {
  code_hash: string;
  /** The last characters, so the admin can tell codes apart without the table holding the code. */
  hint: string;
  created_at: Timestamp;
  expires_at: Timestamp;
  used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  device_id: string | null;
}

export interface DeviceTable {
  id: string;
  label: string;
  /** SHA-256 of the bearer token; the token itself is shown to the tablet once and never stored. */
  token_hash: string;
  created_at: Timestamp;
  last_seen_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  revoked_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** The PIN reset secret shared at enrolment (base64url), or null for a tablet enrolled before it existed. */
  pin_reset_secret: ColumnType<string | null, string | null | undefined, string | null>;
  /** How many PIN reset codes have been issued for the tablet: the next code is number this + 1. */
  pin_resets_issued: ColumnType<number, number | undefined, number>;
}

export interface EventTable {
  id: string;
  meeting_id: string;
  seq: number;
  device_id: string;
  type: string;
  at: string;
  prev_hash: string;
  hash: string;
  envelope: Json<Record<string, unknown>>;
  /** The service's clock when the event arrived. */
  received_at: Timestamp;
  /** The tablet's clock when it sent the batch with this event (null when it did not say). */
  sent_at: Defaulted<string | null>;
}

export interface MeetingTable {
  id: string;
  head_seq: number;
  head_hash: string;
  /** persistSnapshot() of the machine after head_seq, so a batch replays only its new events. */
  snapshot: Defaulted<unknown | null>;
  phase: Defaulted<string>;
  title: Defaulted<string>;
  kind: Defaulted<string>;
  scheduled_at: Defaulted<string>;
  profile_id: Defaulted<string>;
  is_closed: Defaulted<boolean>;
  first_at: Defaulted<string | null>;
  last_at: Defaulted<string | null>;
  updated_at: Timestamp;
  /** The only device that may append to the log: the one of its first event, or the one it was handed to. */
  writer_device_id: Defaulted<string | null>;
  /** '' (no request to record), 'pending', or the outcome's status (permitted, not-permitted, awaiting-authorisation). */
  outcome: Defaulted<string>;
  /** The chair's name as the attendee list gives it ('' before one is added). */
  chair: Defaulted<string>;
  /** scheduled_at as an instant, for the lists' order and date filters. */
  scheduled_for: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** When the request to record was received, as the chair recorded it. */
  requested_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** When the request was first decided (the last step of its first review). */
  decided_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** Issue 19: prepared on the records service (its first events are the service's own device's). */
  is_prepared: Defaulted<boolean>;
  /** The one tablet a prepared meeting is for; null: any tablet. */
  prepared_for_device_id: Defaulted<string | null>;
  /** The tablet that took a prepared meeting over (custody.claimed), and when the service accepted it. */
  claimed_by_device_id: Defaulted<string | null>;
  claimed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** Append-only: an admin handed a meeting's log to another device (a replacement tablet). */
export interface CustodyTransferTable {
  id: Generated<number>;
  meeting_id: string;
  from_device_id: string;
  to_device_id: string;
  /** The first event number the new writer may append. */
  from_seq: number;
  /** The username of the admin account that handed it over. */
  by_admin: string;
  reason: string;
  at: Timestamp;
}

/** Append-only: an admin replaced a tablet by another, which may then send what the replaced one wrote. */
export interface DeviceSuccessionTable {
  from_device_id: string;
  to_device_id: string;
  /** The username of the admin account that replaced it. */
  by_admin: string;
  at: Timestamp;
}

export interface UndertakingTable {
  event_id: string;
  meeting_id: string;
  signer_id: string;
  signer_name: string;
  signed_at: string;
  device_id: string;
  text_version: string;
  text_sha256: string;
  signature: Json<unknown>;
}

export interface MinuteEntryTable {
  meeting_id: string;
  entry: Json<unknown>;
  text: string;
  head_hash: string;
  event_count: number;
  is_complete: boolean;
  updated_at: Timestamp;
  /** Which code built it (server/minuteCode.ts); null: an earlier release, so it is built again. */
  builder: string | null;
}

export interface SyncGapTable {
  id: Generated<number>;
  meeting_id: string;
  device_id: string;
  expected_seq: number;
  received_seq: number;
  reported_at: Timestamp;
  times: Defaulted<number>;
}

/** A meeting whose record is kept past its retention period until the hold is lifted (the row deleted). */
export interface LegalHoldTable {
  meeting_id: string;
  placed_by: string;
  reason: string;
  placed_at: Timestamp;
}

export interface Database {
  admin_accounts: AdminAccountTable;
  admin_sessions: AdminSessionTable;
  admin_setup: AdminSetupTable;
  admin_audit: AdminAuditTable;
  enrolment_codes: EnrolmentCodeTable;
  devices: DeviceTable;
  events: EventTable;
  meetings: MeetingTable;
  undertakings: UndertakingTable;
  minute_entries: MinuteEntryTable;
  sync_gaps: SyncGapTable;
  custody_transfers: CustodyTransferTable;
  legal_holds: LegalHoldTable;
  device_successions: DeviceSuccessionTable;
}
