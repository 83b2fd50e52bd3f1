/**
 * Issue 16 in a real browser with a persistent profile and the real records service: a meeting with a
 * signature is closed, reaches the service sealed, stays readable on the tablet for the reading window,
 * and once the clock has passed the window nothing of it is left anywhere in the browser's storage: no
 * name and no signature point.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { enGB } from '../../src/shared/i18n/en-GB';
import { KioskPage } from './pages/kiosk';
import { countRows, dumpStorage } from './pages/storageDump';
import { launchPersistentTablet } from './support/browser';

const HOST = '127.0.0.1';
const ADMIN_PASSWORD = 'sealing-e2e-admin-password';
const ROOT = resolve(import.meta.dirname, '..', '..');

let server: ChildProcess | null = null;
let serverOutput = '';
let dataDir = '';
let profileDir = '';
let base = '';

function freePort(): Promise<number> {
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
    60_000,
  );
});

afterAll(async () => {
  const pid = server?.pid;
  if (pid !== undefined && server?.exitCode === null) {
    const exited = new Promise((r) => server?.once('close', r));
    process.kill(-pid, 'SIGTERM');
    await exited;
  }
  for (const dir of [dataDir, profileDir]) if (dir) await rm(dir, { recursive: true, force: true });
});

const CHILD = 'Jamie Doe';
const mother = { name: 'Sarah Doe', role: 'parent-carer', prFor: [CHILD] } as const;
const chair = { name: 'Priya Shah', role: 'chair', agency: "Children's Services" } as const;
const socialWorker = { name: 'Tom Reid', role: 'social-worker', agency: "Children's Services" } as const;
const TITLE = 'Review for Jamie Doe';
const NAMES = [CHILD, mother.name, chair.name, socialWorker.name, TITLE];

describe('a closed meeting on the tablet', () => {
  it('is sent sealed, readable for the window, and after it nothing of it is left in the browser', async () => {
    const context = await launchPersistentTablet(profileDir);
    const page = context.pages()[0] ?? (await context.newPage());
    await page.clock.install();
    await page.goto(base);
    const kiosk = new KioskPage(page);
    await kiosk.heading(enGB.pin.setTitle).waitFor();
    await kiosk.choosePin();

    const admin = context.request;
    const headers = { Origin: base };
    expect(
      (
        await admin.post(`${base}/admin/login`, {
          form: { username: 'admin', password: ADMIN_PASSWORD },
          headers,
        })
      ).ok(),
    ).toBe(true);
    const created = await admin.post(`${base}/admin/codes`, { headers });
    const code = /<p class="code"[^>]*>([^<]+)<\/p>/.exec(await created.text())?.[1]?.trim() ?? '';
    await kiosk.openSettings();
    await kiosk.enrol(code);
    await page
      .getByTestId('service-key-fingerprint')
      .getByText(/^\S{4}( \S{4}){4}$/)
      .waitFor();
    await kiosk.button(enGB.common.back).click();

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
    const minute = await admin.get(`${base}/admin/meetings/${meetingId}/minute.txt`);
    const normalise = (text: string) => text.replace(/\s+/g, ' ').trim();
    expect(normalise(await minute.text())).toBe(normalise(tabletMinute));

    // Within the window the record is still on the tablet, signature and all.
    const before = await dumpStorage(page);
    expect(before).toContain(mother.name);
    expect(before).toContain('"points"');

    // Nine hours later (the window is eight), the purge has run: nothing of the meeting is left.
    await page.clock.fastForward('09:00:00');
    await until(async () => (await countRows(page, 'events')) === 0, 'the purge');
    const after = await dumpStorage(page);
    for (const name of NAMES) expect(after).not.toContain(name);
    expect(after).not.toContain('"points"');
    expect(after).not.toContain('"strokes"');
    await context.close();
  }, 180_000);
});
