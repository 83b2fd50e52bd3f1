/**
 * Where a tap's time goes, phase by phase (a diagnostic, not a figure): the conference of
 * bench/interaction.ts at CPU x4 under a DevTools timeline trace; for each tap, from its input event to the
 * next frame's paint, the time in event handlers (script), style, layout, paint and compositing, for the
 * slowest taps.
 *
 *   BENCH_SKIP_BUILD=1 npx tsx bench/tapphases.ts
 */
import type { CDPSession, Locator } from 'playwright-core';
import { runConference } from '../tests/e2e/pages/conference';
import { KioskPage } from '../tests/e2e/pages/kiosk';
import { openTablet } from './support/browser';
import { sourceOf } from './support/sources';

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  tid: number;
  pid: number;
  args?: Record<string, unknown>;
}

const PHASES: Record<string, string> = {
  EventDispatch: 'event',
  FunctionCall: 'script',
  RunMicrotasks: 'script',
  TimerFire: 'script',
  FireAnimationFrame: 'script',
  UpdateLayoutTree: 'style',
  Layout: 'layout',
  PrePaint: 'paint',
  Paint: 'paint',
  Layerize: 'paint',
  UpdateLayer: 'paint',
  Commit: 'paint',
  ParseHTML: 'parse',
  HitTest: 'hittest',
  'V8.GC_SCAVENGER': 'gc',
  MinorGC: 'gc',
  MajorGC: 'gc',
};

const typeOf = (e: TraceEvent): string => ((e.args?.data ?? {}) as { type?: string }).type ?? '';

class TracedKiosk extends KioskPage {
  readonly taps: Array<{ name: string; from: number; to: number }> = [];
  override async tap(locator: Locator) {
    const name = ((await locator.textContent({ timeout: 5_000 }).catch(() => '')) ?? '').trim().slice(0, 40);
    const index = this.taps.length;
    const from = await this.page.evaluate((i) => {
      performance.mark(`tap:${i}`);
      return performance.now() + performance.timeOrigin;
    }, index);
    await locator.tap();
    await this.page.evaluate(
      () =>
        new Promise<void>((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 50)))),
    );
    const to = await this.page.evaluate(() => performance.now() + performance.timeOrigin);
    this.taps.push({ name, from, to });
    this.effort.taps += 1;
  }
}

async function trace(cdp: CDPSession, run: () => Promise<void>): Promise<TraceEvent[]> {
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => {
    events.push(...(e.value as unknown as TraceEvent[]));
  });
  const done = new Promise<void>((r) => cdp.once('Tracing.tracingComplete', () => r()));
  await cdp.send('Tracing.start', {
    categories: 'devtools.timeline,disabled-by-default-devtools.timeline,v8,blink.user_timing',
    transferMode: 'ReportEvents',
  });
  await run();
  await cdp.send('Tracing.end');
  await done;
  return events;
}

