/**
 * Issue 16 in a real browser with a persistent profile and the real records service: a meeting with a
 * signature is closed, reaches the service sealed, stays readable on the tablet for the reading window,
 * and once the clock has passed the window nothing of it is left anywhere in the browser's storage: no
 * name and no signature point. Before the window has passed, the minute is the chair's alone (locked, or
 * in an attendee's hands, the tablet shows nothing of it). And the browser closed at any step between the
 * service storing a sealed batch and the tablet deleting the plaintext never loses the record.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type APIRequestContext, type BrowserContext, type Page, request } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enGB } from '../../src/shared/i18n/en-GB';
import { KioskPage } from './pages/kiosk';
import { countRows, dumpStorage, meetingRows, sealedState } from './pages/storageDump';
import { launchPersistentTablet } from './support/browser';
import { freePort } from './support/recordsService';

const HOST = '127.0.0.1';
const ADMIN_PASSWORD = 'sealing-e2e-admin-password';
const ROOT = resolve(import.meta.dirname, '..', '..');

let server: ChildProcess | null = null;
let serverOutput = '';
let dataDir = '';
let profileDir = '';
let base = '';
let admin: APIRequestContext;
const profiles: string[] = [];

async function until(condition: () => Promise<boolean>, what: string, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'kiosk-sealing-e2e-'));
  profileDir = await mkdtemp(join(tmpdir(), 'kiosk-sealing-profile-'));
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
  await until(
    async () => (await fetch(`${base}/api/v1/health`).catch(() => null))?.ok === true,
    `the records service to start. Its output:\n${serverOutput}`,
    // Its first start makes a key pair and a database: slow on a loaded machine.
    150_000,
  );
  // The administrator's browser, apart from the tablet's.
  admin = await request.newContext({ baseURL: base, extraHTTPHeaders: { Origin: base } });
  const login = await admin.post('/admin/login', { form: { username: 'admin', password: ADMIN_PASSWORD } });
  if (!login.ok()) throw new Error(`admin login failed: ${login.status()}`);
}, 180_000);

afterAll(async () => {
  await admin?.dispose();
  const pid = server?.pid;
  if (pid !== undefined && server?.exitCode === null) {
    const exited = new Promise((r) => server?.once('close', r));
    process.kill(-pid, 'SIGTERM');
    await exited;
  }
  for (const dir of [dataDir, profileDir, ...profiles])
    if (dir) await rm(dir, { recursive: true, force: true });
});

const CHILD = 'Jamie Doe';
const mother = { name: 'Sarah Doe', role: 'parent-carer', prFor: [CHILD] } as const;
const chair = { name: 'Priya Shah', role: 'chair', agency: "Children's Services" } as const;
const socialWorker = { name: 'Tom Reid', role: 'social-worker', agency: "Children's Services" } as const;
const TITLE = 'Review for Jamie Doe';
const NAMES = [CHILD, mother.name, chair.name, socialWorker.name, TITLE];

const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? '');
const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();

/** The tablet with this profile, opened at the app with its clock under the test's control. */
async function openTablet(
  profile: string,
): Promise<{ context: BrowserContext; page: Page; kiosk: KioskPage }> {
  const context = await launchPersistentTablet(profile);
  const page = context.pages()[0] ?? (await context.newPage());
  await page.clock.install();
  await page.goto(base);
  return { context, page, kiosk: new KioskPage(page) };
}

/** The chair chooses a PIN and enrols the tablet with a code from the admin area. */
async function setUpTablet(kiosk: KioskPage) {
  await kiosk.heading(enGB.pin.setTitle).waitFor();
  await kiosk.choosePin();
  const created = await admin.post('/admin/codes');
  const code = /<p class="code"[^>]*>([^<]+)<\/p>/.exec(await created.text())?.[1]?.trim() ?? '';
  await kiosk.openSettings();
  await kiosk.enrol(code);
  await kiosk.page
    .getByTestId('service-key-fingerprint')
    .getByText(/^\S{4}( \S{4}){4}$/)
    .waitFor();
  await kiosk.button(enGB.common.back).click();
}

/** The minute entry the records service holds for a meeting (empty when it holds none). */
async function serviceMinute(meetingId: string): Promise<string> {
  const res = await admin.get(`/admin/meetings/${meetingId}/minute.txt`);
  return res.ok() ? normalise(await res.text()) : '';
}

/** A short meeting, started without a request to record, closed with the PIN; returns its minute. */
async function shortMeeting(
  kiosk: KioskPage,
  title: string,
  people: ReadonlyArray<Parameters<KioskPage['addAttendee']>[0]>,
) {
  await kiosk.setUpMeeting({ title, children: [CHILD] });
  for (const p of people) await kiosk.addAttendee(p);
  await kiosk.button(enGB.request.startWithout).click();
  await kiosk.heading(enGB.during.title).waitFor();
  await kiosk.closeMeeting();
  return normalise(await kiosk.minuteText());
}

