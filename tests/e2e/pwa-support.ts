/**
 * Helpers for the PWA tests: a second production build, and a static server whose folder can be switched
 * while it runs, so "a new build is deployed" happens at the same origin. Earlier folders still answer for
 * files the current one lacks, as a real deployment keeps the previous release's assets.
 */
import { spawn } from 'node:child_process';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import type { Page } from 'playwright-core';

export const ROOT = new URL('../../', import.meta.url).pathname;

/** `vite build --outDir <outDir>` with KIOSK_BUILD_ID set, so the build differs from dist/. */
export function buildInto(outDir: string, buildId: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      join(ROOT, 'node_modules', '.bin', 'vite'),
      ['build', '--outDir', outDir, '--emptyOutDir'],
      {
        cwd: ROOT,
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, KIOSK_BUILD_ID: buildId, FORCE_COLOR: '0', NO_COLOR: '1' },
      },
    );
    let output = '';
    child.stdout.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.stderr.on('data', (c: Buffer) => {
      output += c.toString();
    });
    child.once('error', reject);
    child.once('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`vite build exited ${code}:\n${output.slice(-4000)}`)),
    );
  });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.webmanifest': 'application/manifest+json',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json',
  '.json': 'application/json',
};

export interface SwitchableServer {
  url: string;
  /** Serves `folder` from now on (earlier folders stay as a fallback for missing files). */
  deploy(folder: string): void;
  close(): Promise<void>;
}

async function fileIn(folder: string, path: string): Promise<string | null> {
  const full = join(folder, normalize(path).replace(/^([/\\])+/, ''));
  if (!full.startsWith(folder)) return null;
  try {
    return (await stat(full)).isFile() ? full : null;
  } catch {
    return null;
  }
}

export async function startSwitchableServer(folder: string): Promise<SwitchableServer> {
  const folders = [folder];
  const server: Server = createServer((req, res) => {
    void (async () => {
      const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
      if (path.startsWith('/api/')) {
        res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"no records service here"}');
        return;
      }
      let file: string | null = null;
      for (const f of folders) {
        file = await fileIn(f, path === '/' ? '/index.html' : path);
        if (file) break;
      }
      // An app route: the current release's shell, as `vite preview` does.
      if (!file && !extname(path)) file = await fileIn(folders[0] ?? folder, '/index.html');
      if (!file) {
        res.writeHead(404).end();
        return;
      }
      const isHashed = path.startsWith('/assets/');
      res.writeHead(200, {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'cache-control': isHashed ? 'public, max-age=31536000, immutable' : 'no-cache',
      });
      res.end(await readFile(file));
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    deploy(next) {
      folders.unshift(next);
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Waits until a service worker is active and controls the page (reloading once if the first load was not taken). */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
  });
  const isControlled = await page
    .waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 5_000 })
    .then(() => true)
    .catch(() => false);
  if (!isControlled) {
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
  }
}

/** The entry chunk the page is running, e.g. "/assets/index-AbC123.js": which release is loaded. */
export function runningEntry(page: Page): Promise<string> {
  return page.evaluate(() => {
    const script = document.querySelector<HTMLScriptElement>('script[type="module"][src]');
    return script ? new URL(script.src).pathname : '';
  });
}

/** The precache list in a built sw.js (generateSW writes `precacheAndRoute([{url:"…",revision:…},…])`). */
export function precachedUrls(swSource: string): string[] {
  return [
    ...swSource.matchAll(/\{\s*"?url"?\s*:\s*"([^"]+)"\s*,\s*"?revision"?\s*:\s*(?:"[^"]*"|null)\s*\}/g),
  ].map((m) => m[1] ?? '');
}

/** Width and height from a PNG's IHDR chunk. */
export function pngSize(bytes: Buffer): { width: number; height: number } {
  if (bytes.subarray(1, 4).toString('latin1') !== 'PNG') throw new Error('not a PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}
