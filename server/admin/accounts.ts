/**
 * Admin accounts (administrators only): create one with a temporary password, change a role, disable or
 * enable one. Disabling ends the account's sessions; the last active administrator cannot be disabled or
 * demoted (checked in the transaction that changes it).
 */
import { type Context, Hono } from 'hono';
import { validator } from 'hono/validator';
import { hashPassword, PasswordHashingBusy } from '../auth';
import type { AdminRole } from '../db/schema';
import { type AdminDeps, type AdminEnv, form, requires } from './context';
import { type AccountChangeRefusal, changeAccount, createAccount, listAccounts } from './repo/accounts';
import { audit } from './repo/audit';
import { endSessionsOf } from './repo/sessions';
import { ROLE_LABEL } from './roles';
import { newAccountSchema, roleChangeSchema } from './schemas';
import { accountsView } from './views/accounts';
import { page } from './views/layout';

const TITLE = 'Accounts';
const USERNAME = /^[a-z0-9][a-z0-9._-]{1,63}$/;

const REFUSAL: Record<AccountChangeRefusal, string> = {
  'no-such-account': 'There is no such account.',
  'last-administrator':
    'This is the last active administrator: make another account an administrator first, so that someone can still manage the service.',
};

const usernameParam = validator('param', (value: Record<string, string>, c: Context) => {
  const username = value.username ?? '';
  if (!USERNAME.test(username)) return c.notFound();
  return { username };
});

export function accountRoutes(deps: AdminDeps): Hono<AdminEnv> {
  const { db, now } = deps;
  const r = new Hono<AdminEnv>();
  r.use('/accounts', requires('manage-accounts'));
  r.use('/accounts/*', requires('manage-accounts'));

  const show = async (
    c: Context<AdminEnv>,
    status: 200 | 201 | 400 | 404 | 409 | 429,
    error: string | null = null,
    notice: string | null = null,
  ) => {
    const who = c.get('account');
    return c.html(
      page(TITLE, accountsView(await listAccounts(db), who.username, error, notice), who),
      status,
    );
  };

  r.get('/accounts', (c) => show(c, 200));

  r.post(
    '/accounts',
    form(newAccountSchema, (c, message) => show(c, 400, message)),
    async (c) => {
      const input = c.req.valid('form');
      const who = c.get('account');
      let passwordHash: string;
      try {
        passwordHash = await hashPassword(input.password);
      } catch (error) {
        if (!(error instanceof PasswordHashingBusy)) throw error;
        c.header('Retry-After', '1');
        return show(c, 429, 'The service is busy. Try again in a moment.');
      }
      const created = await db.transaction().execute(async (trx) => {
        const account = await createAccount(
          trx,
          {
            username: input.username,
            displayName: input.displayName,
            role: input.role,
            passwordHash,
            mustChangePassword: true,
          },
          now(),
        );
        if (account)
          await audit(
            trx,
            {
              accountId: who.id,
              username: who.username,
              action: 'account.created',
              detail: `${account.username} as ${account.role}`,
            },
            now(),
          );
        return account;
      });
      if (!created) return show(c, 409, `The username ${input.username} is taken: choose another.`);
      return show(
        c,
        201,
        null,
        `Account ${created.username} created as ${ROLE_LABEL[created.role]}. Give them the temporary password; they choose their own at first sign-in.`,
      );
    },
  );

  const change = async (
    c: Context<AdminEnv>,
    username: string,
    what: { role?: AdminRole; disabled?: boolean },
  ) => {
    const who = c.get('account');
    const outcome = await db.transaction().execute(async (trx) => {
      const result = await changeAccount(trx, username, what, now());
      if (!result.ok) return result;
      const ended = what.disabled ? await endSessionsOf(trx, result.account.id) : 0;
      await audit(
        trx,
        {
          accountId: who.id,
          username: who.username,
          action:
            what.role !== undefined
              ? 'account.role-changed'
              : what.disabled
                ? 'account.disabled'
                : 'account.enabled',
          detail:
            what.role !== undefined
              ? `${username} is now ${what.role}`
              : what.disabled
                ? `${username}; ${ended} session(s) ended`
                : username,
        },
        now(),
      );
      return result;
    });
    if (!outcome.ok)
      return show(c, outcome.refusal === 'no-such-account' ? 404 : 409, REFUSAL[outcome.refusal]);
    return c.redirect('/admin/accounts', 303);
  };

  r.post(
    '/accounts/:username/role',
    usernameParam,
    form(roleChangeSchema, (c, message) => show(c, 400, message)),
    (c) => change(c, c.req.valid('param').username, { role: c.req.valid('form').role }),
  );
  r.post('/accounts/:username/disable', usernameParam, (c) =>
    change(c, c.req.valid('param').username, { disabled: true }),
  );
  r.post('/accounts/:username/enable', usernameParam, (c) =>
    change(c, c.req.valid('param').username, { disabled: false }),
  );

  return r;
}
