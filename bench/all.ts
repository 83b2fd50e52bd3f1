/**
 * Every benchmark in turn, each in a process of its own, then one combined table (also written to
 * bench/results/all.json). bundle.ts runs first and builds dist/; the browser benchmarks reuse that build
 * (BENCH_SKIP_BUILD=1). One throwaway PostgreSQL cluster serves ingest, load and flood, stopped at the end.
 * Benchmarks never fail on a time; the exit code is 1 only when a benchmark could not run at all.
 *
 *   npx tsx bench/all.ts        (npm run bench)
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { formatTable, machine, RESULTS_DIR, ROOT, type Row, row } from './support/report';
import { startPostgres } from './support/server';

const BENCHES = [
  'bundle',
  'ingest',
  'batchcost',
  'adminquery',
  'load',
  'flood',
  'tap',
  'interaction',
  'memory',
  'coldstart',
] as const;

function bundleRows(): Row[] {
  const r = JSON.parse(readFileSync(join(RESULTS_DIR, 'bundle.json'), 'utf8')) as {
    firstLoadBytes: number;
    floorBytes: number;
    target: number;
    budget: number;
    openMeeting?: { bytes: number };
  };
  const rows = [
    row({
      figure: 'first-load JS+CSS (gzip)',
      value: r.firstLoadBytes / 1024,
      baseline: r.floorBytes / 1024,
      unit: 'KiB',
      target: `<= ${r.target}x floor (CI budget ${r.budget}x)`,
      met: r.firstLoadBytes / r.floorBytes <= r.target,
    }),
  ];
  if (r.openMeeting) {
    rows.push(
      row({
        figure: 'first-load JS+CSS (gzip), enrolled tablet with a meeting open',
        value: r.openMeeting.bytes / 1024,
        baseline: r.floorBytes / 1024,
        unit: 'KiB',
        target: '',
        note: 'printed, not checked: the shell plus the meeting and sync chunks it loads at boot',
      }),
    );
  }
  return rows;
}

/** Runs bench/<name>.ts in a process of its own (async, so this process stays responsive), killed after 15 minutes. */
function runBench(
  name: string,
  env: NodeJS.ProcessEnv,
): Promise<{ status: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), [join('bench', `${name}.ts`)], {
      cwd: ROOT,
      stdio: 'inherit',
      env,
    });
    const timer = setTimeout(() => child.kill('SIGTERM'), 15 * 60_000);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.once('exit', (status, signal) => {
      clearTimeout(timer);
      resolve({ status, signal });
    });
  });
}

async function main() {
  const started = Date.now();
  const pg = await startPostgres();
  const env = {
    ...process.env,
    BENCH_SKIP_BUILD: '1',
    ...(pg ? { BENCH_DATABASE_URL: pg.url } : {}),
  };
  const combined: (Row & { bench: string })[] = [];
  const timings: Record<string, number> = {};
  let crashed = 0;
  try {
    for (const name of BENCHES) {
      console.log(`\n=== ${name} ===`);
      const t0 = Date.now();
      const resultFile = join(RESULTS_DIR, `${name}.json`);
      // A benchmark that ran has written its result file anew (even when its figures are unchanged).
      const writtenAt = () => (existsSync(resultFile) ? statSync(resultFile).mtimeMs : 0);
      const before = writtenAt();
      const run = await runBench(name, name === 'bundle' ? { ...env, BENCH_SKIP_BUILD: '0' } : env);
      timings[name] = Math.round((Date.now() - t0) / 1000);
      if (run.status !== 0 || writtenAt() === before) {
        crashed++;
        combined.push({
          bench: name,
          ...row({
            figure: 'did not run',
            value: null,
            baseline: null,
            unit: '',
            target: '',
            note: `exit ${run.status ?? run.signal}`,
          }),
        });
        continue;
      }
      const rows =
        name === 'bundle'
          ? bundleRows()
          : (JSON.parse(readFileSync(resultFile, 'utf8')) as { rows: Row[] }).rows;
      for (const r of rows) combined.push({ bench: name, ...r });
    }
  } finally {
    pg?.stop();
  }
  console.log(
    `\n=== all (${Math.round((Date.now() - started) / 1000)} s: ${Object.entries(timings)
      .map(([k, v]) => `${k} ${v} s`)
      .join(', ')}) ===`,
  );
  console.log(formatTable(combined));
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(
    join(RESULTS_DIR, 'all.json'),
    `${JSON.stringify({ measuredAt: new Date().toISOString(), machine: machine(), seconds: timings, rows: combined }, null, 2)}\n`,
  );
  if (crashed > 0) process.exitCode = 1;
}

await main();
