/**
 * Schema migrations, run by Kysely's Migrator from an in-code provider (no files read at run time, so the
 * same list runs under tsx, in tests and against PGlite or PostgreSQL). Append new migrations; never edit
 * one that has shipped.
 */
import { type Kysely, type Migration, type MigrationResultSet, Migrator, sql } from 'kysely';

const migrations: Record<string, Migration> = {
  '0001_initial': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('admin')
        .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createTable('admin_sessions')
        .addColumn('id_hash', 'text', (c) => c.primaryKey())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('devices')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('last_seen_at', 'timestamptz')
        .addColumn('revoked_at', 'timestamptz')
        .execute();
      await db.schema
        .createTable('enrolment_codes')
        .addColumn('code_hash', 'text', (c) => c.primaryKey())
        .addColumn('hint', 'text', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
        .addColumn('used_at', 'timestamptz')
        .addColumn('device_id', 'text', (c) => c.references('devices.id'))
        .execute();
      // The synced logs: append-only. Nothing in the service updates or deletes a row of this table.
      await db.schema
        .createTable('events')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('meeting_id', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('device_id', 'text', (c) => c.notNull().references('devices.id'))
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .addColumn('envelope', 'jsonb', (c) => c.notNull())
        .addColumn('received_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addUniqueConstraint('events_meeting_seq_unique', ['meeting_id', 'seq'])
        .execute();
      await db.schema
        .createTable('meetings')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('head_seq', 'integer', (c) => c.notNull().defaultTo(0))
        .addColumn('head_hash', 'text', (c) => c.notNull())
        .addColumn('snapshot', 'jsonb')
        .addColumn('phase', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('title', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('kind', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('scheduled_at', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('profile_id', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('is_closed', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('first_at', 'text')
        .addColumn('last_at', 'text')
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createTable('undertakings')
        .addColumn('event_id', 'text', (c) => c.primaryKey().references('events.id'))
        .addColumn('meeting_id', 'text', (c) => c.notNull())
        .addColumn('signer_id', 'text', (c) => c.notNull())
        .addColumn('signer_name', 'text', (c) => c.notNull())
        .addColumn('signed_at', 'text', (c) => c.notNull())
        .addColumn('device_id', 'text', (c) => c.notNull())
        .addColumn('text_version', 'text', (c) => c.notNull())
        .addColumn('text_sha256', 'text', (c) => c.notNull())
        .addColumn('signature', 'jsonb', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('minute_entries')
        .addColumn('meeting_id', 'text', (c) => c.primaryKey())
        .addColumn('entry', 'jsonb', (c) => c.notNull())
        .addColumn('text', 'text', (c) => c.notNull())
        .addColumn('head_hash', 'text', (c) => c.notNull())
        .addColumn('event_count', 'integer', (c) => c.notNull())
        .addColumn('is_complete', 'boolean', (c) => c.notNull())
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createTable('sync_gaps')
        .addColumn('id', 'serial', (c) => c.primaryKey())
        .addColumn('meeting_id', 'text', (c) => c.notNull())
        .addColumn('device_id', 'text', (c) => c.notNull())
        .addColumn('expected_seq', 'integer', (c) => c.notNull())
        .addColumn('received_seq', 'integer', (c) => c.notNull())
        .addColumn('reported_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('times', 'integer', (c) => c.notNull().defaultTo(1))
        .addUniqueConstraint('sync_gaps_unique', ['meeting_id', 'device_id', 'expected_seq', 'received_seq'])
        .execute();
      await db.schema
        .createIndex('events_device_idx')
        .on('events')
        .columns(['device_id', 'meeting_id'])
        .execute();
      await db.schema
        .createIndex('undertakings_meeting_idx')
        .on('undertakings')
        .column('meeting_id')
        .execute();
    },
  },
  /**
   * One writer per meeting: the device that wrote its first event, until an admin hands the meeting over
   * (an append-only record of who handed which meeting to which device, from which event on); and the
   * tablet's clock as it sent each event.
   */
  '0002_custody': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('meetings').addColumn('writer_device_id', 'text').execute();
      // The meetings held so far: their writer is the device of their first event.
      await sql`
        update meetings as m set writer_device_id = e.device_id
        from events as e where e.meeting_id = m.id and e.seq = 1`.execute(db);
      await db.schema
        .createTable('custody_transfers')
        .addColumn('id', 'serial', (c) => c.primaryKey())
        .addColumn('meeting_id', 'text', (c) => c.notNull().references('meetings.id'))
        .addColumn('from_device_id', 'text', (c) => c.notNull().references('devices.id'))
        .addColumn('to_device_id', 'text', (c) => c.notNull().references('devices.id'))
        // The first event number the new writer may append (the head when handed over, plus one).
        .addColumn('from_seq', 'integer', (c) => c.notNull())
        .addColumn('by_admin', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      // The tablet's clock when it sent the batch that carried each event (as it said it, when it did), kept
      // beside received_at, the service's: their difference is the tablet's clock error.
      await db.schema.alterTable('events').addColumn('sent_at', 'text').execute();
      await db.schema
        .createIndex('custody_transfers_meeting_idx')
        .on('custody_transfers')
        .columns(['meeting_id', 'id'])
        .execute();
    },
  },
  /**
   * Named admin accounts with roles, sessions that name their account (idle and absolute limits), the
   * one-time set-up code of a server without accounts (its hash), and an append-only trail of who viewed or
   * exported what and of every admin action. The single password of 0001 becomes the administrator "admin".
   */
  '0003_admin_accounts': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('admin_accounts')
        .addColumn('id', 'serial', (c) => c.primaryKey())
        .addColumn('username', 'text', (c) => c.notNull().unique())
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) =>
          c.notNull().check(sql`role in ('administrator', 'records-officer', 'viewer')`),
        )
        .addColumn('password_hash', 'text', (c) => c.notNull())
        // A temporary password given by an administrator: changed at first sign-in before anything else.
        .addColumn('must_change_password', 'boolean', (c) => c.notNull().defaultTo(false))
        .addColumn('disabled_at', 'timestamptz')
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await sql`
        insert into admin_accounts (username, display_name, role, password_hash, updated_at)
        select 'admin', 'Administrator', 'administrator', password_hash, updated_at from admin`.execute(db);
      await db.schema.dropTable('admin').execute();
      // Sessions of the single password named no account: they end (the admin signs in again).
      await sql`delete from admin_sessions`.execute(db);
      await db.schema
        .alterTable('admin_sessions')
        .addColumn('account_id', 'integer', (c) => c.notNull().references('admin_accounts.id'))
        .execute();
      await db.schema
        .alterTable('admin_sessions')
        .addColumn('last_seen_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createIndex('admin_sessions_account_idx')
        .on('admin_sessions')
        .column('account_id')
        .execute();
      await db.schema
        .createTable('admin_setup')
        .addColumn('id', 'integer', (c) => c.primaryKey().check(sql`id = 1`))
        .addColumn('code_hash', 'text', (c) => c.notNull())
        .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
      await db.schema
        .createTable('admin_audit')
        .addColumn('id', 'bigserial', (c) => c.primaryKey())
        .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addColumn('account_id', 'integer', (c) => c.references('admin_accounts.id'))
        // Who: the account's username, or the name typed in a failed sign-in.
        .addColumn('username', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('meeting_id', 'text')
        .addColumn('device_id', 'text')
        .addColumn('detail', 'text')
        .execute();
      await db.schema
        .createIndex('admin_audit_meeting_idx')
        .on('admin_audit')
        .columns(['meeting_id', 'id'])
        .execute();
      // Append-only, whoever connects: the database itself refuses to change or remove a row.
      await sql`
        create function admin_audit_append_only() returns trigger language plpgsql as $$
        begin
          raise exception 'admin_audit is append-only: % refused', tg_op;
        end $$`.execute(db);
      await sql`
        create trigger admin_audit_no_change before update or delete on admin_audit
        for each row execute function admin_audit_append_only()`.execute(db);
      await sql`
        create trigger admin_audit_no_truncate before truncate on admin_audit
        for each statement execute function admin_audit_append_only()`.execute(db);
    },
  },
  /**
   * Retention (issue 16): a legal hold keeps a meeting's record past its retention period, until an
   * administrator lifts it.
   */
  '0005_retention': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('legal_holds')
        .addColumn('meeting_id', 'text', (c) => c.primaryKey())
        .addColumn('placed_by', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('placed_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .execute();
    },
  },
  /**
   * PIN reset (issue 16): the secret shared with a tablet at enrolment (base64url, 32 bytes; null for a
   * tablet enrolled before this), and how many reset codes have been issued from it.
   */
  '0006_pin_reset': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('devices').addColumn('pin_reset_secret', 'text').execute();
      await db.schema
        .alterTable('devices')
        .addColumn('pin_resets_issued', 'integer', (c) => c.notNull().defaultTo(0))
        .execute();
    },
  },
  /**
   * Device succession (issue 16): an administrator replaced one tablet by another (the same tablet enrolled
   * again after a revocation, or a new one). The successor may then send the records the replaced tablet
   * wrote and had not sent (its sealed batches). Only ever appended to.
   */
  '0007_device_successions': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('device_successions')
        .addColumn('from_device_id', 'text', (c) => c.notNull().references('devices.id'))
        .addColumn('to_device_id', 'text', (c) => c.notNull().references('devices.id'))
        .addColumn('by_admin', 'text', (c) => c.notNull())
        .addColumn('at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
        .addPrimaryKeyConstraint('device_successions_pk', ['from_device_id', 'to_device_id'])
        .execute();
      await db.schema
        .createIndex('device_successions_to_idx')
        .on('device_successions')
        .columns(['to_device_id'])
        .execute();
    },
  },
  /**
   * A kept minute entry names the code that built it (server/minuteCode.ts): one built by an earlier
   * release is built again, in this release's shape and words, when it is next read. The entries kept so
   * far are a cache of the log and are dropped (the log is the record).
   */
  '0008_minute_builder': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('minute_entries').addColumn('builder', 'text').execute();
      await sql`delete from minute_entries`.execute(db);
    },
  },
  /**
   * The admin lists (issue 17): what the meetings list shows and filters on, as columns of the projection
   * (the outcome, the chair, the date as an instant, and when the request was made and first decided), with
   * indexes for its order and filters, and one for a device's latest sync (its clock skew). Meetings held
   * already are filled from their stored snapshots; when their request was decided is not known for them.
   */
  '0009_admin_lists': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('meetings')
        // '' (no request), 'pending', or the outcome's status: 'permitted', 'not-permitted', 'awaiting-authorisation'.
        .addColumn('outcome', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('chair', 'text', (c) => c.notNull().defaultTo(''))
        .addColumn('scheduled_for', 'timestamptz')
        .addColumn('requested_at', 'timestamptz')
        .addColumn('decided_at', 'timestamptz')
        .execute();
      await sql`
        update meetings set
          outcome = coalesce(snapshot->'context'->'outcome'->>'status',
            case when jsonb_typeof(snapshot->'context'->'request') = 'object' then 'pending' else '' end),
          chair = coalesce((select a->>'name' from jsonb_array_elements(
              case when jsonb_typeof(snapshot->'context'->'attendees') = 'array'
                then snapshot->'context'->'attendees' else '[]'::jsonb end) as a
            where a->>'role' = 'chair' limit 1), ''),
          scheduled_for = case when scheduled_at <> '' then scheduled_at::timestamptz
            else coalesce(first_at::timestamptz, updated_at) end,
          requested_at = (snapshot->'context'->'request'->>'receivedAt')::timestamptz
        where head_seq > 0`.execute(db);
      for (const [name, lead] of [
        ['meetings_list_idx', []],
        ['meetings_kind_list_idx', ['kind']],
        ['meetings_outcome_list_idx', ['outcome']],
        ['meetings_writer_list_idx', ['writer_device_id']],
      ] as const) {
        await sql`create index ${sql.id(name)} on meetings (${sql.join([
          ...lead.map((c) => sql.id(c)),
          sql`scheduled_for desc`,
          sql`id desc`,
        ])})`.execute(db);
      }
      await db.schema
        .createIndex('events_device_received_idx')
        .on('events')
        .columns(['device_id', 'received_at'])
        .execute();
    },
  },
  /**
   * The meetings list's search (issue 17) at 100,000 meetings: a search for part of a title or a chair's
   * name (ILIKE '%term%') reads a trigram index instead of every row. pg_trgm is a trusted extension in
   * PostgreSQL 13 and later (the service's role needs CREATE on its database); PGlite loads it in connect.ts.
   */
  '0010_title_search': {
    async up(db: Kysely<unknown>) {
      await sql`create extension if not exists pg_trgm`.execute(db);
      await sql`create index meetings_title_trgm_idx on meetings using gin (title gin_trgm_ops)`.execute(db);
      await sql`create index meetings_chair_trgm_idx on meetings using gin (chair gin_trgm_ops)`.execute(db);
    },
  },
  /**
   * Issue 19: meetings prepared on the records service. The service writes their first events under its own
   * device (a row no token can match, refused by revoke, replace, hand-over and enrolment) until a tablet
   * claims one; the claim makes that tablet the writer. A meeting may be prepared for one named tablet.
   */
  '0011_prepared_meetings': {
    async up(db: Kysely<unknown>) {
      await sql`alter table meetings
        add column is_prepared boolean not null default false,
        add column prepared_for_device_id text references devices(id),
        add column claimed_by_device_id text references devices(id),
        add column claimed_at timestamptz`.execute(db);
      // token_hash is a SHA-256 in hex for every tablet: this value is none, so no bearer token finds it.
      await sql`insert into devices (id, label, token_hash)
        values ('records-service', 'Records service', 'none: the records service signs in with no token')
        on conflict (id) do nothing`.execute(db);
      await sql`create index meetings_prepared_idx on meetings (scheduled_for)
        where is_prepared and not is_closed`.execute(db);
    },
  },
};

/** Runs the migrations up to and including `name`: a migration's test starts from the one before it. */
export async function migrateTo<DB>(db: Kysely<DB>, name: keyof typeof migrations): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const result = await migrator.migrateTo(name);
  if (result.error) throw new MigrationError(name, result.error);
}

/** Runs every pending migration; throws (naming the migration) on the first failure. */
export async function migrateToLatest<DB>(
  db: Kysely<DB>,
  extra: Record<string, Migration> = {},
): Promise<MigrationResultSet> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => ({ ...migrations, ...extra }) },
  });
  const result = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new MigrationError(failed, result.error);
  }
  return result;
}

export class MigrationError extends Error {
  constructor(
    readonly migrationName: string,
    override readonly cause: unknown,
  ) {
    super(`migration ${migrationName} failed: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = 'MigrationError';
  }
}

/** The migrations this release has that the database has not applied (empty: the schema is current). */
export async function pendingMigrations<DB>(db: Kysely<DB>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const known = await migrator.getMigrations();
  return known.filter((m) => m.executedAt === undefined).map((m) => m.name);
}

/** The migrations of this release, in the order they run. */
export const MIGRATION_NAMES: readonly string[] = Object.keys(migrations).sort();
