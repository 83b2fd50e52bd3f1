/**
 * Rate limits on the doors a guesser knocks at: admin sign-in and first set-up, and enrolment. Each is
 * counted per client address in a short and a long window (so the wait grows: a minute after a few quick
 * failures, up to an hour after many), and sign-in also per account across all clients (a guesser with
 * many addresses). Only failures count; an answer over the limit is 429 with Retry-After, before any
 * password is hashed. The counts are in this process's memory (hono-rate-limiter's MemoryStore): a restart
 * forgets them, and two processes count apart.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { rateLimiter } from 'hono-rate-limiter';

export interface Window {
  windowMs: number;
  /** Failed attempts allowed in the window. */
  limit: number;
}

export interface Limits {
  signInPerClient: Window[];
  signInPerAccount: Window[];
  enrolPerClient: Window[];
}

export const DEFAULT_LIMITS: Limits = {
  signInPerClient: [
    { windowMs: 60_000, limit: 5 },
    { windowMs: 3_600_000, limit: 20 },
  ],
  signInPerAccount: [{ windowMs: 3_600_000, limit: 100 }],
  enrolPerClient: [
    { windowMs: 15 * 60_000, limit: 10 },
    { windowMs: 3_600_000, limit: 30 },
  ],
};

/** One limiter per window, each with a store of its own; `respond` answers a client over the limit. */
export function limiters(
  windows: readonly Window[],
  key: (c: Context) => string | Promise<string>,
  respond: (c: Context, retryAfterSeconds: number) => Response | Promise<Response>,
): MiddlewareHandler[] {
  return windows.map((w) =>
    rateLimiter({
      windowMs: w.windowMs,
      limit: w.limit,
      keyGenerator: key,
      standardHeaders: 'draft-7', // also sets Retry-After on a refusal
      // A success does not count: a council enrolling many tablets from one office is not slowed.
      skipSuccessfulRequests: true,
      handler: (c) => {
        const info = c.get('rateLimit' as never) as { resetTime?: Date } | undefined;
        const resetMs = info?.resetTime ? info.resetTime.getTime() - Date.now() : w.windowMs;
        const retryAfter = Math.max(1, Math.ceil(resetMs / 1000));
        c.header('Retry-After', String(retryAfter));
        return respond(c, retryAfter);
      },
    }),
  );
}
