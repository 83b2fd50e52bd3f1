/**
 * Interaction latency (issue 17): every tap of three whole meetings, each on a new tablet (the chair's most
 * frequent path: a conference of seven set up, the request recorded, the round run, recording started)
 * measured with the Event Timing API, CPU throttled x4 (CDP Emulation.setCPUThrottlingRate), taps as touch
 * (locator.tap()).
 *
 * Each tap's latency is the longest `event` entry (pointerdown, pointerup, click) of its interaction: from
 * the input to the next frame painted after its handlers. The API reports only entries of 16 ms or more
 * (durationThreshold's floor), rounded to 8 ms; a tap it does not report counts as 16 ms.
 * Baseline, same runs, same throttling: a tap on a blank page's button with an empty click handler.
 * Target: p95 under 100 ms.
 *
 *   npx tsx bench/interaction.ts
 */
import type { Locator, Page } from 'playwright-core';
import { runConference } from '../tests/e2e/pages/conference';
import { KioskPage } from '../tests/e2e/pages/kiosk';
import { openTablet } from './support/browser';
import { median, quantile, report, row } from './support/report';

const RATE = 4;
const TARGET_MS = 100;
const FLOOR_MS = 16;
const BLANK_TAPS = 40;
/**
 * Whole meetings measured, each on a new tablet: the p95 of one meeting's 37 taps is its second slowest
 * tap, which moved by 30 ms from run to run on a quiet machine; the p95 of three meetings' taps together
 * (111) is steadier. BENCH_RUNS sets another number.
 */
const RUNS = Number(process.env.BENCH_RUNS ?? 3);

declare global {
  interface Window {
    __events?: Array<{ name: string; startTime: number; duration: number; interactionId: number }>;
  }
}

/** Runs in every page before its scripts: keeps every Event Timing entry of an interaction. */
function eventTimingHook() {
  window.__events = [];
  new PerformanceObserver((list) => {
    // interactionId is newer than TypeScript's DOM types.
    for (const e of list.getEntries() as Array<PerformanceEventTiming & { interactionId: number }>) {
      if (e.interactionId > 0)
        window.__events?.push({
          name: e.name,
          startTime: e.startTime,
          duration: e.duration,
          interactionId: e.interactionId,
        });
    }
    // 16 is FLOOR_MS: this function runs in the page, where the module's constants do not exist.
  }).observe({ type: 'event', durationThreshold: 16, buffered: true } as PerformanceObserverInit);
}

/** Taps, then waits for two frames and a little more so the observer has delivered the tap's entries. */
async function timedTap(page: Page, locator: Locator): Promise<{ ms: number; name: string }> {
  // The name is read before the tap: many controls are gone after it (a form's submit), and Playwright
  // would wait for them for ever.
  const name = (await locator.textContent({ timeout: 5_000 }).catch(() => '')) ?? '';
  const t0 = await page.evaluate(() => performance.now());
  await locator.tap();
  await page.evaluate(
    () =>
      new Promise<void>((resolve) =>
        requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(resolve, 50))),
      ),
  );
  const ms = await page.evaluate(
    (t0) =>
      (window.__events ?? [])
        .filter((e) => e.startTime >= t0)
        .reduce((longest, e) => Math.max(longest, e.duration), 0),
    t0,
  );
  return { ms: Math.max(ms, FLOOR_MS), name };
}

/** The page model, with each of its taps a touch tap timed by the Event Timing API. */
class TimedKiosk extends KioskPage {
  readonly taps: Array<{ ms: number; name: string }> = [];
  override async tap(locator: Locator) {
    this.taps.push(await timedTap(this.page, locator));
    this.effort.taps += 1;
  }
}

async function throttle(page: Page, rate: number) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate });
  return cdp;
}

/** One whole conference on a new tablet, then the blank page's taps in the same browser. */
async function oneRun(): Promise<{ taps: Array<{ ms: number; name: string }>; base: number[] }> {
  const tablet = await openTablet({ initScript: eventTimingHook });
  try {
    const kiosk = new TimedKiosk(tablet.page);
    await kiosk.choosePin();
    await throttle(tablet.page, RATE);
    await runConference(kiosk);

    // The baseline: a blank page in the same browser, the same throttling, the same touch input.
    const blank = await tablet.context.newPage();
    await blank.setContent('<button type="button" style="width:200px;height:80px">Tap</button>');
    await blank.evaluate(eventTimingHook);
    await blank.evaluate(() => document.querySelector('button')?.addEventListener('click', () => undefined));
    await throttle(blank, RATE);
    const button = blank.getByRole('button', { name: 'Tap' });
    const base: number[] = [];
    for (let i = 0; i < BLANK_TAPS; i++) base.push((await timedTap(blank, button)).ms);
    return { taps: kiosk.taps, base };
  } finally {
    await tablet.close();
  }
}

async function main() {
  const taps: Array<{ ms: number; name: string }> = [];
  const base: number[] = [];
  const perRun: number[] = [];
  for (let run = 0; run < RUNS; run++) {
    const result = await oneRun();
    // Built once (bench/support/browser.ts): the later meetings use the same build.
    process.env.BENCH_SKIP_BUILD = '1';
    taps.push(...result.taps);
    base.push(...result.base);
    perRun.push(
      quantile(
        result.taps.map((t) => t.ms),
        0.95,
      ),
    );
  }
  const app = taps.map((t) => t.ms);
  const slowest = [...taps].sort((a, b) => b.ms - a.ms).slice(0, 8);
  console.log(`slowest taps: ${slowest.map((t) => `${t.ms} ms "${t.name.trim().slice(0, 40)}"`).join('; ')}`);
  console.log(`p95 of each run: ${perRun.join(', ')} ms`);
  {
    const rows = [
      row({
        figure: `tap latency (Event Timing), CPU x${RATE}, p95 of ${app.length} taps (${RUNS} meetings)`,
        value: quantile(app, 0.95),
        baseline: quantile(base, 0.95),
        unit: 'ms',
        target: `< ${TARGET_MS} ms`,
        met: quantile(app, 0.95) < TARGET_MS,
        note: `baseline: a blank page's button, same runs, same throttling (${BLANK_TAPS} taps a run); under ${FLOOR_MS} ms counts as ${FLOOR_MS}; p95 of each meeting alone: ${perRun.join(', ')} ms`,
      }),
      row({
        figure: `tap latency (Event Timing), CPU x${RATE}, median`,
        value: median(app),
        baseline: median(base),
        unit: 'ms',
        target: '',
      }),
    ];
    await report('interaction', rows, { rate: RATE, runs: RUNS, taps, blank: base, perRun });
  }
}

await main();
