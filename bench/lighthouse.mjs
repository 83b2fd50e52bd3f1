/**
 * Lighthouse on the production build: builds into a temporary folder, serves it with `vite preview` on
 * 127.0.0.1, runs Lighthouse in Debian's Chromium (CHROMIUM_PATH to override) and prints the four category
 * scores, for the mobile (Lighthouse's default throttling) and desktop presets. Prints figures; never fails on them.
 *
 *   npm run lighthouse            # both presets
 *   npm run lighthouse -- mobile  # one preset
 *
 * Issue targets: performance >= 95, accessibility 100, best practices 100.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import lighthouse, { desktopConfig } from 'lighthouse';

const root = process.cwd();
const vite = join(root, 'node_modules', '.bin', 'vite');
const presets = process.argv.slice(2).filter((a) => a === 'mobile' || a === 'desktop');
const runs = presets.length > 0 ? presets : ['mobile', 'desktop'];
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'];

function run(args, env = {}) {
  return spawn(vite, args, {
    cwd: root,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_ENV: 'production', FORCE_COLOR: '0', ...env },
  });
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitFor(url, ms = 30_000) {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer`);
}

const outDir = await mkdtemp(join(tmpdir(), 'kiosk-lighthouse-'));
let preview;
let chrome;
let debugPort;
try {
  const build = run(['build', '--outDir', outDir, '--emptyOutDir']);
  let log = '';
  build.stdout.on('data', (c) => (log += c));
  build.stderr.on('data', (c) => (log += c));
  const code = await new Promise((resolve) => build.once('close', resolve));
  if (code !== 0) throw new Error(`vite build failed:\n${log}`);

  const port = await freePort();
  preview = run([
    'preview',
    '--outDir',
    outDir,
    '--host',
    '127.0.0.1',
    '--port',
    String(port),
    '--strictPort',
  ]);
  const url = `http://127.0.0.1:${port}/`;
  await waitFor(url);

  // Chromium started directly with a DevTools port (no extra launcher package).
  debugPort = await freePort();
  const profile = join(outDir, '.chromium-profile');
  chrome = spawn(
    process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    [
      '--headless=new',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      `--user-data-dir=${profile}`,
      `--remote-debugging-port=${debugPort}`,
      'about:blank',
    ],
    { stdio: 'ignore' },
  );
  await waitFor(`http://127.0.0.1:${debugPort}/json/version`);
  await mkdir(join(root, 'bench', 'results'), { recursive: true });
  const figures = {};
  for (const preset of runs) {
    const config = preset === 'desktop' ? desktopConfig : undefined;
    const result = await lighthouse(
      url,
      { port: debugPort, output: 'json', logLevel: 'error', onlyCategories: CATEGORIES },
      config,
    );
    if (!result) throw new Error('Lighthouse returned nothing');
    const { lhr } = result;
    figures[preset] = Object.fromEntries(
      CATEGORIES.map((id) => [id, Math.round((lhr.categories[id]?.score ?? 0) * 100)]),
    );
    const failing = Object.values(lhr.audits)
      .filter(
        (a) =>
          a.score !== null &&
          a.score < 1 &&
          a.scoreDisplayMode !== 'informative' &&
          a.scoreDisplayMode !== 'manual',
      )
      .filter((a) => a.scoreDisplayMode !== 'notApplicable')
      .map((a) => `${a.id} (${a.displayValue ?? a.score})`);
    console.log(`\nLighthouse ${lhr.lighthouseVersion}, ${preset}, ${url}`);
    for (const id of CATEGORIES) console.log(`  ${id.padEnd(16)} ${String(figures[preset][id]).padStart(3)}`);
    for (const m of [
      'first-contentful-paint',
      'largest-contentful-paint',
      'total-blocking-time',
      'cumulative-layout-shift',
    ])
      console.log(`  ${m.padEnd(26)} ${lhr.audits[m]?.displayValue ?? '-'}`);
    if (failing.length > 0) console.log(`  audits below 1: ${failing.join(', ')}`);
  }
  await writeFile(join(root, 'bench', 'results', 'lighthouse.json'), `${JSON.stringify(figures, null, 2)}\n`);
} finally {
  chrome?.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 500));
  if (preview?.pid) {
    try {
      process.kill(-preview.pid, 'SIGTERM');
    } catch {
      // gone
    }
  }
  await rm(outDir, { recursive: true, force: true });
}
