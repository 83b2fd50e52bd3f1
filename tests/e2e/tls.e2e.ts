/**
 * Issue 20, for real: the compiled records service (`node dist-server/…mjs`, as `npm run build` makes it) on
 * PostgreSQL, behind Debian's nginx with TLS configured from docs/nginx.conf.example and a certificate from a
 * throwaway authority; a tablet (Chromium trusting that certificate's key, and only it) enrols and syncs a
 * meeting through https://localhost:<port>/, and an administrator works through the same origin.
 */
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { enGB } from '../../src/shared/i18n/en-GB';
import { freePort, freshPostgres } from '../integration/harness';
import { type Child, run, startChild, waitUntilOk } from '../support/child';
import { AdminPage } from './pages/admin';
import { KioskPage } from './pages/kiosk';
import { meetingRows, sealedState } from './pages/storageDump';
import { waitForServiceWorker } from './pwa-support';
import { assertNoPageErrors, CHROMIUM_ARGS, CHROMIUM_PATH, newTabletPage } from './support/browser';
import {
  type Certificates,
  findNginx,
  httpsFetch,
  makeCertificates,
  NGINX_EXAMPLE,
  writeNginxConfig,
} from './support/tls';

const ROOT = resolve(import.meta.dirname, '..', '..');
/** The compiled service for this test only, so that a `npm run build` output is never overwritten. */
const COMPILED = join(ROOT, 'dist-server', 'tls-e2e-main.mjs');
const ADMIN_PASSWORD = randomBytes(18).toString('base64url');
/** The address nginx and the browser use; a guesser comes from another loopback address. */
const PROXY_ADDRESS = '127.0.0.1';
const GUESSER_ADDRESS = '127.0.0.3';

let dir = '';
let certificates: Certificates;
let service: Child | undefined;
let nginx: Child | undefined;
let browser: Browser | undefined;
let dropDatabase: () => Promise<void> = async () => {};
let origin = '';

/** Polls until `url` answers 200 (with `ca` for https), or fails with what the process printed. */
const waitFor200 = (url: string, child: Child, name: string, ca?: string) =>
  waitUntilOk(url, child, name, ca ? async (u) => (await httpsFetch(u, { ca })).status : undefined);

/** PostgreSQL as a council runs it (CI sets TEST_DATABASE_URL); PGlite only on a developer's machine. */
async function databaseEnv(): Promise<Record<string, string>> {
  if (process.env.TEST_DATABASE_URL) {
    const fresh = await freshPostgres();
    dropDatabase = fresh.drop;
    return { DATABASE_URL: fresh.url };
  }
  if (process.env.CI) throw new Error('TEST_DATABASE_URL is not set: this test runs on PostgreSQL in CI');
  console.log('tls.e2e: TEST_DATABASE_URL is not set, so the service runs on PGlite here');
  return {};
}

