/**
 * The tablet and the real records service (server/main.ts, PGlite in a temporary DATA_DIR) together: the
 * service serves the production build, so the tablet's default records service address is its own origin.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { enGB } from '../../src/shared/i18n/en-GB';
import { KioskPage } from './pages/kiosk';
import { expectNoAxeViolations, expectTouchTargets } from './support/axe';
import { assertNoPageErrors, LANDSCAPE, launchBrowser, newTabletPage, pageErrors } from './support/browser';
import { freePort } from './support/recordsService';

const HOST = '127.0.0.1';
const ADMIN_PASSWORD = 'sync-e2e-admin-password';
const ROOT = resolve(import.meta.dirname, '..', '..');

let browser: Browser;
let server: ChildProcess | null = null;
let serverOutput = '';
let dataDir = '';
let base = '';

async function waitForHealth(url: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (server?.exitCode !== null && server?.exitCode !== undefined) break;
    try {
      const response = await fetch(`${url}/api/v1/health`);
      if (response.ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`the records service did not start. Its output:\n${serverOutput}`);
}

async function stopServer(): Promise<void> {
  const child = server;
  const pid = child?.pid;
  if (!child || pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('close', r));
  try {
    process.kill(-pid, 'SIGTERM');
  } catch {
    return;
  }
  const timer = setTimeout(() => {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // gone
    }
  }, 5_000);
  await exited;
  clearTimeout(timer);
}

beforeAll(async () => {
  browser = await launchBrowser();
  dataDir = await mkdtemp(join(tmpdir(), 'kiosk-sync-e2e-'));
  const port = await freePort();
  base = `http://${HOST}:${port}`;
  server = spawn(join(ROOT, 'node_modules', '.bin', 'tsx'), ['server/main.ts'], {
    cwd: ROOT,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(port),
      HOST,
      DATA_DIR: dataDir,
      ADMIN_PASSWORD,
      STATIC_DIR: join(ROOT, 'dist'),
      LOG_LEVEL: 'warn',
      DATABASE_URL: '',
    },
  });
  const keep = (chunk: Buffer) => {
    serverOutput = (serverOutput + chunk.toString()).slice(-50_000);
  };
  server.stdout?.on('data', keep);
  server.stderr?.on('data', keep);
  await waitForHealth(base);
});

afterAll(async () => {
  await browser?.close();
  await stopServer();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

/**
 * The admin signs in and creates a one-time enrolment code, through the admin area's own forms, posted
 * with the request API of a browser context of their own (so its pages share the session cookie).
 * Not by clicking: in Chromium the admin pages' `Referrer-Policy: no-referrer` makes a form post carry
 * `Origin: null`, which the service's same-origin check refuses (reported to the server's owner).
 */
async function adminWithCode(): Promise<{ admin: Page; code: string }> {
  const context = await browser.newContext();
  const admin = await context.newPage();
  const headers = { Origin: base };
  const signedIn = await context.request.post(`${base}/admin/login`, {
    form: { username: 'admin', password: ADMIN_PASSWORD },
    headers,
  });
  expect(signedIn.ok()).toBe(true);
  const created = await context.request.post(`${base}/admin/codes`, { headers });
  expect(created.status()).toBe(201);
  const code = /<p class="code"[^>]*>([^<]+)<\/p>/.exec(await created.text())?.[1]?.trim() ?? '';
  expect(code.length).toBeGreaterThanOrEqual(6);
  return { admin, code };
}

/** The tablet's meetings by title: each one's id and how many events it holds. */
function tabletMeetings(page: Page): Promise<Record<string, { id: string; events: number }>> {
  return page.evaluate(async () => {
    const request = indexedDB.open('consent-kiosk');
    const db = await new Promise<IDBDatabase>((ok, fail) => {
      request.onsuccess = () => ok(request.result);
      request.onerror = () => fail(request.error);
    });
    const all = <T>(store: string) =>
      new Promise<T[]>((ok, fail) => {
        const rows = db.transaction(store).objectStore(store).getAll();
        rows.onsuccess = () => ok(rows.result);
        rows.onerror = () => fail(rows.error);
      });
    const meetings = await all<{ id: string; title: string }>('meetings');
    const events = await all<{ meetingId: string }>('events');
    db.close();
    return Object.fromEntries(
      meetings.map((m) => [m.title, { id: m.id, events: events.filter((e) => e.meetingId === m.id).length }]),
    );
  });
}

async function settle(page: Page, label: string) {
  await expectNoAxeViolations(page, label);
  await expectTouchTargets(page);
}

