/**
 * Every screen at every supported size (issue 17): a walk records, for each screen it reaches, whether axe
 * finds anything, whether a control is under 48 CSS px, and whether the page scrolls sideways, and keeps a
 * numbered screenshot of it in test-results/screens/<width>x<height>/<nn>-<screen>.png to look at.
 */
import type { Page } from 'playwright-core';
import { enGB } from '../../../src/shared/i18n/en-GB';
import { expectNoAxeViolations, expectTouchTargets } from './axe';
import type { Viewport } from './browser';
import { screenAtSize } from './screenshots';

/** The sizes the kiosk and the admin area support: a tablet both ways, a larger tablet, a phone for a home visit. */
export const SIZES: readonly Viewport[] = [
  { width: 1024, height: 768 },
  { width: 768, height: 1024 },
  { width: 1280, height: 800 },
  { width: 360, height: 740 },
];

/**
 * A guidance reference is shown once on a screen: the outcome's reference and the step's own are the same
 * paragraph of the guidance at times (HCS 2.11 after a withdrawal), and the chair read "§ Guidance HCS 2.11"
 * twice, one under the other.
 */
export async function expectEachGuidanceOnce(page: Page): Promise<void> {
  const [before, after] = enGB.guidance.note.split('{{ref}}');
  const literal = (text = '') => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const notes = await page.getByText(new RegExp(`^${literal(before)}.+${literal(after)}$`)).allTextContents();
  const twice = notes.filter((note, i) => notes.indexOf(note) !== i);
  if (twice.length > 0) throw new Error(`shown more than once: ${[...new Set(twice)].join('; ')}`);
}

/** Fails naming the elements that stick out to the right when the page scrolls sideways. */
export async function expectNoSidewaysScroll(page: Page): Promise<void> {
  const found = await page.evaluate(() => {
    const root = document.documentElement;
    if (root.scrollWidth <= root.clientWidth) return null;
    const width = root.clientWidth;
    const wide: string[] = [];
    for (const el of document.body.querySelectorAll('*')) {
      const rect = el.getBoundingClientRect();
      if (rect.right <= width + 0.5 || rect.width === 0) continue;
      // Only the outermost offender of each branch: its children stick out because it does.
      const parent = el.parentElement?.getBoundingClientRect();
      if (parent && parent.right > width + 0.5 && wide.length > 0) continue;
      const id = el.id ? `#${el.id}` : '';
      const cls = typeof el.className === 'string' && el.className ? `.${el.className.split(' ')[0]}` : '';
      wide.push(`${el.tagName.toLowerCase()}${id}${cls} right edge ${Math.round(rect.right)}`);
      if (wide.length >= 5) break;
    }
    // A line of text that does not wrap sticks out of a box that itself fits: name the box it is in.
    const texts = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const range = document.createRange();
    for (let node = texts.nextNode(); node && wide.length < 5; node = texts.nextNode()) {
      range.selectNodeContents(node);
      const rect = range.getBoundingClientRect();
      if (rect.right <= width + 0.5 || rect.width === 0) continue;
      const box = node.parentElement;
      const cls =
        box && typeof box.className === 'string' && box.className ? `.${box.className.split(' ')[0]}` : '';
      wide.push(
        `text in ${box?.tagName.toLowerCase() ?? '?'}${cls} "${(node.textContent ?? '').trim().slice(0, 40)}" right edge ${Math.round(rect.right)}`,
      );
    }
    return { scrollWidth: root.scrollWidth, clientWidth: width, wide };
  });
  if (!found) return;
  throw new Error(
    `the page scrolls sideways by ${found.scrollWidth - found.clientWidth} px (${found.scrollWidth} > ${
      found.clientWidth
    }); widest: ${found.wide.join('; ')}`,
  );
}

/**
 * One walk through the screens at one size. `check` tests the screen as it is now and saves its picture;
 * a problem is kept (with the screen's name) and the walk goes on, so that one run lists every screen's
 * problems; `problems` is what the test asserts empty at the end.
 */
export class ScreenWalk {
  readonly problems: string[] = [];
  /** Milliseconds spent in each kind of check, to see what a slow walk spends its time on. */
  readonly spent: Record<string, number> = {};
  private count: number;

  constructor(
    readonly page: Page,
    first = 1,
  ) {
    this.count = first - 1;
  }

  get size(): string {
    const s = this.page.viewportSize();
    return s ? `${s.width}x${s.height}` : 'no viewport';
  }

  /** axe, 48 px targets and no sideways scroll on the screen as it is now; a numbered screenshot of it. */
  async check(screen: string, options: { axe?: boolean } = {}): Promise<void> {
    this.count += 1;
    const name = `${String(this.count).padStart(2, '0')}-${screen}`;
    const checks: Array<[string, () => Promise<void>]> = [
      ['no sideways scroll', () => expectNoSidewaysScroll(this.page)],
      ['touch targets', () => expectTouchTargets(this.page)],
      ['guidance once', () => expectEachGuidanceOnce(this.page)],
    ];
    if (options.axe !== false)
      checks.push(['axe', () => expectNoAxeViolations(this.page, `${screen} at ${this.size}`)]);
    checks.push(['screenshot', async () => void (await screenAtSize(this.page, name))]);
    for (const [what, run] of checks) {
      const started = performance.now();
      try {
        await run();
      } catch (error) {
        this.problems.push(`${this.size} ${name} (${what}): ${(error as Error).message}`);
      }
      this.spent[what] = (this.spent[what] ?? 0) + performance.now() - started;
    }
  }

  /** "axe 12.3 s, screenshot 4.1 s, …" for the walk so far. */
  timing(): string {
    return Object.entries(this.spent)
      .map(([what, ms]) => `${what} ${(ms / 1000).toFixed(1)} s`)
      .join(', ');
  }
}