beforeAll(async () => {
  const nginxPath = findNginx();
  if (!nginxPath) {
    throw new Error(
      'nginx is not installed: this test runs Debian’s nginx in front of the service (apt-get install nginx; .ci/run installs it)',
    );
  }
  dir = await mkdtemp(join(tmpdir(), 'ck-tls-e2e-'));
  certificates = await makeCertificates(dir);
  await run(
    join(ROOT, 'node_modules', '.bin', 'tsx'),
    ['scripts/build-server.ts', '--outfile', COMPILED],
    ROOT,
  );

  const servicePort = await freePort();
  service = startChild(process.execPath, [COMPILED], {
    cwd: dir,
    // Plain node with only the service's configuration: nothing of the test runner's environment.
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: String(servicePort),
      DATA_DIR: join(dir, 'data'),
      STATIC_DIR: join(ROOT, 'dist'),
      ADMIN_PASSWORD,
      TRUST_PROXY: PROXY_ADDRESS,
      LOG_LEVEL: 'warn',
      ...(await databaseEnv()),
    },
  });
  await waitFor200(`http://127.0.0.1:${servicePort}/api/v1/health/ready`, service, 'the records service');

  const listenPort = await freePort();
  origin = `https://localhost:${listenPort}`;
  const conf = await writeNginxConfig(dir, { listenPort, servicePort, certificates });
  nginx = startChild(nginxPath, ['-p', dir, '-e', join(dir, 'error.log'), '-c', conf, '-g', 'daemon off;'], {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '' },
  });
  await waitFor200(`${origin}/api/v1/health/ready`, nginx, 'nginx', certificates.caPem).catch(
    async (error: Error) => {
      const log = await readFile(join(dir, 'error.log'), 'utf8').catch(() => '');
      throw new Error(`${error.message}\nnginx's error log:\n${log}`);
    },
  );

  browser = await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // Trusts exactly the test certificate's key: a secure context as a tablet has with a council's certificate.
    args: [...CHROMIUM_ARGS, `--ignore-certificate-errors-spki-list=${certificates.spkiSha256}`],
  });
}, 180_000);

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await nginx?.stop();
  await service?.stop();
  await dropDatabase().catch((error: Error) => console.log(`tls.e2e: could not drop its database: ${error}`));
  await rm(COMPILED, { force: true });
  await rm(`${COMPILED}.map`, { force: true });
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('the records service behind nginx with TLS', () => {
  it('the nginx configuration in docs/operating.md is the one this test runs', async () => {
    const example = await readFile(NGINX_EXAMPLE, 'utf8');
    const operating = await readFile(join(ROOT, 'docs', 'operating.md'), 'utf8');
    const documented = /```nginx\n([\s\S]*?)```/.exec(operating)?.[1] ?? '';
    const withoutHeader = example.replace(/^(#.*\n)+/, '');
    expect(documented.trim()).toBe(withoutHeader.trim());
  });

  it('answers over HTTPS with Strict-Transport-Security, and a guesser is locked out by its own address, not the proxy’s', async () => {
    const ca = certificates.caPem;
    const health = await httpsFetch(`${origin}/api/v1/health`, { ca });
    expect(health.status).toBe(200);
    expect(health.headers['strict-transport-security']).toMatch(/max-age=[1-9]\d*/);

    // Someone on another address guesses the admin password through the proxy until the limit stops them;
    // naming themselves someone else in X-Forwarded-For does not help (only the proxy is trusted).
    const guess = (i: number) =>
      httpsFetch(`${origin}/admin/login`, {
        ca,
        localAddress: GUESSER_ADDRESS,
        method: 'POST',
        headers: {
          'Content-Type': 'application/x-www-form-urlencoded',
          'X-Forwarded-For': `198.51.100.${i}`,
        },
        body: new URLSearchParams({ username: 'admin', password: `guess number ${i}` }).toString(),
      });
    const statuses: number[] = [];
    for (let i = 1; i <= 7; i++) statuses.push((await guess(i)).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5)).toEqual([429, 429]);

    // The administrator, on their own address, still signs in through the same proxy: the service told
    // them apart (without TRUST_PROXY every client is the proxy, and one guesser locks everyone out).
    const page = await newTabletPage(browser as Browser);
    const admin = new AdminPage(page, origin);
    await admin.open();
    await admin.heading('Sign in').waitFor();
    await admin.signIn('admin', ADMIN_PASSWORD);
    const refusal = page.getByRole('alert');
    await admin.heading('Meetings').or(refusal).waitFor();
    expect(await refusal.allTextContents()).toEqual([]);
    // The session cookie set through the proxy is Secure: the service knew the client used HTTPS.
    const session = (await page.context().cookies(`${origin}/admin`)).find((c) => c.name === 'ck_admin');
    expect(
      session && { secure: session.secure, httpOnly: session.httpOnly, sameSite: session.sameSite },
    ).toEqual({ secure: true, httpOnly: true, sameSite: 'Strict' });
    assertNoPageErrors(page);
    await page.context().close();
  });

  it('a tablet enrols through the proxy, its service worker controls the https page, and a meeting reaches the records service', async () => {
    const adminPage = await newTabletPage(browser as Browser);
    const admin = new AdminPage(adminPage, origin);
    await admin.open();
    await admin.signIn('admin', ADMIN_PASSWORD);
    await admin.goTo('Devices and codes');
    const code = await admin.createEnrolmentCode();

    const page = await newTabletPage(browser as Browser);
    const response = await page.goto(`${origin}/`);
    expect(response?.headers()['strict-transport-security']).toMatch(/max-age=[1-9]\d*/);
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
    await waitForServiceWorker(page);
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL ?? '')).toMatch(
      new RegExp(`^${origin}/`),
    );

    const kiosk = new KioskPage(page);
    await kiosk.heading(enGB.pin.setTitle).waitFor();
    await kiosk.choosePin();
    await kiosk.openSettings();
    // The records service's address the tablet proposes is the https origin it was installed from.
    expect(await page.getByLabel(enGB.sync.address, { exact: true }).inputValue()).toBe(origin);
    await kiosk.enrol(code, 'Tablet behind the proxy');
    await kiosk.button(enGB.common.back).click();

    await kiosk.setUpMeeting({ title: 'Review through the proxy', children: ['Jamie Doe'] });
    await kiosk.addAttendee({ name: 'Tom Reid', role: 'social-worker', agency: "Children's Services" });
    await kiosk.addAttendee({ name: 'Priya Shah', role: 'chair', agency: "Children's Services" });
    await kiosk.button(enGB.request.startWithout).click();
    await kiosk.heading(enGB.during.title).waitFor();
    await kiosk.closeMeeting();

    const meetingIds = [...new Set((await sealedState(page)).map((s) => s.meetingId))];
    expect(meetingIds).toHaveLength(1);
    const meetingId = meetingIds[0] ?? '';
    const onTablet = await meetingRows(page, 'events', meetingId);
    expect(onTablet).toBeGreaterThan(5);
    // The administrator's meeting page, through the same origin, holds every event the tablet wrote.
    const heldLine = adminPage.getByText(/^\d+ events held;/);
    await vi.waitFor(
      async () => {
        await adminPage.goto(`${origin}/admin/meetings/${meetingId}`);
        expect(await heldLine.allTextContents()).toEqual([
          expect.stringMatching(new RegExp(`^${onTablet} events held;`)),
        ]);
      },
      { timeout: 20_000, interval: 250 },
    );
    await kiosk.button(enGB.minutes.backHome).click();
    await kiosk.openSettings();
    await page.getByTestId('sync-pending').getByText('0', { exact: true }).waitFor();
    assertNoPageErrors(page);
    assertNoPageErrors(adminPage);
    await page.context().close();
    await adminPage.context().close();
  }, 120_000);
});
