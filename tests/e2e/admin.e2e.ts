/**
 * The admin area in Chromium: signing in and creating an enrolment code by clicking its own forms (a
 * same-origin form post, which under `Referrer-Policy: no-referrer` carries `Origin: null`), a cross-site
 * form post refused by the CSRF check, and every admin page free of axe violations with 48px targets.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type ServerType, serve } from '@hono/node-server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ALL_AGREE,
  adminCookie,
  enrol,
  type Harness,
  makeHarness,
  newCode,
  sealLog,
  syncRequest,
} from '../integration/harness';
import { AdminPage } from './pages/admin';
import { expectNoAxeViolations, expectTouchTargets } from './support/axe';
import { assertNoPageErrors, LANDSCAPE, launchBrowser, newTabletPage } from './support/browser';

const PASSWORD = 'admin e2e password 1';

let browser: Browser;
let h: Harness;
let service: ServerType;
let attacker: Server;
let base = '';
let attackerBase = '';
let meetingId = '';

const listen = (server: { once: Server['once']; address: Server['address'] }) =>
  new Promise<number>((done) => server.once('listening', () => done((server.address() as AddressInfo).port)));

beforeAll(async () => {
  browser = await launchBrowser();
  h = await makeHarness('pglite', { adminPassword: PASSWORD });
  const cookie = await adminCookie(h, PASSWORD);
  const device = await enrol(h, await newCode(h, cookie), 'Room 2 tablet');
  const log = await sealLog(device.deviceId, ALL_AGREE);
  meetingId = log[0]?.meetingId as string;
  expect((await syncRequest(h, device, log)).status).toBe(200);
  service = serve({ fetch: h.app.fetch, port: 0, hostname: '127.0.0.1' });
  base = `http://127.0.0.1:${await listen(service as unknown as Server)}`;
  // Another site (localhost is not 127.0.0.1's site) whose page posts a form to the admin area by itself.
  attacker = createServer((_req, res) => {
    res.setHeader('Content-Type', 'text/html');
    res.end(
      `<!doctype html><title>prize</title><form method="post" action="${base}/admin/codes"><input name="x" value="1"></form><script>document.forms[0].submit()</script>`,
    );
  }).listen(0, '127.0.0.1');
  attackerBase = `http://localhost:${await listen(attacker)}`;
});

afterAll(async () => {
  await browser?.close();
  service?.close();
  attacker?.close();
  await h?.close();
});

const codes = async () =>
  (await h.database.db.selectFrom('enrolment_codes').select('code_hash').execute()).length;

describe('admin area in a browser', () => {
  let page: Page;
  let admin: AdminPage;

  it('an administrator signs in and creates an enrolment code by clicking: the same-origin form posts are accepted', async () => {
    page = await newTabletPage(browser, LANDSCAPE);
    admin = new AdminPage(page, base);
    await admin.open();
    await expect.poll(() => admin.heading('Sign in').isVisible()).toBe(true);
    await expectNoAxeViolations(page, 'admin sign-in');
    await expectTouchTargets(page);
    await admin.signIn('admin', PASSWORD);
    await expect.poll(() => admin.heading('Meetings').isVisible()).toBe(true);
    await admin.goTo('Devices and codes');
    const before = await codes();
    const code = await admin.createEnrolmentCode();
    expect(code).toMatch(/^[A-Z0-9]{4}(-[A-Z0-9]{4}){2}$/);
    expect(await codes()).toBe(before + 1);
    assertNoPageErrors(page);
  }, 120_000);

  it('a cross-site page posting a form to the admin area is refused, and nothing is created', async () => {
    const before = await codes();
    // Another tab of the signed-in admin's browser (its expected 403 is no error of the admin pages).
    const tab = await page.context().newPage();
    const refused = tab.waitForResponse((r) => r.url() === `${base}/admin/codes`);
    await tab.goto(attackerBase);
    const response = await refused;
    expect(response.status()).toBe(403);
    await expect.poll(() => tab.getByRole('alert').textContent()).toBe('Cross-site request refused.');
    await tab.close();
    expect(await codes()).toBe(before);
  });

  it('every admin page has no axe violation and 48px targets', async () => {
    await admin.open();
    for (const [path, heading] of [
      ['/admin', 'Meetings'],
      [`/admin/meetings/${meetingId}`, 'Review meeting for Jamie'],
      ['/admin/devices', 'Devices and enrolment codes'],
      ['/admin/accounts', 'Accounts'],
      ['/admin/audit', 'Audit trail'],
      ['/admin/password', 'Your password'],
      [`/admin/verify?meeting=${meetingId}&hash=${'0'.repeat(64)}`, 'Verify a record'],
      ['/admin/verify', 'Verify a record'],
      ['/admin?kind=meeting&outcome=permitted&sync=complete', 'Meetings'],
      ['/admin/dashboard', 'Figures for the partnership'],
      ['/admin/prepare', 'Prepare a meeting'],
    ] as const) {
      await admin.open(path);
      await expect.poll(() => admin.heading(heading).isVisible()).toBe(true);
      await expectNoAxeViolations(page, path);
      await expectTouchTargets(page);
    }
    assertNoPageErrors(page);
    await page.context().close();
  }, 240_000);
});