/** Every text of the page, shown or hidden (stricter than what a person reads on it). */
const onScreen = async (page: Page) => (await page.locator('body').textContent()) ?? '';

describe('a closed meeting on the tablet', () => {
  it('is sent sealed, readable for the window behind the PIN only, and after it nothing of it is left in the browser', async () => {
    const { context, page, kiosk } = await openTablet(profileDir);
    await setUpTablet(kiosk);

    await kiosk.setUpMeeting({ title: TITLE, children: [CHILD] });
    for (const p of [chair, mother, socialWorker]) await kiosk.addAttendee(p);
    await kiosk.recordRequest({ requester: mother.name, reasons: ['memory'] });
    await kiosk.confirmEligible(mother.name);
    await kiosk.handOverToSign(mother.name);
    await kiosk.sign();
    await kiosk.chairTakesBack();
    await kiosk.askAndAnswer(chair.name, 'yes');
    await kiosk.askAndAnswer(socialWorker.name, 'yes');
    await kiosk.finishScreening();
    await kiosk.beginDiscussion();
    await kiosk.closeMeeting();
    const tabletMinute = await kiosk.minuteText();

    // The service acknowledges the sealed batch; its minute entry is the tablet's.
    await until(async () => (await countRows(page, 'outbox')) === 0, 'the outbox to empty');
    const meetingId = await page.evaluate(async () => {
      const db = await new Promise<IDBDatabase>((ok, fail) => {
        const r = indexedDB.open('consent-kiosk');
        r.onsuccess = () => ok(r.result);
        r.onerror = () => fail(r.error);
      });
      const rows = await new Promise<Array<{ meetingId: string }>>((ok) => {
        const all = db.transaction('sealed').objectStore('sealed').getAll();
        all.onsuccess = () => ok(all.result);
      });
      db.close();
      return rows[0]?.meetingId ?? '';
    });
    expect(meetingId).not.toBe('');
    expect(await serviceMinute(meetingId)).toBe(normalise(tabletMinute));

    // Before the window has passed, the minute is the chair's alone. Locked by the chair: nothing of it.
    await kiosk.button(enGB.minutes.backHome).click();
    await kiosk.heading(enGB.home.title).waitFor();
    await kiosk.button(enGB.pin.lockNow).click();
    await page.getByLabel(enGB.pin.pinLabel).waitFor();
    for (const name of NAMES) expect(await onScreen(page)).not.toContain(name);
    // Back on a locked tablet does not reach it either.
    await kiosk.back();
    await page.getByLabel(enGB.pin.pinLabel).waitFor();
    for (const name of NAMES) expect(await onScreen(page)).not.toContain(name);
    // The browser restarted: the tablet opens locked.
    await kiosk.reload();
    await page.getByLabel(enGB.pin.pinLabel).waitFor();
    for (const name of NAMES) expect(await onScreen(page)).not.toContain(name);
    // After the PIN, the chair rereads it.
    await kiosk.unlock();
    await kiosk.heading(enGB.home.title).waitFor();
    await kiosk.button(fill(enGB.home.view, { title: TITLE })).click();
    expect(normalise(await kiosk.minuteText())).toBe(normalise(tabletMinute));
    await kiosk.button(enGB.minutes.backHome).click();

    // In an attendee's hands during the next meeting (other people), the tablet shows nothing of it.
    const next = { name: 'Ruth Kaye', role: 'parent-carer', prFor: ['Sam Kaye'] } as const;
    const nextChair = { name: 'Omar Idris', role: 'chair', agency: "Children's Services" } as const;
    await kiosk.setUpMeeting({ title: 'Review for Sam Kaye', children: ['Sam Kaye'] });
    for (const p of [nextChair, next]) await kiosk.addAttendee(p);
    await kiosk.recordRequest({ requester: next.name, reasons: ['memory'] });
    await kiosk.confirmEligible(next.name);
    await kiosk.handOverToSign(next.name);
    for (const name of NAMES) expect(await onScreen(page)).not.toContain(name);
    await kiosk.back();
    await kiosk.heading(enGB.undertaking.title).waitFor();
    for (const name of NAMES) expect(await onScreen(page)).not.toContain(name);

    // Within the window the record is still on the tablet, signature and all.
    const before = await dumpStorage(page);
    expect(before).toContain(mother.name);
    expect(before).toContain('"points"');

    // Nine hours later (the window is eight), the purge has run: nothing of the meeting is left.
    await page.clock.fastForward('09:00:00');
    await until(async () => (await meetingRows(page, 'events', meetingId)) === 0, 'the purge');
    const after = await dumpStorage(page);
    for (const name of NAMES) expect(after).not.toContain(name);
    expect(after).not.toContain('"points"');
    expect(after).not.toContain('"strokes"');
    await context.close();
  }, 180_000);
});

