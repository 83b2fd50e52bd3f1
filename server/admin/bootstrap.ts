/**
 * The first administrator, at boot. With ADMIN_PASSWORD (and ADMIN_USERNAME, "admin" by default) the
 * account is created if it does not exist. Otherwise, while no account exists, a one-time set-up code is
 * made at each start, printed on the service's own console (`print`, standard output: never the log, which
 * may be shipped elsewhere) and kept only as a hash; /admin/setup asks for it. Never by source address:
 * behind a reverse proxy every visitor would look local.
 */
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import { hashPassword, newEnrolmentCode, normaliseCode, sha256 } from '../auth';
import type { Database } from '../db/schema';
import { createAccount, findAccount, hasAnyAccount } from './repo/accounts';
import { audit } from './repo/audit';

export interface BootstrapConfig {
  ADMIN_PASSWORD?: string | undefined;
  ADMIN_USERNAME?: string | undefined;
}

export type BootstrapOutcome = 'created-from-config' | 'account-exists' | 'setup-code-printed';

export async function bootstrapAdmin(
  db: Kysely<Database>,
  config: BootstrapConfig,
  logger: Logger,
  print: (text: string) => void = (text) => process.stdout.write(text),
  now: () => Date = () => new Date(),
): Promise<BootstrapOutcome> {
  if (config.ADMIN_PASSWORD) {
    const username = (config.ADMIN_USERNAME ?? 'admin').trim().toLowerCase();
    if (await findAccount(db, username)) {
      // An existing account keeps the password its owner may have changed since.
      logger.info({ username }, 'admin account from configuration exists already');
      return 'account-exists';
    }
    const passwordHash = await hashPassword(config.ADMIN_PASSWORD);
    const account = await db.transaction().execute(async (trx) => {
      const created = await createAccount(
        trx,
        { username, displayName: username, role: 'administrator', passwordHash, mustChangePassword: false },
        now(),
      );
      if (created)
        await audit(
          trx,
          {
            accountId: created.id,
            username,
            action: 'account.created',
            detail: 'administrator from ADMIN_PASSWORD',
          },
          now(),
        );
      return created;
    });
    if (account) {
      await db.deleteFrom('admin_setup').execute();
      logger.info({ username }, 'administrator created from configuration');
    }
    return account ? 'created-from-config' : 'account-exists';
  }
  if (await hasAnyAccount(db)) return 'account-exists';
  const code = `${newEnrolmentCode()}-${newEnrolmentCode()}`;
  await db
    .insertInto('admin_setup')
    .values({ id: 1, code_hash: sha256(normaliseCode(code)), created_at: now() })
    .onConflict((oc) =>
      oc.column('id').doUpdateSet({ code_hash: sha256(normaliseCode(code)), created_at: now() }),
    )
    .execute();
  print(
    `\nNo admin account exists yet. To create the first administrator, open /admin and enter this one-time set-up code:\n\n    ${code}\n\n(It works once; a new one is made each time the service starts without an account. Or set ADMIN_PASSWORD.)\n\n`,
  );
  logger.info('no admin account: a one-time set-up code was printed on the console');
  return 'setup-code-printed';
}
