/**
 * Debian's Chromium driven by playwright-core, as a tablet: touch, 2x pixels, British locale and time.
 * Every page opened through here records uncaught errors and console errors; `assertNoPageErrors` fails on them.
 */
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core';

export interface Viewport {
  width: number;
  height: number;
}

export const LANDSCAPE: Viewport = { width: 1024, height: 768 };
export const PORTRAIT: Viewport = { width: 768, height: 1024 };

/** Nothing here downloads a browser: Debian's package, or CHROMIUM_PATH when set. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS: readonly string[] = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

function tabletOptions(viewport: Viewport): BrowserContextOptions {
  return {
    viewport: { width: viewport.width, height: viewport.height },
    screen: { width: viewport.width, height: viewport.height },
    deviceScaleFactor: 2,
    hasTouch: true,
    locale: 'en-GB',
    timezoneId: 'Europe/London',
  };
}

function isFaviconMiss(text: string, url: string): boolean {
  return text.startsWith('Failed to load resource') && new URL(url, 'http://x/').pathname === '/favicon.ico';
}

const problems = new WeakMap<Page, string[]>();

/** Starts recording `pageerror` and console errors for a page (idempotent). */
export function watchPage(page: Page): Page {
  if (problems.has(page)) return page;
  const list: string[] = [];
  problems.set(page, list);
  page.on('pageerror', (error) => {
    list.push(`pageerror: ${error.stack ?? error.message}`);
  });
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const { url, lineNumber } = message.location();
    // Chromium asks for /favicon.ico on its own, some time after load; that 404 is the browser's, not the app's.
    if (isFaviconMiss(message.text(), url)) return;
    list.push(`console.error: ${message.text()}${url ? ` (${url}:${lineNumber})` : ''}`);
  });
  page.on('crash', () => {
    list.push('page crashed');
  });
  return page;
}

/** Errors recorded so far on a page opened through this module. */
export function pageErrors(page: Page): readonly string[] {
  return problems.get(page) ?? [];
}

/** Fails, listing them, if the page has thrown an uncaught error or logged a console error. */
export function assertNoPageErrors(page: Page): void {
  if (!problems.has(page)) {
    throw new Error('assertNoPageErrors: this page was not opened through tests/e2e/support/browser.ts');
  }
  const list = pageErrors(page);
  if (list.length > 0) {
    throw new Error(`${list.length} error(s) on ${page.url()}:\n${list.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Headless Debian Chromium. Close it in afterAll. */
export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, headless: true, args: [...CHROMIUM_ARGS] });
}

/**
 * A page in a fresh context (its own storage) shaped like a tablet, with any other context `options`.
 * Close with `page.context().close()`.
 */
export async function newTabletPage(
  browser: Browser,
  viewport: Viewport = LANDSCAPE,
  options: BrowserContextOptions = {},
): Promise<Page> {
  const context = await browser.newContext({ ...tabletOptions(viewport), ...options });
  return watchPage(await context.newPage());
}

/**
 * A tablet whose profile lives in `userDataDir`, so IndexedDB survives closing and relaunching.
 * Use `context.pages()[0] ?? await context.newPage()`; every page is watched for errors. Close the context when done.
 */
export async function launchPersistentTablet(
  userDataDir: string,
  viewport: Viewport = LANDSCAPE,
): Promise<BrowserContext> {
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [...CHROMIUM_ARGS],
    ...tabletOptions(viewport),
  });
  for (const page of context.pages()) watchPage(page);
  context.on('page', watchPage);
  return context;
}