describe('the browser closed between the service storing a sealed batch and the tablet deleting the plaintext', () => {
  const people = [chair, mother] as const;

  /** Either whole on the tablet, or held by the service: never neither. */
  async function isNeverLost(page: Page, meetingId: string, minute: string) {
    const isWholeOnTablet = (await meetingRows(page, 'events', meetingId)) > 0;
    const isHeld = (await serviceMinute(meetingId)) === minute;
    expect(isWholeOnTablet || isHeld).toBe(true);
  }

  it('at each step the record ends up whole on the tablet or held by the service, then purged, never lost', async () => {
    const profile = await mkdtemp(join(tmpdir(), 'kiosk-sealing-crash-'));
    profiles.push(profile);
    let tablet = await openTablet(profile);
    await setUpTablet(tablet.kiosk);

    // Step 1: the service stores the sealed batch, and the browser closes before the tablet hears its answer.
    let stored: (meetingId: string) => void = () => undefined;
    const isStored = new Promise<string>((done) => {
      stored = done;
    });
    await tablet.context.route('**/api/v1/sync', async (route) => {
      const body = route.request().postData() ?? '';
      if (!body.includes('"sealed"')) return route.continue();
      await route.fetch();
      stored((JSON.parse(body) as { sealed: Array<{ meetingId: string }> }).sealed[0]?.meetingId ?? '');
      // No answer reaches the tablet: the context is closed while it waits.
    });
    const first = await shortMeeting(tablet.kiosk, 'First review', people);
    const firstId = await isStored;
    expect(await serviceMinute(firstId)).toBe(first);
    expect(await sealedState(tablet.page)).toEqual([{ meetingId: firstId, isAcked: false }]);
    await tablet.context.close();

    // Reopened: the tablet still holds it whole (and sealed, unacknowledged); the service holds it too.
    tablet = await openTablet(profile);
    await tablet.kiosk.unlock();
    await tablet.kiosk.heading(enGB.home.title).waitFor();
    expect(await meetingRows(tablet.page, 'events', firstId)).toBeGreaterThan(0);
    await isNeverLost(tablet.page, firstId, first);
    // The batch is sent again and acknowledged; the service's record is unchanged.
    await until(
      async () => (await sealedState(tablet.page)).every((b) => b.isAcked),
      'the sealed batch to be acknowledged',
    );
    expect(await serviceMinute(firstId)).toBe(first);

    // Step 2: acknowledged, and the browser closes before the window has passed (the plaintext is kept).
    const second = await shortMeeting(tablet.kiosk, 'Second review', people);
    await until(async () => (await countRows(tablet.page, 'outbox')) === 0, 'the outbox to empty');
    const secondId =
      (await sealedState(tablet.page)).map((b) => b.meetingId).find((id) => id !== firstId) ?? '';
    await until(async () => (await serviceMinute(secondId)) === second, 'the service to hold it');
    await tablet.context.close();

    tablet = await openTablet(profile);
    await tablet.kiosk.unlock();
    await tablet.kiosk.heading(enGB.home.title).waitFor();
    for (const [id, minute] of [
      [firstId, first],
      [secondId, second],
    ] as const) {
      expect(await meetingRows(tablet.page, 'events', id)).toBeGreaterThan(0);
      await isNeverLost(tablet.page, id, minute);
    }

    // Step 3: the window passes and the browser closes as the purge starts: never lost either way.
    await tablet.page.clock.fastForward('09:00:00');
    for (const [id, minute] of [
      [firstId, first],
      [secondId, second],
    ] as const)
      await isNeverLost(tablet.page, id, minute);
    await tablet.context.close();

    // Reopened with the window long past: the purge finishes; the service holds both, the tablet neither.
    tablet = await openTablet(profile);
    await tablet.page.clock.fastForward('09:00:00');
    await until(async () => (await countRows(tablet.page, 'events')) === 0, 'the purge');
    const left = await dumpStorage(tablet.page);
    for (const title of ['First review', 'Second review', chair.name, mother.name, CHILD])
      expect(left).not.toContain(title);
    expect(await serviceMinute(firstId)).toBe(first);
    expect(await serviceMinute(secondId)).toBe(second);
    await tablet.context.close();
  }, 300_000);
});
