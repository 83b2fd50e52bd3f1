/**
 * The real records service (server/main.ts on PGlite in a temporary DATA_DIR, serving the production build), so
 * a tablet's default records service address is its own origin; and an administrator's signed-in request API.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { APIRequestContext, Browser } from 'playwright-core';
import { type Child, startChild, waitUntilOk } from '../../support/child';

const HOST = '127.0.0.1';
const ROOT = resolve(import.meta.dirname, '..', '..', '..');

export interface RecordsService {
  base: string;
  adminPassword: string;
  stop(): Promise<void>;
}

/** A TCP port free on the loopback now (the e2e services each take one). */
export function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', fail);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port ? done(port) : fail(new Error('no free port'))));
    });
  });
}

export async function startRecordsService(adminPassword: string): Promise<RecordsService> {
  const dataDir = await mkdtemp(join(tmpdir(), 'kiosk-records-e2e-'));
  const port = await freePort();
  const base = `http://${HOST}:${port}`;
  const server: Child = startChild(join(ROOT, 'node_modules', '.bin', 'tsx'), ['server/main.ts'], {
    cwd: ROOT,
    env: {
      ...(process.env as Record<string, string>),
      PORT: String(port),
      HOST,
      DATA_DIR: dataDir,
      ADMIN_PASSWORD: adminPassword,
      STATIC_DIR: join(ROOT, 'dist'),
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
    },
  });
  // A loaded machine (two cores, shared) can take over a minute to compile and start the service.
  await waitUntilOk(`${base}/api/v1/health`, server, 'the records service', undefined, 150_000);
  return {
    base,
    adminPassword,
    async stop() {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * The administrator signed in, as a request API of a browser context of their own (its pages share the
 * session cookie). Forms are posted with an Origin header: in Chromium the admin pages' `Referrer-Policy:
 * no-referrer` makes a clicked form post carry `Origin: null`, which the service's same-origin check refuses.
 */
export async function signedInAdmin(browser: Browser, service: RecordsService): Promise<APIRequestContext> {
  const context = await browser.newContext();
  const signedIn = await context.request.post(`${service.base}/admin/login`, {
    form: { username: 'admin', password: service.adminPassword },
    headers: { Origin: service.base },
  });
  if (!signedIn.ok()) throw new Error(`the admin could not sign in: ${signedIn.status()}`);
  return context.request;
}

/** A one-time enrolment code, created through the admin area's form. */
export async function enrolmentCode(admin: APIRequestContext, service: RecordsService): Promise<string> {
  const created = await admin.post(`${service.base}/admin/codes`, { headers: { Origin: service.base } });
  const code = /<p class="code"[^>]*>([^<]+)<\/p>/.exec(await created.text())?.[1]?.trim() ?? '';
  if (created.status() !== 201 || code.length < 6) throw new Error('no enrolment code was created');
  return code;
}
