/**
 * The installable, offline kiosk: the built service worker and manifest, a whole meeting with the network
 * off, and a new release deployed in the middle of a meeting (applied only once the meeting is closed).
 */
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { enGB } from '../../src/shared/i18n/en-GB';
import { KioskPage } from './pages/kiosk';
import {
  buildInto,
  pngSize,
  precachedUrls,
  ROOT,
  runningEntry,
  type SwitchableServer,
  startSwitchableServer,
  waitForServiceWorker,
} from './pwa-support';
import { expectNoAxeViolations, expectTouchTargets } from './support/axe';
import { assertNoPageErrors, launchBrowser, newTabletPage } from './support/browser';
import { screenshot } from './support/screenshots';

const baseURL = inject('baseURL');
const DIST = join(ROOT, 'dist');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const CHILD = 'Jamie Doe';
const mother = { name: 'Sarah Doe', role: 'parent-carer', prFor: [CHILD] } as const;
const chair = { name: 'Priya Shah', role: 'chair', agency: "Children's Services" } as const;
const socialWorker = { name: 'Tom Reid', role: 'social-worker', agency: "Children's Services" } as const;

async function checkScreen(page: Page, label: string, shot?: string) {
  await expectNoAxeViolations(page, label);
  await expectTouchTargets(page);
  if (shot) await screenshot(page, shot);
}

