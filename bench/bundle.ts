/**
 * Bundle: the JS and CSS that the tablet's first load transfers (gzip), against the floor of the fixed
 * dependencies built on their own in the same run. Prints a table and writes bench/results/bundle.json.
 * `--check` exits 1 when the first load is over BUDGET_RATIO x the floor (the deterministic CI check).
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

/** The target: at most 1.25x the floor. Not met yet (1.60x on 2026-11-22); see README, Performance. */
export const TARGET_RATIO = 1.25;
/**
 * What CI enforces: the ratio measured when the check was set (1.60x) plus a little headroom, so the first
 * load cannot grow unnoticed while the work towards the target goes on. Lower it as the first load shrinks.
 */
export const BUDGET_RATIO = 1.65;

const root = process.cwd();
const gz = (bytes: Buffer) => gzipSync(bytes, { level: 9 }).length;

async function firstLoadOf(dist: string): Promise<{ files: string[]; bytes: number }> {
  const html = await readFile(join(dist, 'index.html'), 'utf8');
  const refs = [
    ...html.matchAll(/<script[^>]+src="([^"]+)"/g),
    ...html.matchAll(/<link[^>]+rel="(?:modulepreload|stylesheet)"[^>]+href="([^"]+)"/g),
    ...html.matchAll(/<link[^>]+href="([^"]+)"[^>]+rel="(?:modulepreload|stylesheet)"/g),
  ].map((m) => m[1] ?? '');
  const files = [...new Set(refs)].filter((f) => /\.(js|css)$/.test(f) && !f.startsWith('http'));
  let bytes = 0;
  for (const f of files) bytes += gz(await readFile(join(dist, f.replace(/^\//, ''))));
  return { files, bytes };
}

async function floor(): Promise<number> {
  const out = join(root, 'node_modules/.cache/bench-floor');
  await build({
    configFile: false,
    logLevel: 'error',
    root,
    build: { outDir: out, emptyOutDir: true, rollupOptions: { input: join(root, 'bench/floor/entry.js') } },
  });
  const files = (await readdir(join(out, 'assets'))).filter((f) => f.endsWith('.js'));
  let bytes = 0;
  for (const f of files) bytes += gz(await readFile(join(out, 'assets', f)));
  return bytes;
}

async function main() {
  const isCheck = process.argv.includes('--check');
  await build({ root, logLevel: 'error' });
  const app = await firstLoadOf(join(root, 'dist'));
  const floorBytes = await floor();
  const lazy = (await readdir(join(root, 'dist/assets'))).filter(
    (f) => f.endsWith('.js') && !app.files.some((a) => a.endsWith(f)),
  );
  const pdfInFirstLoad = app.files.some((f) => /pdf/i.test(f));
  const ratio = app.bytes / floorBytes;
  const rows = [['first load JS+CSS (gzip)', app.bytes, floorBytes, ratio]] as const;
  console.log('figure                      value (B)   baseline (B)   ratio   target');
  for (const [name, value, base, r] of rows) {
    console.log(
      `${name.padEnd(27)} ${String(value).padStart(9)}   ${String(base).padStart(12)}   ${r.toFixed(2).padStart(5)}   <= ${TARGET_RATIO} (CI budget ${BUDGET_RATIO})`,
    );
  }
  console.log(`first-load files: ${app.files.join(', ')}`);
  console.log(`lazy chunks: ${lazy.join(', ')}; PDF code in first load: ${pdfInFirstLoad ? 'yes' : 'no'}`);
  await mkdir(join(root, 'bench/results'), { recursive: true });
  await writeFile(
    join(root, 'bench/results/bundle.json'),
    `${JSON.stringify({ firstLoadBytes: app.bytes, floorBytes, ratio, target: TARGET_RATIO, budget: BUDGET_RATIO, files: app.files, lazy, pdfInFirstLoad }, null, 2)}\n`,
  );
  if (isCheck && (ratio > BUDGET_RATIO || pdfInFirstLoad)) {
    console.error(
      `Bundle budget exceeded: ${ratio.toFixed(2)}x the floor (budget ${BUDGET_RATIO}x)${pdfInFirstLoad ? ', PDF code in the first load' : ''}.`,
    );
    process.exit(1);
  }
}

await main();
