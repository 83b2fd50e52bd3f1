/**
 * Memory (issue 7, figure 6): the tablet's JS heap after opening and closing 50 meetings, against after 1,
 * in the real built app on a persistent-profile tablet. Each meeting goes through the UI (page model):
 * "Set up a new meeting", the form, create, add one attendee, "Close the meeting", confirm, the minute entry,
 * "Back to meetings". The heap is read on the home screen after three full collections
 * (CDP HeapProfiler.collectGarbage, then Runtime.getHeapUsage().usedSize). Target: under 1.5x.
 *
 *   npx tsx bench/memory.ts [--meetings 50]
 */
import { enGB } from '../src/shared/i18n/en-GB';
import { heapAfterGc, openTablet } from './support/browser';
import { report, row } from './support/report';

const MEETINGS = Number(
  process.argv.includes('--meetings') ? process.argv[process.argv.indexOf('--meetings') + 1] : 50,
);
const TARGET = 1.5;
const TIME_LIMIT_MS = 6 * 60_000;

async function main() {
  const tablet = await openTablet();
  const { kiosk } = tablet;
  try {
    await kiosk.choosePin();
    const home = await heapAfterGc(tablet.page);
    const started = Date.now();
    let done = 0;
    let afterOne = 0;
    const cycle: number[] = [];
    while (done < MEETINGS && Date.now() - started < TIME_LIMIT_MS) {
      const t0 = Date.now();
      await kiosk.setUpMeeting({ title: `Meeting ${done + 1}`, children: ['Jamie Doe'] });
      await kiosk.addAttendee({ name: 'Priya Shah', role: 'chair', agency: "Children's Services" });
      await kiosk.closeMeeting();
      await kiosk.button(enGB.minutes.backHome).click();
      await kiosk.heading(enGB.home.title).waitFor();
      cycle.push(Date.now() - t0);
      done++;
      if (done === 1) afterOne = await heapAfterGc(tablet.page);
      if (done % 10 === 0) console.log(`  ${done} meetings`);
    }
    const afterAll = await heapAfterGc(tablet.page);
    const MB = 1024 * 1024;
    const rows = [
      row({
        figure: `JS heap after ${done} meetings opened and closed`,
        value: afterAll / MB,
        baseline: afterOne / MB,
        unit: 'MB',
        target: `< ${TARGET}x after 1`,
        met: afterAll / afterOne < TARGET,
        note: `home screen before any meeting: ${(home / MB).toFixed(2)} MB; one meeting cycle through the UI takes ${Math.round(cycle.reduce((a, b) => a + b, 0) / cycle.length)} ms on average${done < MEETINGS ? `; stopped at ${done} of ${MEETINGS} (time limit)` : ''}`,
      }),
    ];
    await report('memory', rows, { meetings: done, home, afterOne, afterAll, cycleMs: cycle });
  } finally {
    await tablet.close();
  }
}

await main();
