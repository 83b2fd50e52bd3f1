/**
 * What every admin router shares: its dependencies, the signed-in account on the context, the roles and what
 * each may do, and form validation through Hono's validator with zod schemas.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { html } from 'hono/html';
import { validator } from 'hono/validator';
import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { z } from 'zod/mini';
import type { OpenDatabase } from '../db/connect';
import type { AdminRole, Database } from '../db/schema';
import type { Keyring } from '../keys';
import type { Holder, Limits } from '../limits';
import type { RetentionPolicy } from '../retention';
import { may, type Permission, ROLE_LABEL } from './roles';
import { page } from './views/layout';

export interface AdminDeps {
  db: Kysely<Database>;
  /** The database as the sync path takes it: meetings prepared here are written through it (issue 19). */
  database?: OpenDatabase;
  logger: Logger;
  now: () => Date;
  clientAddress: (c: Context) => string;
  limits: Limits;
  /** Holds refusals over a limit for a moment (shared by every door of the service). */
  holder: Holder;
  /** The records service's public address for documents' record checks; null: the request's own. */
  verifyBaseUrl: string | null;
  /** The retention periods the daily purge applies (shown with legal holds). */
  retention: RetentionPolicy;
  /** The sealing keys: their fingerprints are shown, and an administrator rotates them. */
  keyring: Keyring;
}

export interface SignedIn {
  id: number;
  username: string;
  displayName: string;
  role: AdminRole;
  mustChangePassword: boolean;
  /** SHA-256 of this session's id. */
  sessionHash: string;
}

export type AdminEnv = { Variables: { account: SignedIn } };

/** Refused on the server, whatever the page showed: 403 with a page that says why. */
export function requires(permission: Permission): MiddlewareHandler<AdminEnv> {
  return async (c, next) => {
    const account = c.get('account');
    if (!may(account.role, permission)) {
      return c.html(
        page(
          'Not allowed',
          html`<p class="error" role="alert">Your role (${ROLE_LABEL[account.role]}) does not allow this. Ask an administrator if you need it.</p>
<p><a href="/admin">Back to the meetings</a></p>`,
          account,
        ),
        403,
      );
    }
    return next();
  };
}

/**
 * Validates a posted form with a zod schema; an invalid form is answered by `invalid` (the page again, with
 * what to fix), so no bad input reaches a handler.
 */
export function form<S extends z.ZodMiniType>(
  schema: S,
  invalid: (c: Context<AdminEnv>, message: string, field: string) => Response | Promise<Response>,
) {
  return validator('form', async (value, c: Context<AdminEnv>) => {
    const parsed = schema.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      return invalid(c, issue?.message ?? 'The form is not valid.', String(issue?.path[0] ?? ''));
    }
    return parsed.data as z.output<S>;
  });
}

/**
 * Whether the client came over HTTPS: decided once per request by the app (server/proxy.ts, which trusts
 * X-Forwarded-Proto only from a configured proxy); the request's own URL when the app did not say.
 */
export const isHttps = (c: Context): boolean => {
  const decided = c.get('https' as never) as boolean | undefined;
  return decided ?? new URL(c.req.url).protocol === 'https:';
};

export const fmt = (d: Date | string | null): string =>
  d ? `${new Date(d).toISOString().replace('T', ' ').slice(0, 16)} UTC` : '—';

export const MEETING_ID = /^[0-9a-f-]{36}$/;
export const DEVICE_ID = /^[A-Za-z0-9_-]{1,64}$/;