const tablet = await openTablet({
  initScript: () => {
    const w = window as unknown as { __events: Array<{ startTime: number; duration: number; name: string }> };
    w.__events = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as Array<PerformanceEventTiming & { interactionId: number }>)
        if (e.interactionId > 0)
          w.__events.push({
            startTime: e.startTime + performance.timeOrigin,
            duration: e.duration,
            name: e.name,
          });
    }).observe({ type: 'event', durationThreshold: 16, buffered: true } as PerformanceObserverInit);
  },
});
try {
  const kiosk = new TracedKiosk(tablet.page);
  await kiosk.choosePin();
  const cdp = await tablet.context.newCDPSession(tablet.page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  const events = await trace(cdp, () => runConference(kiosk));
  const timing = (await tablet.page.evaluate(
    () =>
      (window as unknown as { __events: Array<{ startTime: number; duration: number; name: string }> })
        .__events,
  )) as Array<{ startTime: number; duration: number; name: string }>;
  // Renderer main thread: the thread with the most EventDispatch events.
  const byThread = new Map<string, number>();
  for (const e of events)
    if (e.name === 'EventDispatch')
      byThread.set(`${e.pid}:${e.tid}`, (byThread.get(`${e.pid}:${e.tid}`) ?? 0) + 1);
  const main = [...byThread].sort((a, b) => b[1] - a[1])[0]?.[0];
  const mainEvents = events.filter(
    (e) => `${e.pid}:${e.tid}` === main && e.ph === 'X' && e.dur !== undefined,
  );
  // Trace ts is in µs on the monotonic clock; map performance time by the first EventDispatch of a tap.
  const rows = kiosk.taps.map((tap) => {
    const entries = timing.filter((e) => e.startTime >= tap.from && e.startTime <= tap.to);
    const ms = entries.reduce((m, e) => Math.max(m, e.duration), 0);
    return { ...tap, ms, entries };
  });
  // Align clocks: the trace's EventDispatch of type pointerdown nearest after each tap.
  const marks = new Map(
    events.filter((e) => e.name.startsWith('tap:')).map((e) => [Number(e.name.slice(4)), e.ts]),
  );
  const downs = rows.map((_, i) => {
    const mark = marks.get(i) ?? 0;
    return mainEvents.find(
      (e) =>
        e.ts > mark &&
        e.name === 'EventDispatch' &&
        (e.args?.data as { type?: string })?.type === 'pointerdown',
    );
  });
  const slow = [...rows].sort((a, b) => b.ms - a.ms).slice(0, Number(process.env.TAPS ?? 6));
  for (const tap of slow) {
    const index = rows.indexOf(tap);
    const down = downs[index];
    if (!down) continue;
    const start = down.ts;
    const end = start + tap.ms * 1000;
    const sums: Record<string, number> = {};
    const top: Array<[string, number]> = [];
    for (const e of mainEvents) {
      if (e.ts < start - 2000 || e.ts > end) continue;
      const phase = PHASES[e.name];
      if (phase) sums[phase] = (sums[phase] ?? 0) + (e.dur ?? 0) / 1000;
      if ((e.dur ?? 0) > 3000)
        top.push([`${e.name}${typeOf(e) ? `(${typeOf(e)})` : ''}`, (e.dur ?? 0) / 1000]);
    }
    console.log(
      `\n${tap.ms} ms "${tap.name}" (${tap.entries.map((e) => `${e.name} ${e.duration}`).join(', ')})`,
    );
    console.log(
      `  ${Object.entries(sums)
        .map(([k, v]) => `${k} ${v.toFixed(1)}`)
        .join('  ')}`,
    );
    console.log(`  ${top.map(([k, v]) => `${k} ${v.toFixed(1)}`).join('; ')}`);
    // Each task on the main thread from the input to the end of the interaction: when it started (ms after
    // pointerdown), how long it ran, and the functions it called (mapped to src/), longest first.
    const tasks = mainEvents.filter(
      (e) => e.name === 'RunTask' && e.ts >= start - 2000 && e.ts <= end && (e.dur ?? 0) > 1000,
    );
    for (const task of tasks) {
      const inside = mainEvents.filter(
        (e) => e.ts >= task.ts && e.ts + (e.dur ?? 0) <= task.ts + (task.dur ?? 0),
      );
      const calls = inside
        .filter(
          (e) =>
            e.name === 'FunctionCall' ||
            e.name === 'EventDispatch' ||
            e.name === 'TimerFire' ||
            e.name === 'FireAnimationFrame' ||
            e.name === 'UpdateLayoutTree' ||
            e.name === 'Layout' ||
            e.name === 'Paint' ||
            e.name === 'ParseHTML' ||
            e.name.startsWith('IndexedDB') ||
            e.name === 'V8.GC_SCAVENGER' ||
            e.name === 'MajorGC',
        )
        .map((e) => {
          const d = (e.args?.data ?? {}) as {
            functionName?: string;
            url?: string;
            lineNumber?: number;
            columnNumber?: number;
            type?: string;
          };
          const label = e.name === 'FunctionCall' ? sourceOf(d) : `${e.name}${d.type ? `(${d.type})` : ''}`;
          return `${label} ${((e.dur ?? 0) / 1000).toFixed(1)}`;
        });
      console.log(
        `    +${((task.ts - start) / 1000).toFixed(0)} ms, ${((task.dur ?? 0) / 1000).toFixed(1)} ms: ${calls.slice(0, 8).join(' | ')}`,
      );
    }
  }
} finally {
  await tablet.close();
}
