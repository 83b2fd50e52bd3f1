/**
 * The access audit: one row per view or export of a meeting's personal data and per admin action, written by
 * the routes through `audit`. The table refuses UPDATE and DELETE itself (a trigger), so this module only
 * appends and reads. It holds usernames, ids and short facts, never a family's names or signatures.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { AdminAuditTable, Database } from '../../db/schema';

export type AuditAction =
  | 'meeting.viewed'
  | 'minute.txt.exported'
  | 'minute.json.exported'
  | 'minute.pdf.exported'
  | 'undertaking.pdf.exported'
  | 'events.json.exported'
  | 'record.verified'
  | 'code.created'
  | 'device.revoked'
  | 'device.replaced'
  | 'meeting.handed-over'
  | 'account.created'
  | 'account.role-changed'
  | 'account.disabled'
  | 'account.enabled'
  | 'setup.completed'
  | 'sign-in.succeeded'
  | 'sign-in.failed'
  | 'sign-out'
  | 'sign-out.everywhere'
  | 'password.changed'
  | 'records.purged'
  | 'hold.placed'
  | 'hold.lifted'
  | 'subject-access.searched'
  | 'subject-access.exported'
  | 'key.rotated'
  | 'pin-reset.issued'
  | 'meeting.prepared'
  | 'prepared.changed';

export interface AuditEntry {
  /** The acting account (null for a failed sign-in, or the service's own daily purge). */
  accountId: number | null;
  /** Its username, or the name typed in a failed sign-in. */
  username: string;
  action: AuditAction;
  meetingId?: string | null;
  deviceId?: string | null;
  detail?: string | null;
}

export type AuditRow = Selectable<AdminAuditTable>;

export async function audit(
  db: Kysely<Database> | Transaction<Database>,
  entry: AuditEntry,
  now: Date,
): Promise<void> {
  await db
    .insertInto('admin_audit')
    .values({
      at: now,
      account_id: entry.accountId,
      username: entry.username.slice(0, 200),
      action: entry.action,
      meeting_id: entry.meetingId ?? null,
      device_id: entry.deviceId ?? null,
      detail: entry.detail ?? null,
    })
    .execute();
}

/** A page of the trail, newest first; `meetingId` narrows it to one meeting. */
export async function auditPage(
  db: Kysely<Database>,
  options: { meetingId: string | null; page: number; pageSize: number },
): Promise<{ rows: AuditRow[]; hasMore: boolean }> {
  let query = db.selectFrom('admin_audit').selectAll();
  if (options.meetingId) query = query.where('meeting_id', '=', options.meetingId);
  const rows = await query
    .orderBy('id', 'desc')
    .limit(options.pageSize + 1)
    .offset((options.page - 1) * options.pageSize)
    .execute();
  return { rows: rows.slice(0, options.pageSize), hasMore: rows.length > options.pageSize };
}
