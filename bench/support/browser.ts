/**
 * What the browser benchmarks share: the production build (built here unless BENCH_SKIP_BUILD=1, which
 * bench/all.ts sets after bundle.ts has built it), served from dist/ on 127.0.0.1 by the e2e tests'
 * static server, and Debian's Chromium as a tablet with a persistent profile (tests/e2e/support/browser.ts).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { enGB } from '../../src/shared/i18n/en-GB';
import { KioskPage } from '../../tests/e2e/pages/kiosk';
import { startSwitchableServer, waitForServiceWorker } from '../../tests/e2e/pwa-support';
import { launchPersistentTablet } from '../../tests/e2e/support/browser';
import { ROOT } from './report';

export const DIST = join(ROOT, 'dist');

/** `vite build` into dist/ (skipped when BENCH_SKIP_BUILD=1 and dist/index.html exists). */
export async function ensureBuild(): Promise<void> {
  if (process.env.BENCH_SKIP_BUILD === '1' && existsSync(join(DIST, 'index.html'))) return;
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(join(ROOT, 'node_modules/.bin/vite'), ['build', '--logLevel', 'error'], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1' },
    });
    let output = '';
    const keep = (c: Buffer) => {
      output += c.toString();
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`vite build exited ${code}:\n${output.slice(-4000)}`)),
    );
  });
  console.log(`vite build: ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

export const NAME_SHIM = 'globalThis.__name ??= (f) => f;';

export interface Tablet {
  url: string;
  context: BrowserContext;
  page: Page;
  kiosk: KioskPage;
  close: () => Promise<void>;
}

/** The built app served on 127.0.0.1 and opened in a persistent-profile tablet, its service worker in control. */
export async function openTablet(options: { initScript?: () => void } = {}): Promise<Tablet> {
  await ensureBuild();
  const server = await startSwitchableServer(DIST);
  const profile = mkdtempSync(join(tmpdir(), 'ck-bench-profile-'));
  const context = await launchPersistentTablet(profile);
  // tsx (esbuild, keepNames) wraps named functions in __name(…): give functions sent to the page that helper.
  await context.addInitScript({ content: NAME_SHIM });
  if (options.initScript) await context.addInitScript(options.initScript);
  const page = context.pages()[0] ?? (await context.newPage());
  await page.goto(server.url);
  const kiosk = new KioskPage(page);
  await kiosk.heading(enGB.pin.setTitle).waitFor();
  await waitForServiceWorker(page);
  return {
    url: server.url,
    context,
    page,
    kiosk,
    close: async () => {
      await context.close();
      await server.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** The JS heap in use after a full garbage collection (CDP HeapProfiler.collectGarbage, Runtime.getHeapUsage). */
export async function heapAfterGc(page: Page): Promise<number> {
  const cdp = await page.context().newCDPSession(page);
  try {
    for (let i = 0; i < 3; i++) await cdp.send('HeapProfiler.collectGarbage');
    const usage = await cdp.send('Runtime.getHeapUsage');
    return usage.usedSize;
  } finally {
    await cdp.detach();
  }
}
