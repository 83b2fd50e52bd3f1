/**
 * Signing in and out, first set-up, and changing one's password. Sessions are checked here for every other
 * admin route (sessionGate), which puts the signed-in account on the context.
 */
import { type Context, Hono, type MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { hasForbiddenCharacter } from '../../src/domain';
import { hashPassword, normaliseCode, PasswordHashingBusy, sha256, verifyPassword } from '../auth';
import { limiters } from '../limits';
import { type AdminDeps, type AdminEnv, form, isHttps, type SignedIn } from './context';
import { createAccount, findAccount, hasAnyAccount, setPassword } from './repo/accounts';
import { audit } from './repo/audit';
import { ABSOLUTE_MS, endSession, endSessionsOf, sessionAccount, startSession } from './repo/sessions';
import { loginSchema, passwordChangeSchema, setupSchema } from './schemas';
import { page } from './views/layout';
import { loginForm, passwordForm, setupForm } from './views/session';

const SESSION_COOKIE = 'ck_admin';
/** The paths a visitor without a session may use. */
const PUBLIC_PATHS = new Set(['/admin/login', '/admin/setup']);
/** The paths open to an account that must first change the password an administrator gave it. */
const BEFORE_PASSWORD_CHANGE = new Set(['/admin/password', '/admin/logout', '/admin/logout-everywhere']);

function setSessionCookie(c: Context, id: string) {
  setCookie(c, SESSION_COOKIE, id, {
    httpOnly: true,
    secure: isHttps(c),
    sameSite: 'Strict',
    path: '/admin',
    maxAge: ABSOLUTE_MS / 1000,
  });
}

const clearSessionCookie = (c: Context) =>
  deleteCookie(c, SESSION_COOKIE, { path: '/admin', secure: isHttps(c) });

/** A scrypt hash to check a password against when there is no such account, so both take as long. */
let decoy: Promise<string> | null = null;
const decoyHash = () => {
  decoy ??= hashPassword('no account has this password');
  return decoy;
};

/** Hashing refused (the service is busy): null, so the route answers 429 rather than waiting. */
async function unlessBusy<T>(work: Promise<T>): Promise<T | null> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof PasswordHashingBusy) return null;
    throw error;
  }
}

const busy = (c: Context, title: string, body: ReturnType<typeof loginForm>) => {
  c.header('Retry-After', '1');
  return c.html(page(title, body), 429);
};

/** Loads the session's account, or answers: the sign-in (or set-up) page, a redirect to it, or 401. */
export function sessionGate(deps: AdminDeps): MiddlewareHandler<AdminEnv> {
  return async (c, next) => {
    const path = c.req.path;
    if (PUBLIC_PATHS.has(path)) return next();
    const id = getCookie(c, SESSION_COOKIE);
    const account = id ? await sessionAccount(deps.db, id, deps.now()) : null;
    if (!account) {
      if (id) clearSessionCookie(c);
      if (c.req.method !== 'GET') return c.html(page('Sign in', loginForm('Sign in first.')), 401);
      if (path === '/admin' || path === '/admin/') {
        if (!(await hasAnyAccount(deps.db)))
          return c.html(page('Set up the first administrator', setupForm(null)));
        return c.html(page('Sign in', loginForm(null)));
      }
      return c.redirect('/admin', 303);
    }
    if (account.mustChangePassword && !BEFORE_PASSWORD_CHANGE.has(path)) {
      if (c.req.method === 'GET') return c.redirect('/admin/password', 303);
      return c.html(
        page('Change your password', passwordForm('Change your password first.', true), account),
        403,
      );
    }
    c.set('account', account);
    return next();
  };
}

