/**
 * Issue 20, in process: behind the council's reverse proxy the service sees the real client only when the
 * proxy is trusted (TRUST_PROXY), and marks cookies Secure only when a trusted proxy says HTTPS; readiness
 * says why it is not ready; while draining, syncs and enrolments are refused with a code the tablet retries.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../server/config';
import { createOperations } from '../../server/operations';
import { requestOrigin } from '../../server/proxy';
import {
  ALL_AGREE,
  adminCookie,
  enrol,
  type Harness,
  makeHarness,
  newCode,
  ORIGIN,
  openTarget,
  sealLog,
  syncRequest,
  TARGETS,
} from './harness';

const PASSWORD = 'operations-admin-password';

/** What @hono/node-server gives a request that came over a socket from `address`. */
const fromSocket = (address: string) => ({
  incoming: { socket: { remoteAddress: address, remotePort: 50_000 } },
});

describe('TRUST_PROXY', () => {
  it('is off unless set, and names a bad entry clearly', () => {
    const unset = loadConfig({});
    expect(unset.ok && unset.config.TRUST_PROXY).toBeFalsy();
    const good = loadConfig({ TRUST_PROXY: 'loopback, 10.0.0.0/8' });
    expect(good).toMatchObject({ ok: true, config: { TRUST_PROXY: ['loopback', '10.0.0.0/8'] } });
    const bad = loadConfig({ TRUST_PROXY: 'my proxy' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.message).toContain('TRUST_PROXY');
  });
});

describe.each(TARGETS)('behind a reverse proxy, against %s', (target) => {
  let trusted: Harness;
  let untrusted: Harness;
  let seen: string[];

  beforeAll(async () => {
    seen = [];
    const origin = requestOrigin(['loopback']);
    trusted = await makeHarness(target, {
      adminPassword: PASSWORD,
      trustProxy: ['loopback'],
      // The proxy-aware address, recorded so the test sees what the rate limits and the audit trail see.
      clientAddress: (c) => {
        const address = origin.clientAddress(c);
        seen.push(address);
        return address;
      },
    });
    untrusted = await makeHarness(target, { database: trusted.database });
  });
  afterAll(async () => {
    await untrusted?.close().catch(() => {});
    await trusted?.close();
  });

  const login = (h: Harness, headers: Record<string, string>, peer: string) =>
    h.app.request(
      `${ORIGIN}/admin/login`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
        body: new URLSearchParams({ username: 'admin', password: PASSWORD }).toString(),
      },
      fromSocket(peer),
    );

  it('a trusted proxy names the client and says HTTPS: the admin cookie is Secure', async () => {
    const res = await login(
      trusted,
      { 'X-Forwarded-For': '203.0.113.7', 'X-Forwarded-Proto': 'https' },
      '127.0.0.1',
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('Set-Cookie')).toMatch(/;\s*Secure/i);
    expect(seen).toContain('203.0.113.7');
  });

  it('a client that is not the proxy cannot name itself someone else, nor claim HTTPS', async () => {
    seen.length = 0;
    const res = await login(
      trusted,
      { 'X-Forwarded-For': '198.51.100.1', 'X-Forwarded-Proto': 'https' },
      '192.0.2.50',
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('Set-Cookie')).not.toMatch(/;\s*Secure/i);
    expect(seen).toContain('192.0.2.50');
    expect(seen).not.toContain('198.51.100.1');
  });

  it('with no proxy trusted, forwarded headers change nothing', async () => {
    const res = await login(
      untrusted,
      { 'X-Forwarded-For': '203.0.113.7', 'X-Forwarded-Proto': 'https' },
      '127.0.0.1',
    );
    expect(res.status).toBe(303);
    expect(res.headers.get('Set-Cookie')).not.toMatch(/;\s*Secure/i);
  });

  it('a document exported through the TLS proxy names the https verify address, never http', async () => {
    const session = await login(
      trusted,
      { 'X-Forwarded-For': '203.0.113.7', 'X-Forwarded-Proto': 'https' },
      '127.0.0.1',
    );
    const cookie = /ck_admin=[^;]+/.exec(session.headers.get('Set-Cookie') ?? '')?.[0] ?? '';
    const device = await enrol(trusted, await newCode(trusted, cookie), 'Proxy tablet');
    const log = await sealLog(device.deviceId, ALL_AGREE);
    expect((await syncRequest(trusted, device, log)).status).toBe(200);
    const meetingId = log[0]?.meetingId ?? '';
    const exported = await trusted.app.request(
      `${ORIGIN}/admin/meetings/${meetingId}/minute.json`,
      { headers: { Cookie: cookie, 'X-Forwarded-Proto': 'https' } },
      fromSocket('127.0.0.1'),
    );
    expect(exported.status).toBe(200);
    const { recordCheck } = (await exported.json()) as { recordCheck: { verifyUrl: string } };
    expect(recordCheck.verifyUrl).toMatch(/^https:\/\/localhost\//);
  });

  it('sends HSTS, so a browser that once reached it over HTTPS keeps to HTTPS', async () => {
    const res = await trusted.app.request(`${ORIGIN}/api/v1/health`);
    expect(res.headers.get('Strict-Transport-Security')).toMatch(/max-age=\d{7,}/);
  });
});

describe.each(TARGETS)('draining, against %s', (target) => {
  let h: Harness;
  let operations: ReturnType<typeof createOperations>;
  let drop: () => Promise<void> = async () => {};

  beforeAll(async () => {
    const opened = await openTarget(target);
    drop = opened.drop;
    operations = createOperations(opened.database);
    h = await makeHarness(target, { database: opened.database, adminPassword: PASSWORD, operations });
  });
  afterAll(async () => {
    operations?.close();
    await h?.close();
    await drop();
  });

  it('readiness is 503 naming the check while stopping; a sync then is 503 "shutting-down", and nothing is stored', async () => {
    const cookie = await adminCookie(h, PASSWORD);
    const device = await enrol(h, await newCode(h, cookie), 'Tablet while stopping');
    const ready = await h.app.request('/api/v1/health/ready');
    expect(ready.status).toBe(200);
    operations.beginDrain();
    const notReady = await h.app.request('/api/v1/health/ready');
    expect(notReady.status).toBe(503);
    expect(notReady.headers.get('Retry-After')).toBeTruthy();
    expect(await notReady.json()).toMatchObject({ ok: false, checks: { shutdown: 'shutting down' } });
    const log = await sealLog(device.deviceId, ALL_AGREE);
    const refused = await syncRequest(h, device, log);
    expect(refused.status).toBe(503);
    expect(refused.headers.get('Retry-After')).toBeTruthy();
    expect(await refused.json()).toMatchObject({ error: { code: 'shutting-down' } });
    const held = await h.database.db.selectFrom('events').select('id').execute();
    expect(held).toEqual([]);
    // Liveness is unaffected: the process is fine, it is only stopping.
    expect((await h.app.request('/api/v1/health/live')).status).toBe(200);
  });
});
