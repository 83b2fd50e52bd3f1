/**
 * Where the slowest taps of bench/interaction.ts spend their time (a diagnostic, not a figure): the same
 * conference at CPU x4, each tap under V8's sampling profiler (CDP Profiler), and for the slowest taps the
 * functions with the most self time, mapped through the build's source maps to src/ files and lines.
 * "(program)" is the browser's own work outside JavaScript (style, layout, paint, event dispatch).
 *
 *   npx tsx bench/taptrace.ts            (BENCH_SKIP_BUILD=1 to reuse dist/)
 */
import type { CDPSession, Locator } from 'playwright-core';
import { runConference } from '../tests/e2e/pages/conference';
import { KioskPage } from '../tests/e2e/pages/kiosk';
import { openTablet } from './support/browser';
import { sourceOf } from './support/sources';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
}
interface Profile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

/** Inclusive time (ms) by function for one profile: each sample counts once for every function on its stack. */
function inclusiveTimes(profile: Profile): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes as Array<ProfileNode & { children?: number[] }>)
    for (const c of n.children ?? []) parent.set(c, n.id);
  const times = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const node = byId.get(at);
      if (!node) break;
      const key = sourceOf(node.callFrame);
      if (seen.has(key)) continue;
      seen.add(key);
      times.set(key, (times.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
    }
  });
  return times;
}

/** Self time (ms) by function for one profile. */
function selfTimes(profile: Profile): Map<string, number> {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const times = new Map<string, number>();
  profile.samples.forEach((id, i) => {
    const node = byId.get(id);
    if (!node) return;
    const key = sourceOf(node.callFrame);
    times.set(key, (times.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
  return times;
}

class ProfiledKiosk extends KioskPage {
  readonly taps: Array<{ name: string; ms: number; profile: Profile }> = [];
  cdp: CDPSession | null = null;
  override async tap(locator: Locator) {
    const cdp = this.cdp;
    if (!cdp) return super.tap(locator);
    const name = (await locator.textContent({ timeout: 5_000 }).catch(() => '')) ?? '';
    await cdp.send('Profiler.start');
    const t0 = await this.page.evaluate(() => performance.now());
    await locator.tap();
    await this.page.evaluate(
      () =>
        new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 50)))),
    );
    const { profile } = (await cdp.send('Profiler.stop')) as { profile: Profile };
    const ms = await this.page.evaluate(
      (t0) =>
        ((window as unknown as { __events?: Array<{ startTime: number; duration: number }> }).__events ?? [])
          .filter((e) => e.startTime >= t0)
          .reduce((m, e) => Math.max(m, e.duration), 0),
      t0,
    );
    this.taps.push({ name: name.trim().slice(0, 50), ms, profile });
    this.effort.taps += 1;
  }
}

function hook() {
  const w = window as unknown as { __events: Array<{ startTime: number; duration: number }> };
  w.__events = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries() as Array<PerformanceEventTiming & { interactionId: number }>)
      if (e.interactionId > 0) w.__events.push({ startTime: e.startTime, duration: e.duration });
  }).observe({ type: 'event', durationThreshold: 16, buffered: true } as PerformanceObserverInit);
}

const tablet = await openTablet({ initScript: hook });
try {
  const kiosk = new ProfiledKiosk(tablet.page);
  await kiosk.choosePin();
  const cdp = await tablet.context.newCDPSession(tablet.page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: Number(process.env.RATE ?? 4) });
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  kiosk.cdp = cdp;
  await runConference(kiosk);
  const slowest = [...kiosk.taps].sort((a, b) => b.ms - a.ms).slice(0, Number(process.env.TAPS ?? 8));
  console.log(`taps: ${kiosk.taps.map((t) => t.ms).join(' ')}`);
  for (const tap of slowest) {
    const top = [...(process.env.INCLUSIVE ? inclusiveTimes(tap.profile) : selfTimes(tap.profile))]
      .filter(([k]) => !process.env.INCLUSIVE || k.includes('src/'))
      .filter(([k]) => k !== '(idle)')
      .sort((a, b) => b[1] - a[1])
      .slice(0, Number(process.env.LINES ?? 14));
    console.log(`\n${tap.ms} ms "${tap.name}"`);
    for (const [k, v] of top) console.log(`  ${v.toFixed(1).padStart(6)} ms  ${k}`);
  }
} finally {
  await tablet.close();
}
