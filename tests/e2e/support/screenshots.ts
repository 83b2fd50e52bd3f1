/**
 * PNGs of the screen as it is now, named by the viewport: test-results/screenshots/<name>-<width>x<height>.png
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

/** test-results/ at the repository root (git-ignored). */
export const SCREENSHOT_DIR = fileURLToPath(new URL('../../../test-results/screenshots/', import.meta.url));

/** Writes the viewport (or the whole page with fullPage) and returns the file's path. */
export async function screenshot(
  page: Page,
  name: string,
  options: { fullPage?: boolean } = {},
): Promise<string> {
  const size = page.viewportSize();
  if (!size) throw new Error('screenshot: the page has no fixed viewport');
  const safe = name.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '') || 'screen';
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const path = join(SCREENSHOT_DIR, `${safe}-${size.width}x${size.height}.png`);
  await page.screenshot({ path, fullPage: options.fullPage ?? false, animations: 'disabled', caret: 'hide' });
  return path;
}

/** test-results/screens/<width>x<height>/<screen>.png: every screen at every supported size, to look at. */
export const SCREENS_DIR = fileURLToPath(new URL('../../../test-results/screens/', import.meta.url));

/** Writes the viewport to test-results/screens/<width>x<height>/<screen>.png and returns the path. */
export async function screenAtSize(page: Page, screen: string): Promise<string> {
  const size = page.viewportSize();
  if (!size) throw new Error('screenAtSize: the page has no fixed viewport');
  const dir = join(SCREENS_DIR, `${size.width}x${size.height}`);
  await mkdir(dir, { recursive: true });
  const path = join(dir, `${screen.replace(/[^A-Za-z0-9._-]+/g, '-')}.png`);
  // At CSS pixels (not the tablet's 2x): as readable to look at, and a quarter of the pixels to encode.
  await page.screenshot({ path, animations: 'disabled', caret: 'hide', scale: 'css' });
  return path;
}