describe('the tablet and the records service', () => {
  it('a meeting run offline reaches the records service within seconds once the network returns', async () => {
    const { admin, code } = await adminWithCode();

    const page = await newTabletPage(browser);
    await page.goto(base);
    const kiosk = new KioskPage(page);
    await kiosk.heading(enGB.pin.setTitle).waitFor();
    await kiosk.choosePin();

    // Enrol in Settings: the address is the app's own origin already.
    await kiosk.button(enGB.settings.open).click();
    await kiosk.heading(enGB.sync.title).waitFor();
    await expect(page.getByLabel(enGB.sync.address, { exact: true }).inputValue()).resolves.toBe(base);
    // The tablet is named for the records team (issue 17), and enrolled with the code.
    await kiosk.enrol(code, 'Room 2 tablet');
    await settle(page, 'settings, enrolled');
    await kiosk.button(enGB.common.back).click();

    // The meeting runs with no network at all.
    await page.context().setOffline(true);
    await kiosk.setUpMeeting({
      title: 'Offline review for Jamie',
      kind: 'conversation',
      children: ['Jamie Doe'],
    });
    await page
      .getByTestId('sync-badge')
      .getByText(/waiting to send/)
      .waitFor();
    await settle(page, 'meeting, offline, waiting to send');
    await kiosk.addAttendee({ name: 'Sarah Doe', role: 'parent-carer', prFor: ['Jamie Doe'] });
    await kiosk.addAttendee({ name: 'Tom Reid', role: 'social-worker', agency: "Children's Services" });
    await kiosk.recordRequest({
      requester: 'Sarah Doe',
      reasons: ['memory'],
      purpose: 'To listen again later.',
    });
    await kiosk.handTo('Tom Reid');
    await kiosk.answerNo('Another family member’s health will be discussed.');
    await kiosk.chairTakesBack();
    await kiosk.heading(enGB.ready.title).waitFor();
    await kiosk.beginDiscussion();
    await kiosk.closeMeeting();
    const tabletMinute = await kiosk.minuteText();
    const tabletEvents = await page.evaluate(async () => {
      const request = indexedDB.open('consent-kiosk');
      const db = await new Promise<IDBDatabase>((ok, fail) => {
        request.onsuccess = () => ok(request.result);
        request.onerror = () => fail(request.error);
      });
      const rows = await new Promise<Array<{ id: string; meetingId: string }>>((ok, fail) => {
        const all = db.transaction('events').objectStore('events').getAll();
        all.onsuccess = () => ok(all.result);
        all.onerror = () => fail(all.error);
      });
      db.close();
      return rows.map((r) => ({ id: r.id, meetingId: r.meetingId }));
    });
    const meetingId = tabletEvents[0]?.meetingId ?? '';
    expect(tabletEvents.length).toBeGreaterThan(5);

    // Reloaded (still offline), the tablet boots to the PIN screen and opens nothing: being enrolled, it
    // starts the sync engine at boot by itself (the engine is not part of the first load).
    await page.reload();
    await kiosk.heading(enGB.pin.lockedTitle).waitFor();

    // The network returns: the events reach the service within seconds, without anyone pressing anything.
    const backOnline = Date.now();
    await page.context().setOffline(false);
    let held: Array<{ id: string }> = [];
    while (Date.now() - backOnline < 15_000) {
      const response = await admin.request.get(`${base}/admin/meetings/${meetingId}/events.json`);
      if (response.ok()) {
        held = (await response.json()) as Array<{ id: string }>;
        if (held.length === tabletEvents.length) break;
      }
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(held.map((e) => e.id)).toEqual(tabletEvents.map((e) => e.id));
    expect(Date.now() - backOnline).toBeLessThan(15_000);

    // The admin's minute entry says what the tablet's says.
    const minute = await admin.request.get(`${base}/admin/meetings/${meetingId}/minute.txt`);
    expect(minute.ok()).toBe(true);
    const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();
    expect(normalise(await minute.text())).toBe(normalise(tabletMinute));

    // The chair sees that everything is saved to the council's records.
    await kiosk.unlock();
    await kiosk.button(enGB.settings.open).click();
    await page.getByTestId('sync-pending').getByText('0', { exact: true }).waitFor();
    await settle(page, 'settings, all sent');
    assertNoPageErrors(page);
    await page.context().close();
    await admin.context().close();
  });
  it('a meeting the records service refuses does not hold back the next one, and the chair sees why in plain words', async () => {
    const { admin, code } = await adminWithCode();
    // No service worker, so that every sync request is the page's own and page.route sees it.
    const page = await newTabletPage(browser, LANDSCAPE, { serviceWorkers: 'block' });
    await page.goto(base);
    const kiosk = new KioskPage(page);
    await kiosk.heading(enGB.pin.setTitle).waitFor();
    await kiosk.choosePin();
    await kiosk.openSettings();
    await kiosk.enrol(code);
    await kiosk.button(enGB.common.back).click();

    // The records service is made to refuse one meeting: that meeting's sync requests reach the real service
    // with their first event altered on the way (page.route), so the service finds a record that does not
    // match its hash and refuses it (422) in its own words. Every other request passes untouched.
    const REFUSED = 'Review the service refuses';
    const SENT = 'Review sent as usual';
    const refusedIds = new Set<string>();
    let refusals = 0;
    const interfere = async (route: Route) => {
      const body = route.request().postDataJSON() as {
        events: Array<{ meetingId: string; type: string; payload: { meeting?: { title?: string } } }>;
      };
      for (const e of body.events) {
        if (e.type === 'meeting.opened' && e.payload.meeting?.title === REFUSED) refusedIds.add(e.meetingId);
      }
      const first = body.events[0];
      if (!first || !refusedIds.has(first.meetingId)) return route.continue();
      refusals += 1;
      first.payload = {
        ...first.payload,
        meeting: { ...first.payload.meeting, title: `${REFUSED} (altered)` },
      };
      const response = await route.fetch({ postData: JSON.stringify(body) });
      return route.fulfill({ response });
    };
    await page.route(`${base}/api/v1/sync`, interfere);

    const eventsHeld = async (meetingId: string): Promise<number> => {
      const response = await admin.request.get(`${base}/admin/meetings/${meetingId}/events.json`);
      return response.ok() ? ((await response.json()) as unknown[]).length : 0;
    };

    // The first meeting is refused: the chair is told so in the meeting's header, in plain words.
    await kiosk.setUpMeeting({ title: REFUSED, children: ['Jamie Doe'] });
    const plainWords = enGB.sync.error['bad-hash'];
    await kiosk.syncBadge().getByText(plainWords, { exact: false }).waitFor();
    await expect(kiosk.syncBadge().textContent()).resolves.toContain(
      enGB.sync.held.badge.replace(' {{reason}}', ''),
    );
    await settle(page, 'meeting, refused by the records service');
    await kiosk.addAttendee({ name: 'Tom Reid', role: 'social-worker', agency: "Children's Services" });
    await kiosk.addAttendee({ name: 'Priya Shah', role: 'chair', agency: "Children's Services" });
    await kiosk.button(enGB.request.startWithout).click();
    await kiosk.heading(enGB.during.title).waitFor();
    await kiosk.closeMeeting();
    await kiosk.button(enGB.minutes.backHome).click();

    // The second meeting reaches the records service, though the first is still refused.
    await kiosk.setUpMeeting({ title: SENT, children: ['Sam Doe'] });
    await kiosk.addAttendee({ name: 'Tom Reid', role: 'social-worker', agency: "Children's Services" });
    await kiosk.addAttendee({ name: 'Priya Shah', role: 'chair', agency: "Children's Services" });
    await kiosk.syncBadge().getByText(enGB.sync.badge.allSaved).waitFor();
    const onTablet = await tabletMeetings(page);
    const refusedId = onTablet[REFUSED]?.id ?? '';
    const sentId = onTablet[SENT]?.id ?? '';
    // "All saved" may show between two writes: wait until the service holds every event the tablet wrote.
    await vi.waitFor(async () => expect(await eventsHeld(sentId)).toBe(onTablet[SENT]?.events), {
      timeout: 20_000,
      interval: 250,
    });
    await expect(eventsHeld(refusedId)).resolves.toBe(0);
    expect(refusals).toBeGreaterThan(0);
    await kiosk.button(enGB.request.startWithout).click();
    await kiosk.heading(enGB.during.title).waitFor();
    await kiosk.closeMeeting();
    await kiosk.button(enGB.minutes.backHome).click();

    // Settings lists the refused meeting with the service's reason in plain words, and its own message.
    await kiosk.openSettings();
    const held = kiosk.heldMeetings();
    await held.getByText(REFUSED, { exact: true }).waitFor();
    await held.getByText(plainWords).waitFor();
    await held.getByText(/hash/i).first().waitFor();
    await settle(page, 'settings, a meeting not accepted');

    // An administrator has sorted it out (here: the requests are no longer altered); the chair tries again.
    await page.unroute(`${base}/api/v1/sync`, interfere);
    await kiosk.tryAgainToSend(REFUSED).click();
    await held.waitFor({ state: 'detached' });
    const refusedEvents = (await tabletMeetings(page))[REFUSED]?.events ?? -1;
    const deadline = Date.now() + 15_000;
    while ((await eventsHeld(refusedId)) < refusedEvents && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
    }
    await expect(eventsHeld(refusedId)).resolves.toBe(refusedEvents);
    await page.getByTestId('sync-pending').getByText('0', { exact: true }).waitFor();

    // The only console errors are the browser's own lines about the refused requests.
    const isRefusedLoad = (line: string) =>
      /Failed to load resource: the server responded with a status of 422/.test(line);
    expect(pageErrors(page).filter((line) => !isRefusedLoad(line))).toEqual([]);
    await page.context().close();
    await admin.context().close();
  }, 150_000); // two meetings, one after the other
});
