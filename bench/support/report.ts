/**
 * The shape every benchmark reports in: rows of (figure, value, baseline, ratio, target), printed as a table
 * and written to bench/results/<name>.json (git ignores it). Benchmarks never fail on a time: a target that
 * is missed is printed as such, and the exit code stays 0.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';

export const ROOT = new URL('../../', import.meta.url).pathname;
export const RESULTS_DIR = join(ROOT, 'bench/results');

export interface Row {
  figure: string;
  /** The measured value, in `unit`. */
  value: number | null;
  /** The baseline measured in the same run, in `unit`; null when the figure has none. */
  baseline: number | null;
  /** value / baseline (or, for a ratio figure, the value itself). */
  ratio: number | null;
  unit: string;
  /** Human-readable target, e.g. "<= 1.5x raw". */
  target: string;
  /** Whether the target is met; null when the figure has no target or could not be measured. */
  met: boolean | null;
  note?: string;
}

export function row(r: Omit<Row, 'ratio' | 'met'> & { ratio?: number | null; met?: boolean | null }): Row {
  const ratio =
    r.ratio !== undefined
      ? r.ratio
      : r.value !== null && r.baseline !== null && r.baseline > 0
        ? r.value / r.baseline
        : null;
  return { ...r, ratio, met: r.met ?? null };
}

export function median(xs: readonly number[]): number {
  return quantile(xs, 0.5);
}

/** Nearest-rank quantile (p in 0..1) of a non-empty list. */
export function quantile(xs: readonly number[], p: number): number {
  if (xs.length === 0) return Number.NaN;
  const sorted = [...xs].sort((a, b) => a - b);
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length)));
  return sorted[rank - 1] as number;
}

function fmt(n: number | null, unit = ''): string {
  if (n === null || Number.isNaN(n)) return '–';
  if (Number.isInteger(n) && unit !== 'ms') return `${n}${unit ? ` ${unit}` : ''}`;
  const abs = Math.abs(n);
  const digits = abs >= 1000 ? 0 : abs >= 100 ? 1 : abs >= 1 ? 2 : 3;
  return `${n.toFixed(digits)}${unit ? ` ${unit}` : ''}`;
}

export function formatTable(rows: readonly (Row & { bench?: string })[]): string {
  const lines = rows.map((r) => [
    r.bench ? `${r.bench}: ${r.figure}` : r.figure,
    fmt(r.value, r.unit),
    fmt(r.baseline, r.baseline === null ? '' : r.unit),
    r.ratio === null ? '–' : `${r.ratio.toFixed(2)}x`,
    `${r.target}${r.met === null ? '' : r.met ? '  (met)' : '  (NOT met)'}`,
  ]);
  const header = ['figure', 'value', 'baseline', 'ratio', 'target'];
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const pad = (cells: string[]) =>
    cells
      .map((c, i) => (i === 0 || i === 4 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [pad(header), pad(widths.map((w) => '-'.repeat(w))), ...lines.map(pad)].join('\n');
}

/** Prints the table and notes, and writes bench/results/<name>.json. */
export async function report(
  name: string,
  rows: readonly Row[],
  details: Record<string, unknown> = {},
): Promise<void> {
  console.log(`\n${name}`);
  console.log(formatTable(rows));
  for (const r of rows) if (r.note) console.log(`  - ${r.figure}: ${r.note}`);
  await mkdir(RESULTS_DIR, { recursive: true });
  await writeFile(
    join(RESULTS_DIR, `${name}.json`),
    `${JSON.stringify({ name, measuredAt: new Date().toISOString(), machine: machine(), rows, details }, null, 2)}\n`,
  );
}

export function machine() {
  return {
    node: process.version,
    platform: process.platform,
    arch: process.arch,
    cpus: availableParallelism(),
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
