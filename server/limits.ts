/**
 * Rate limits on the doors a guesser knocks at: admin sign-in and first set-up, and enrolment. Each is
 * counted per client address in a short and a long window (so the wait grows: a minute after a few quick
 * failures, up to an hour after many), and sign-in also per account across all clients (a guesser with
 * many addresses). Only failures count; an answer over the limit is 429 with Retry-After, before any
 * password is hashed. The counts are in this process's memory (hono-rate-limiter's MemoryStore): a restart
 * forgets them, and two processes count apart.
 *
 * A refusal is not answered at once: it is held for a moment (the tarpit) first. A guesser who waits for each
 * answer before the next (as a password-guessing tool does) is then slowed to a few guesses a second per
 * connection, instead of being answered thousands of times a second at the tablets' expense (issue 13: a
 * login flood must not slow sync). Only so many refusals are held at once; past that they are answered
 * straight away, so that holding them cannot itself exhaust the service.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { rateLimiter } from 'hono-rate-limiter';

export interface Window {
  windowMs: number;
  /** Failed attempts allowed in the window. */
  limit: number;
}

export interface Tarpit {
  /** How long a refusal is held before it is answered (never longer than its Retry-After). */
  delayMs: number;
  /** How many refusals may be held at once; the rest are answered at once. */
  maxHeld: number;
}

export interface Limits {
  signInPerClient: Window[];
  signInPerAccount: Window[];
  enrolPerClient: Window[];
  /** Absent: DEFAULT_TARPIT. */
  tarpit?: Tarpit;
}

export const DEFAULT_TARPIT: Tarpit = { delayMs: 1_000, maxHeld: 512 };

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

/** Holds refusals for a moment, at most `maxHeld` at once (one per service: all doors share it). */
export class Holder {
  private held = 0;
  constructor(private readonly tarpit: Tarpit) {}

  /** Waits (up to the tarpit's delay, and no longer than `limitMs`) unless too many are already waiting. */
  async hold(limitMs: number): Promise<void> {
    const ms = Math.min(this.tarpit.delayMs, limitMs);
    if (ms <= 0 || this.held >= this.tarpit.maxHeld) return;
    this.held += 1;
    try {
      await new Promise((resolve) => setTimeout(resolve, ms));
    } finally {
      this.held -= 1;
    }
  }

  get holding(): number {
    return this.held;
  }
}

/**
 * One limiter per window, each with a store of its own; `respond` answers a client over the limit, after
 * `holder` has held the refusal.
 */
export function limiters(
  windows: readonly Window[],
  key: (c: Context) => string | Promise<string>,
  respond: (c: Context, retryAfterSeconds: number) => Response | Promise<Response>,
  holder: Holder,
): MiddlewareHandler[] {
  return windows.map((w) =>
    rateLimiter({
      windowMs: w.windowMs,
      limit: w.limit,
      keyGenerator: key,
      standardHeaders: 'draft-7', // also sets Retry-After on a refusal
      // A success does not count: a council enrolling many tablets from one office is not slowed.
      skipSuccessfulRequests: true,
      handler: async (c) => {
        const info = c.get('rateLimit' as never) as { resetTime?: Date } | undefined;
        const resetAt = info?.resetTime ? info.resetTime.getTime() : Date.now() + w.windowMs;
        await holder.hold(resetAt - Date.now());
        const retryAfter = Math.max(1, Math.ceil((resetAt - Date.now()) / 1000));
        c.header('Retry-After', String(retryAfter));
        return respond(c, retryAfter);
      },
    }),
  );
}