describe('the built dist/', () => {
  it('the service worker precaches index.html and every chunk, and never answers /api/ with the shell', async () => {
    const sw = await readFile(join(DIST, 'sw.js'), 'utf8');
    const urls = precachedUrls(sw);
    expect(urls).toContain('index.html');
    expect(urls).toContain('manifest.webmanifest');
    const assets = (await readdir(join(DIST, 'assets'))).filter((f) => /\.(js|css|woff2)$/.test(f));
    expect(assets.some((f) => f.startsWith('pdf-'))).toBe(true);
    for (const file of assets) expect(urls, `assets/${file} is precached`).toContain(`assets/${file}`);
    expect(new Set(urls).size).toBe(urls.length);
    expect(urls.some((u) => u.endsWith('.map'))).toBe(false);
    expect(sw).toContain('createHandlerBoundToURL("index.html")');
    expect(sw).toContain('denylist:[/^\\/api\\//,/^\\/admin(?:\\/|$)/]');
    expect(sw).not.toMatch(/self\.skipWaiting\(\)\s*[,;]\s*\w+\.clientsClaim/);
    // The minifier names the message parameter after the file's content (e.g. "e" or "s").
    expect(sw).toMatch(/"SKIP_WAITING"===(\w+)\.data\.type/);
  });

  it('the manifest is fit for a kiosk tablet and every icon it names exists at its stated size', async () => {
    const manifest = JSON.parse(await readFile(join(DIST, 'manifest.webmanifest'), 'utf8')) as {
      name: string;
      short_name: string;
      start_url: string;
      scope: string;
      display: string;
      theme_color: string;
      background_color: string;
      icons: Array<{ src: string; sizes: string; type: string; purpose?: string }>;
    };
    expect(manifest.name).toBe('Consent Kiosk');
    expect(manifest.short_name.length).toBeLessThanOrEqual(12);
    expect(manifest.start_url).toBe('/');
    expect(manifest.scope).toBe('/');
    expect(['fullscreen', 'standalone']).toContain(manifest.display);
    expect(manifest.theme_color).toMatch(/^#[0-9a-f]{6}$/i);
    expect(manifest.background_color).toMatch(/^#[0-9a-f]{6}$/i);
    const sizes = (purpose: string) =>
      manifest.icons.filter((i) => (i.purpose ?? 'any') === purpose).map((i) => i.sizes);
    expect(sizes('any')).toEqual(expect.arrayContaining(['192x192', '512x512']));
    expect(sizes('maskable')).toContain('512x512');
    for (const icon of manifest.icons) {
      expect(icon.type).toBe('image/png');
      const { width, height } = pngSize(await readFile(join(DIST, icon.src)));
      expect(`${width}x${height}`, icon.src).toBe(icon.sizes);
    }
    const html = await readFile(join(DIST, 'index.html'), 'utf8');
    expect(html).toContain('<link rel="manifest" href="/manifest.webmanifest">');
    expect(html).toMatch(/<meta name="theme-color" content="#[0-9a-f]{6}">/i);
    expect(html).toContain('rel="apple-touch-icon"');
  });
});

describe('offline', () => {
  it('loaded once online, the kiosk runs a whole meeting offline, signature and minute entry included', async () => {
    const page = await newTabletPage(browser);
    const context = page.context();
    try {
      await page.goto(baseURL);
      await waitForServiceWorker(page);
      await context.setOffline(true);
      await page.reload();
      const kiosk = new KioskPage(page);
      await kiosk.heading(enGB.pin.setTitle).waitFor();
      await kiosk.choosePin();
      await page.getByText(enGB.pwa.offline).first().waitFor();
      await checkScreen(page, 'home (offline)', 'pwa-home-offline');

      await kiosk.setUpMeeting({ title: 'Review for Jamie', children: [CHILD] });
      for (const p of [chair, mother, socialWorker]) await kiosk.addAttendee(p);
      await page.getByText(enGB.pwa.offline).first().waitFor();
      await kiosk.recordRequest({ requester: mother.name, reasons: ['memory'], purpose: 'To listen again.' });
      await kiosk.confirmEligible(mother.name);
      await kiosk.handOverToSign(mother.name);
      await kiosk.sign();
      await kiosk.chairTakesBack();
      await kiosk.askAndAnswer(chair.name, 'yes');
      await kiosk.askAndAnswer(socialWorker.name, 'yes');
      await kiosk.finishScreening();
      await kiosk.heading(enGB.ready.title).waitFor();
      await kiosk.beginDiscussion();
      await kiosk.startRecording();
      await kiosk.closeMeeting();
      const minutes = await kiosk.minuteText();
      expect(minutes).toContain('Sarah Doe (parent or carer) signed the undertaking');
      expect(minutes).toContain('Recording was permitted: everyone present agreed.');
      expect(minutes).toContain('Confirmed by Priya Shah, chair, on ');

      // The PDF export's chunk is loaded lazily, from the precache.
      const [file] = await Promise.all([
        page.waitForEvent('download'),
        kiosk.button(enGB.minutes.pdf).click(),
      ]);
      const bytes = await readFile((await file.path()) ?? '');
      expect(bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      assertNoPageErrors(page);

      // The records service's API is never answered with the app shell.
      const api = await page.evaluate(async () => {
        try {
          const response = await fetch('/api/v1/health');
          return `${response.status} ${response.headers.get('content-type')}`;
        } catch (error) {
          return `failed: ${String(error)}`;
        }
      });
      expect(api).toMatch(/^failed/);
      const other = await context.newPage();
      await expect(other.goto(new URL('/api/v1/meetings', baseURL).href)).rejects.toThrow();
      const shell = await context.newPage();
      await shell.goto(new URL('/some/app/route', baseURL).href);
      await shell.getByRole('heading').first().waitFor();
    } finally {
      await context.close();
    }
  });
});

describe('storage, for the chair', () => {
  it('Settings shows whether storage is kept and how much is used; the set-up screen warns when it is low', async () => {
    const page = await newTabletPage(browser);
    try {
      // A nearly full tablet: 1 GB quota, 990 MB used.
      await page.addInitScript(() => {
        navigator.storage.estimate = async () => ({ usage: 990e6, quota: 1e9 });
      });
      await page.goto(baseURL);
      const kiosk = new KioskPage(page);
      await kiosk.heading(enGB.pin.setTitle).waitFor();
      await kiosk.choosePin();
      await kiosk.button(enGB.settings.open).click();
      await kiosk.heading(enGB.pwa.deviceTitle).waitFor();
      await page.getByTestId('pwa-usage').getByText('990 MB of 1 GB').waitFor();
      const persistence = (await page.getByTestId('pwa-persistence').textContent()) ?? '';
      expect([enGB.pwa.persistent, enGB.pwa.notPersistent, enGB.pwa.persistUnknown]).toContain(persistence);
      await checkScreen(page, 'settings: this tablet', 'pwa-settings-storage');
      await kiosk.button(enGB.common.back).click();
      await kiosk.button(enGB.home.newMeeting).click();
      await page
        .getByRole('alert')
        .getByText(/nearly out of storage \(10 MB free\)/)
        .waitFor();
      await checkScreen(page, 'set up with low storage', 'pwa-setup-low-storage');
      assertNoPageErrors(page);
    } finally {
      await page.context().close();
    }
  });
});

describe('a new release deployed during a meeting', () => {
  let releaseB: string;
  let server: SwitchableServer;

  beforeAll(async () => {
    releaseB = await mkdtemp(join(tmpdir(), 'kiosk-release-b-'));
    await buildInto(releaseB, 'b');
    server = await startSwitchableServer(DIST);
  });
  afterAll(async () => {
    await server?.close();
    if (releaseB) await rm(releaseB, { recursive: true, force: true });
  });

  it('keeps running the old version until the meeting is closed, then offers the update; nothing is lost', async () => {
    const entryA = `/assets/${(await readdir(join(DIST, 'assets'))).find((f) => /^index-.*\.js$/.test(f))}`;
    const entryB = `/assets/${(await readdir(join(releaseB, 'assets'))).find((f) => /^index-.*\.js$/.test(f))}`;
    expect(entryB).not.toBe(entryA);

    const page = await newTabletPage(browser);
    const context = page.context();
    try {
      await page.goto(server.url);
      await waitForServiceWorker(page);
      const kiosk = new KioskPage(page);
      await kiosk.heading(enGB.pin.setTitle).waitFor();
      await kiosk.choosePin();
      await kiosk.setUpMeeting({ title: 'Review for Jamie', children: [CHILD] });
      for (const p of [chair, mother, socialWorker]) await kiosk.addAttendee(p);
      await kiosk.recordRequest({ requester: mother.name, reasons: ['memory'], purpose: 'To listen again.' });
      await kiosk.confirmEligible(mother.name);
      await kiosk.handOverToSign(mother.name);
      await kiosk.drawSignature();

      // Deploy release B mid-signature; the tablet finds it (as its periodic check would).
      server.deploy(releaseB);
      await page.evaluate(async () => {
        const registration = await navigator.serviceWorker.getRegistration();
        await registration?.update();
      });
      await page.waitForFunction(async () => {
        const registration = await navigator.serviceWorker.getRegistration();
        return Boolean(registration?.waiting);
      });
      expect(await kiosk.button(enGB.pwa.updateNow).count()).toBe(0);
      await kiosk.button(new RegExp(enGB.undertaking.sign)).click();
      await kiosk.chairTakesBack();
      await kiosk.askAndAnswer(chair.name, 'yes');

      // Even a reload mid-meeting stays on release A, and resumes the exact step.
      await page.reload();
      await kiosk.unlock();
      await kiosk.heading(enGB.round.title).waitFor();
      expect(await runningEntry(page)).toBe(entryA);
      await kiosk.askAndAnswer(socialWorker.name, 'yes');
      expect(await kiosk.button(enGB.pwa.updateNow).count()).toBe(0);
      await kiosk.finishScreening();
      await kiosk.beginDiscussion();
      expect(await kiosk.button(enGB.pwa.updateNow).count()).toBe(0);
      expect(await runningEntry(page)).toBe(entryA);
      await kiosk.closeMeeting();

      // Closed: now the chair is offered the update.
      const update = kiosk.button(enGB.pwa.updateNow);
      await update.waitFor();
      await checkScreen(page, 'minutes with the update prompt', 'pwa-update-prompt');
      const before = await kiosk.minuteText();
      expect(before).toContain('Sarah Doe (parent or carer) signed the undertaking');
      assertNoPageErrors(page);

      await Promise.all([page.waitForEvent('load'), update.click()]);
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
      expect(await runningEntry(page)).toBe(entryB);
      await kiosk.unlock();
      await kiosk.heading(enGB.home.title).waitFor();
      await kiosk.button(enGB.settings.open).click();
      await page.getByTestId('pwa-version').getByText('0.1.0+b').waitFor();
      await checkScreen(page, 'settings', 'pwa-settings');
      await kiosk.button(enGB.common.back).click();
      await kiosk
        .button(/Review for Jamie/)
        .first()
        .click();
      expect(await kiosk.minuteText()).toBe(before);
      assertNoPageErrors(page);
    } finally {
      await context.close();
    }
  });
});
