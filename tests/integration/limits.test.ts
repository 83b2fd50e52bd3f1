/**
 * Issue 13, finding 7: admin sign-in and enrolment are rate limited per client and (sign-in) per account,
 * with 429 and Retry-After, before any password is hashed; password hashing is bounded, so a flood of
 * sign-ins is turned away rather than queued.
 */
import type { Context } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashPassword, PasswordHashingBusy, verifyPassword } from '../../server/auth';
import { DEFAULT_LIMITS } from '../../server/limits';
import { errorResponseSchema, PROTOCOL_VERSION } from '../../src/domain/protocol';
import {
  ALL_AGREE,
  adminCookie,
  enrol,
  type Harness,
  makeHarness,
  newCode,
  ORIGIN,
  sealLog,
  syncRequest,
  TARGETS,
} from './harness';

const PASSWORD = 'rate limited admin password';
/** Tests say which client they are. */
const clientAddress = (c: Context) => c.req.header('X-Test-Client') ?? 'client-0';

describe.each(TARGETS)('rate limits against %s', (target) => {
  let h: Harness;
  let cookie: string;

  beforeAll(async () => {
    h = await makeHarness(target, {
      adminPassword: PASSWORD,
      clientAddress,
      // The defaults per client; a small limit for the account, so that a test can reach it.
      limits: { ...DEFAULT_LIMITS, signInPerAccount: [{ windowMs: 3_600_000, limit: 12 }] },
    });
    cookie = await adminCookie(h, PASSWORD);
  });
  afterAll(async () => h?.close());

  const login = (password: string, client: string) =>
    h.app.request(`${ORIGIN}/admin/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Test-Client': client },
      body: new URLSearchParams({ username: 'admin', password }).toString(),
    });

  it('sign-in: after 5 wrong passwords from one client, the next is 429 with Retry-After, even the right one; another client still signs in', async () => {
    for (let i = 0; i < 5; i++) expect((await login(`guess ${i}`, 'guesser')).status).toBe(401);
    const refused = await login(PASSWORD, 'guesser');
    expect(refused.status).toBe(429);
    const retryAfter = Number(refused.headers.get('Retry-After'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(await refused.text()).toContain('Too many failed attempts');
    expect(refused.headers.get('Set-Cookie')).toBeNull();
    expect((await login(PASSWORD, 'the admin')).status).toBe(303);
    // Signing in successfully does not count against a client.
    for (let i = 0; i < 6; i++) expect((await login(PASSWORD, 'the admin')).status).toBe(303);
  });

  it('sign-in: failures from many clients add up against the account', async () => {
    // 5 failures above already; 7 more from 7 clients reach the account's 12.
    for (let i = 0; i < 7; i++) expect((await login('wrong', `botnet-${i}`)).status).toBe(401);
    const res = await login('wrong', 'botnet-new');
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(60);
  });

  it('enrolment: after 10 failed attempts from one client, the next is 429 rate-limited with Retry-After; a success does not count', async () => {
    const attempt = (code: string, client: string) =>
      h.app.request('/api/v1/devices/enrol', {
        method: 'POST',
        headers: { 'X-Test-Client': client },
        body: JSON.stringify({ protocolVersion: PROTOCOL_VERSION, code, label: 'Tablet' }),
      });
    for (let i = 0; i < 3; i++) expect((await attempt(await newCode(h, cookie), 'office')).status).toBe(201);
    for (let i = 0; i < 10; i++) expect((await attempt(`WRONG-CODE-${i}`, 'office')).status).toBe(400);
    const code = await newCode(h, cookie);
    const res = await attempt(code, 'office');
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect(errorResponseSchema.parse(await res.json()).error.code).toBe('rate-limited');
    // The code was not tried: it still works, from another client.
    expect((await attempt(code, 'another office')).status).toBe(201);
  });

  it('a guesser over the limit waits for each refusal (the tarpit), and its Retry-After still counts from the refusal', async () => {
    const tarpit = await makeHarness(target, {
      database: h.database,
      clientAddress,
      limits: { ...DEFAULT_LIMITS, tarpit: { delayMs: 400, maxHeld: 8 } },
    });
    const attempt = () =>
      tarpit.app.request(`${ORIGIN}/admin/login`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Test-Client': 'patient guesser' },
        body: new URLSearchParams({ username: 'admin', password: 'a guess' }).toString(),
      });
    for (let i = 0; i < 5; i++) expect((await attempt()).status).toBe(401);
    const t0 = performance.now();
    const refused = await attempt();
    const waited = performance.now() - t0;
    expect(refused.status).toBe(429);
    // Held for the tarpit's delay first (a lower bound: a timer never fires early).
    expect(waited).toBeGreaterThanOrEqual(395);
    const retryAfter = Number(refused.headers.get('Retry-After'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
  });

  it('a flood of sign-ins is turned away (429, busy) rather than queued behind the hashing, and sync goes on meanwhile', async () => {
    const unlimited = { windowMs: 60_000, limit: 1_000_000 };
    const open = await makeHarness(target, {
      adminPassword: PASSWORD,
      clientAddress,
      limits: { signInPerClient: [unlimited], signInPerAccount: [unlimited], enrolPerClient: [unlimited] },
    });
    try {
      const openCookie = await adminCookie(open, PASSWORD);
      const device = await enrol(open, await newCode(open, openCookie), 'Tablet in the flood');
      const log = await sealLog(device.deviceId, ALL_AGREE);
      const flood = Array.from({ length: 60 }, () =>
        open.app.request(`${ORIGIN}/admin/login`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ username: 'admin', password: 'a guess' }).toString(),
        }),
      );
      const synced = await syncRequest(open, device, log);
      const answers = await Promise.all(flood);
      expect(synced.status).toBe(200);
      const statuses = answers.map((r) => r.status);
      expect(statuses.every((st) => st === 401 || st === 429)).toBe(true);
      // How many are turned away depends on how fast the hashes finish; some always are.
      const busy = answers.filter((r) => r.status === 429);
      expect(busy.length).toBeGreaterThan(0);
      expect(busy[0]?.headers.get('Retry-After')).toBe('1');
      expect(await busy[0]?.text()).toContain('The service is busy');
      // The bound itself: of 40 hashes asked for at once, at most 2 run and 16 wait; the rest are refused.
      const stored = await hashPassword('any password at all');
      const asked = await Promise.allSettled(
        Array.from({ length: 40 }, () => verifyPassword('guess', stored)),
      );
      const refused = asked.filter((a) => a.status === 'rejected' && a.reason instanceof PasswordHashingBusy);
      expect(refused.length).toBeGreaterThanOrEqual(40 - 18);
      expect(asked.length - refused.length).toBeLessThanOrEqual(18);
    } finally {
      await open.close();
    }
  });
});
