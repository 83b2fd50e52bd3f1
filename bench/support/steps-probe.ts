/**
 * Loaded into the records service by the load benchmark (`tsx --import ./bench/support/steps-probe.ts
 * server/main.ts`, with STEPS_FILE set): writes each accepted batch's per-step timings, as the sync path
 * publishes them, to STEPS_FILE as JSON lines stamped with the time, flushed once a second and at exit.
 * The service itself is unchanged: nothing is published while nobody subscribes.
 */
import { subscribe } from 'node:diagnostics_channel';
import { appendFileSync } from 'node:fs';
import type { SyncBatchMessage } from '../../server/sync';

/**
 * server/sync's SYNC_BATCH_CHANNEL, as a string: the probe then loads into an older service too (one that
 * publishes nothing), so a run of this benchmark can compare with it.
 */
const SYNC_BATCH_CHANNEL = 'consent-kiosk:sync:batch';

const file = process.env.STEPS_FILE;
if (file) {
  let lines: string[] = [];
  const flush = () => {
    if (lines.length === 0) return;
    appendFileSync(file, lines.join(''));
    lines = [];
  };
  subscribe(SYNC_BATCH_CHANNEL, (message) => {
    const m = message as SyncBatchMessage;
    lines.push(`${JSON.stringify({ t: Date.now(), events: m.events, ...m.timings })}\n`);
  });
  setInterval(flush, 1000).unref();
  process.on('exit', flush);
}