export function sessionRoutes(deps: AdminDeps): Hono<AdminEnv> {
  const { db, logger, now } = deps;
  const r = new Hono<AdminEnv>();

  // Failed attempts are limited per client and, for sign-in, per account (the username typed).
  const tooMany = (title: string) => (c: Context, seconds: number) =>
    c.html(
      page(
        title,
        html`<p class="error" role="alert">Too many failed attempts. Try again in ${Math.ceil(seconds / 60)} minute(s).</p>`,
      ),
      429,
    );
  const perClient = (door: string) => (c: Context) => `${door}:${deps.clientAddress(c)}`;
  const perAccount = async (c: Context) => {
    const body = await c.req.parseBody().catch(() => {
      // Hono caches the failed parse, and the route's form validator would then throw it unhandled (a
      // 500): forget it, so that the validator parses again and answers a malformed body with a 400.
      delete c.req.bodyCache.formData;
      return {} as Record<string, unknown>;
    });
    const name = typeof body.username === 'string' ? body.username.trim().toLowerCase().slice(0, 200) : '';
    return `login:account:${name}`;
  };
  for (const limit of [
    ...limiters(deps.limits.signInPerClient, perClient('login'), tooMany('Sign in'), deps.holder),
    ...limiters(deps.limits.signInPerAccount, perAccount, tooMany('Sign in'), deps.holder),
  ])
    r.use('/login', limit);
  for (const limit of limiters(
    deps.limits.signInPerClient,
    perClient('setup'),
    tooMany('Set up the first administrator'),
    deps.holder,
  ))
    r.use('/setup', limit);
  for (const limit of limiters(
    deps.limits.signInPerClient,
    perClient('password'),
    tooMany('Your password'),
    deps.holder,
  ))
    r.use('/password', limit);

  r.post(
    '/login',
    form(loginSchema, (c) =>
      c.html(page('Sign in', loginForm('That username or password is not right.')), 401),
    ),
    async (c) => {
      const input = c.req.valid('form');
      const username = input.username.trim().toLowerCase();
      // A name no account can have (PostgreSQL refuses a NUL in text) is not looked up: it is no account.
      const account =
        username && !hasForbiddenCharacter(username) ? await findAccount(db, username) : undefined;
      const ok = await unlessBusy(
        (async () => {
          const matches = await verifyPassword(input.password, account?.password_hash ?? (await decoyHash()));
          return matches && account !== undefined && account.disabled_at === null;
        })(),
      );
      if (ok === null)
        return busy(c, 'Sign in', loginForm('The service is busy. Try again in a moment.', username));
      if (!ok || !account) {
        // A name that is no account is not kept: it may be a password typed in the wrong box.
        await audit(
          db,
          {
            accountId: account?.id ?? null,
            username: account?.username ?? '(no such account)',
            action: 'sign-in.failed',
            detail: account?.disabled_at ? 'account disabled' : null,
          },
          now(),
        );
        logger.warn('admin sign-in failed');
        return c.html(page('Sign in', loginForm('That username or password is not right.', username)), 401);
      }
      const id = await startSession(db, account.id, now());
      await audit(
        db,
        { accountId: account.id, username: account.username, action: 'sign-in.succeeded' },
        now(),
      );
      setSessionCookie(c, id);
      return c.redirect(account.must_change_password ? '/admin/password' : '/admin', 303);
    },
  );

  r.get('/setup', async (c) => {
    if (await hasAnyAccount(db)) return c.redirect('/admin', 303);
    return c.html(page('Set up the first administrator', setupForm(null)));
  });

  r.post(
    '/setup',
    form(setupSchema, (c, message) =>
      c.html(page('Set up the first administrator', setupForm(message)), 400),
    ),
    async (c) => {
      const input = c.req.valid('form');
      if (await hasAnyAccount(db))
        return c.html(page('Sign in', loginForm('An administrator already exists: sign in.')), 409);
      const passwordHash = await unlessBusy(hashPassword(input.password));
      if (passwordHash === null)
        return busy(
          c,
          'Set up the first administrator',
          setupForm('The service is busy. Try again in a moment.'),
        );
      const codeHash = sha256(normaliseCode(input.code));
      const outcome = await db.transaction().execute(async (trx) => {
        // Deleting the one row both checks the code and spends it: a second set-up finds nothing.
        const spent = await trx
          .deleteFrom('admin_setup')
          .where('code_hash', '=', codeHash)
          .returning('id')
          .executeTakeFirst();
        if (!spent) return 'wrong-code' as const;
        if (await hasAnyAccount(trx)) return 'exists' as const;
        const account = await createAccount(
          trx,
          {
            username: input.username,
            displayName: input.username,
            role: 'administrator',
            passwordHash,
            mustChangePassword: false,
          },
          now(),
        );
        if (!account) return 'exists' as const;
        await audit(
          trx,
          { accountId: account.id, username: account.username, action: 'setup.completed' },
          now(),
        );
        return { id: await startSession(trx, account.id, now()) };
      });
      if (outcome === 'wrong-code')
        return c.html(
          page(
            'Set up the first administrator',
            setupForm(
              'That set-up code is not right (or it has been used). The service prints a new one each time it starts without an account.',
              input.username,
            ),
          ),
          403,
        );
      if (outcome === 'exists')
        return c.html(page('Sign in', loginForm('An administrator already exists: sign in.')), 409);
      logger.info('first administrator created with the set-up code');
      setSessionCookie(c, outcome.id);
      return c.redirect('/admin', 303);
    },
  );

  r.post('/logout', async (c) => {
    const account = c.get('account');
    await endSession(db, account.sessionHash);
    await audit(db, { accountId: account.id, username: account.username, action: 'sign-out' }, now());
    clearSessionCookie(c);
    return c.redirect('/admin', 303);
  });

  r.post('/logout-everywhere', async (c) => {
    const account = c.get('account');
    const ended = await endSessionsOf(db, account.id);
    await audit(
      db,
      {
        accountId: account.id,
        username: account.username,
        action: 'sign-out.everywhere',
        detail: `${ended} session(s) ended`,
      },
      now(),
    );
    clearSessionCookie(c);
    return c.redirect('/admin', 303);
  });

  const passwordPage = (
    c: Context<AdminEnv>,
    account: SignedIn,
    error: string | null,
    status: 200 | 400 | 429 = 200,
  ) => c.html(page('Your password', passwordForm(error, account.mustChangePassword), account), status);

  r.get('/password', (c) => passwordPage(c, c.get('account'), null));

  r.post(
    '/password',
    form(passwordChangeSchema, (c, message) => passwordPage(c, c.get('account'), message, 400)),
    async (c) => {
      const account = c.get('account');
      const input = c.req.valid('form');
      const row = await findAccount(db, account.username);
      if (!row) return c.redirect('/admin', 303);
      const checked = await unlessBusy(verifyPassword(input.current, row.password_hash));
      if (checked === null) {
        c.header('Retry-After', '1');
        return passwordPage(c, account, 'The service is busy. Try again in a moment.', 429);
      }
      if (!checked) return passwordPage(c, account, 'The current password is not right.', 400);
      if (input.password === input.current)
        return passwordPage(c, account, 'Choose a new password, different from the current one.', 400);
      const passwordHash = await unlessBusy(hashPassword(input.password));
      if (passwordHash === null) {
        c.header('Retry-After', '1');
        return passwordPage(c, account, 'The service is busy. Try again in a moment.', 429);
      }
      // Every session of the account ends (a stolen one too); this browser gets a new one.
      const id = await db.transaction().execute(async (trx) => {
        await setPassword(trx, account.id, passwordHash, false, now());
        const ended = await endSessionsOf(trx, account.id);
        await audit(
          trx,
          {
            accountId: account.id,
            username: account.username,
            action: 'password.changed',
            detail: `${ended} session(s) ended`,
          },
          now(),
        );
        return startSession(trx, account.id, now());
      });
      setSessionCookie(c, id);
      return c.html(
        page('Your password', passwordForm(null, false, true), { ...account, mustChangePassword: false }),
      );
    },
  );

  return r;
}
