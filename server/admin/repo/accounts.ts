/** Admin accounts: queries only (no HTML, no HTTP). Each takes the database or a transaction. */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { AdminAccountTable, AdminRole, Database } from '../../db/schema';

export type Account = Selectable<AdminAccountTable>;
type Db = Kysely<Database> | Transaction<Database>;

export const findAccount = (db: Db, username: string): Promise<Account | undefined> =>
  db.selectFrom('admin_accounts').selectAll().where('username', '=', username).executeTakeFirst();

export const listAccounts = (db: Db): Promise<Account[]> =>
  db.selectFrom('admin_accounts').selectAll().orderBy('username').execute();

export const hasAnyAccount = async (db: Db): Promise<boolean> =>
  (await db.selectFrom('admin_accounts').select('id').limit(1).executeTakeFirst()) !== undefined;

export interface NewAccount {
  username: string;
  displayName: string;
  role: AdminRole;
  passwordHash: string;
  mustChangePassword: boolean;
}

/** Null when the username is taken. */
export async function createAccount(db: Db, a: NewAccount, now: Date): Promise<Account | null> {
  const row = await db
    .insertInto('admin_accounts')
    .values({
      username: a.username,
      display_name: a.displayName,
      role: a.role,
      password_hash: a.passwordHash,
      must_change_password: a.mustChangePassword,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.column('username').doNothing())
    .returningAll()
    .executeTakeFirst();
  return row ?? null;
}

export async function setPassword(
  db: Db,
  accountId: number,
  passwordHash: string,
  mustChange: boolean,
  now: Date,
): Promise<void> {
  await db
    .updateTable('admin_accounts')
    .set({ password_hash: passwordHash, must_change_password: mustChange, updated_at: now })
    .where('id', '=', accountId)
    .execute();
}

export type AccountChangeRefusal = 'no-such-account' | 'last-administrator';

/**
 * Changes an account's role or disables / enables it, refusing to leave no active administrator. The
 * active administrators' rows are locked first, so two administrators demoting each other at once cannot
 * both succeed.
 */
export async function changeAccount(
  trx: Transaction<Database>,
  username: string,
  change: { role?: AdminRole; disabled?: boolean },
  now: Date,
): Promise<{ ok: true; account: Account } | { ok: false; refusal: AccountChangeRefusal }> {
  const admins = await trx
    .selectFrom('admin_accounts')
    .select(['id', 'username'])
    .where('role', '=', 'administrator')
    .where('disabled_at', 'is', null)
    .forUpdate()
    .execute();
  const account = await findAccount(trx, username);
  if (!account) return { ok: false, refusal: 'no-such-account' };
  const isActiveAdmin = admins.some((a) => a.id === account.id);
  const stopsBeingAdmin =
    (change.role !== undefined && change.role !== 'administrator') || change.disabled === true;
  if (isActiveAdmin && stopsBeingAdmin && admins.length <= 1)
    return { ok: false, refusal: 'last-administrator' };
  const updated = await trx
    .updateTable('admin_accounts')
    .set({
      ...(change.role ? { role: change.role } : {}),
      ...(change.disabled === undefined
        ? {}
        : { disabled_at: change.disabled ? (account.disabled_at ?? now) : null }),
      updated_at: now,
    })
    .where('id', '=', account.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  return { ok: true, account: updated };
}
