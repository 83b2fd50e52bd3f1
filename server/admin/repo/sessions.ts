/**
 * Admin sessions: a random id in a cookie, only its SHA-256 in the table, naming its account. A session ends
 * after IDLE_MS without a request or ABSOLUTE_MS after sign-in, whichever comes first; both are checked here,
 * on the server, against the clock the service is given (the cookie's own expiry is only a courtesy).
 */
import type { Kysely, Transaction } from 'kysely';
import { randomToken, sha256 } from '../../auth';
import type { Database } from '../../db/schema';
import type { SignedIn } from '../context';

export const IDLE_MS = 30 * 60_000;
export const ABSOLUTE_MS = 8 * 3_600_000;
type Db = Kysely<Database> | Transaction<Database>;

/** Starts a session; returns the id for the cookie (never stored). */
export async function startSession(db: Db, accountId: number, now: Date): Promise<string> {
  const id = randomToken(32);
  await db
    .insertInto('admin_sessions')
    .values({
      id_hash: sha256(id),
      account_id: accountId,
      created_at: now,
      last_seen_at: now,
      expires_at: new Date(now.getTime() + ABSOLUTE_MS),
    })
    .execute();
  return id;
}

/** The account of a live session (and the session's idle clock restarts), or null: ended, expired or disabled. */
export async function sessionAccount(db: Kysely<Database>, id: string, now: Date): Promise<SignedIn | null> {
  if (id.length > 128) return null;
  const idHash = sha256(id);
  const row = await db
    .selectFrom('admin_sessions as s')
    .innerJoin('admin_accounts as a', 'a.id', 's.account_id')
    .select([
      's.expires_at',
      's.last_seen_at',
      'a.id',
      'a.username',
      'a.display_name',
      'a.role',
      'a.must_change_password',
      'a.disabled_at',
    ])
    .where('s.id_hash', '=', idHash)
    .executeTakeFirst();
  if (!row) return null;
  const idleSince = new Date(row.last_seen_at).getTime();
  const live =
    new Date(row.expires_at).getTime() > now.getTime() &&
    now.getTime() - idleSince < IDLE_MS &&
    row.disabled_at === null;
  if (!live) {
    await endSession(db, idHash);
    return null;
  }
  await db.updateTable('admin_sessions').set({ last_seen_at: now }).where('id_hash', '=', idHash).execute();
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    mustChangePassword: row.must_change_password,
    sessionHash: idHash,
  };
}

export async function endSession(db: Db, idHash: string): Promise<void> {
  await db.deleteFrom('admin_sessions').where('id_hash', '=', idHash).execute();
}

/** Every session of the account ends: password changed, "sign out everywhere", account disabled. */
export async function endSessionsOf(db: Db, accountId: number): Promise<number> {
  const result = await db.deleteFrom('admin_sessions').where('account_id', '=', accountId).executeTakeFirst();
  return Number(result.numDeletedRows);
}
