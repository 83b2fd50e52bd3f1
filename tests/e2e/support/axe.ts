/**
 * Accessibility checks on the screen as it is now: axe (WCAG 2.2 AA tags) and 48x48 CSS px touch targets.
 */
import AxeBuilder from '@axe-core/playwright';
import type { Page } from 'playwright-core';

export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

type AxeResults = Awaited<ReturnType<AxeBuilder['analyze']>>;
type RunOptions = Parameters<AxeBuilder['options']>[0];

/**
 * Fails with one readable entry per violation and node: rule id, impact, target selectors, help.
 * Neither the kiosk nor the admin area has frames, so axe runs in the page itself (legacy mode) rather than
 * in each frame and then again in a blank page opened to join the frames' results: the same rules, about
 * five times faster on a shared two-core machine. Only violations are gathered (axe's resultTypes): the
 * passes and incomplete results, which nothing here reads, are not detailed node by node. axe is put into a
 * page once: the kiosk is one page, so later checks of its screens run the axe already there rather than
 * evaluating its half-megabyte source again.
 */
export async function expectNoAxeViolations(page: Page, label: string): Promise<void> {
  const options: RunOptions = {
    runOnly: { type: 'tag', values: AXE_TAGS },
    resultTypes: ['violations'],
  };
  const isInPage = await page.evaluate(
    () => typeof (window as unknown as { axe?: { run?: unknown } }).axe?.run === 'function',
  );
  const results: AxeResults = isInPage
    ? await page.evaluate(
        (options) =>
          (window as unknown as { axe: { run: (c: Document, o: unknown) => Promise<AxeResults> } }).axe.run(
            document,
            options,
          ),
        options,
      )
    : await new AxeBuilder({ page }).options(options).setLegacyMode().analyze();
  if (results.violations.length === 0) return;
  const lines = results.violations.map((v) => {
    const nodes = v.nodes
      .map((n) => {
        const summary = n.failureSummary ? `\n        ${n.failureSummary.replace(/\n/g, '\n        ')}` : '';
        return `      at ${n.target.map((t) => JSON.stringify(t)).join(' > ')}${summary}`;
      })
      .join('\n');
    return `  - ${v.id} [${v.impact ?? 'unknown'}]: ${v.help}\n    ${v.helpUrl}\n${nodes}`;
  });
  throw new Error(
    `axe found ${results.violations.length} violation(s) on "${label}" (${page.url()}):\n${lines.join('\n')}`,
  );
}

export const MIN_TARGET_PX = 48;

export interface SmallTarget {
  element: string;
  name: string;
  width: number;
  height: number;
  measured: 'element' | 'label';
}

/** Every visible control smaller than 48x48 CSS px (checkboxes and radios inside a <label> are measured by the label). */
export function findSmallTouchTargets(page: Page, min = MIN_TARGET_PX): Promise<SmallTarget[]> {
  return page.evaluate((min) => {
    const selector = [
      'button',
      'a[href]',
      '[role="link"]',
      'input:not([type="hidden"])',
      'select',
      'textarea',
      '[role="button"]',
    ].join(',');

    const visible = (el: Element) => {
      const rect = el.getBoundingClientRect();
      if (rect.width === 0 && rect.height === 0) return false;
      return el.checkVisibility({ visibilityProperty: true, opacityProperty: false });
    };

    const describe = (el: Element) => {
      let text = el.tagName.toLowerCase();
      if (el.id) text += `#${el.id}`;
      const type = el.getAttribute('type');
      if (type) text += `[type=${type}]`;
      const role = el.getAttribute('role');
      if (role) text += `[role=${role}]`;
      return text;
    };

    const nameOf = (el: Element) => {
      const label = el.getAttribute('aria-label');
      if (label) return label;
      const labelledBy = el.getAttribute('aria-labelledby');
      if (labelledBy) {
        return labelledBy
          .split(/\s+/)
          .map((id) => document.getElementById(id)?.textContent ?? '')
          .join(' ');
      }
      const labels = 'labels' in el ? (el as HTMLInputElement).labels : null;
      if (labels && labels.length > 0) return [...labels].map((l) => l.textContent ?? '').join(' ');
      return (
        el.textContent ||
        el.getAttribute('title') ||
        el.getAttribute('placeholder') ||
        el.getAttribute('name') ||
        ''
      );
    };

    const small: {
      element: string;
      name: string;
      width: number;
      height: number;
      measured: 'element' | 'label';
    }[] = [];
    for (const el of document.querySelectorAll(selector)) {
      let target: Element = el;
      let measured: 'element' | 'label' = 'element';
      if (el instanceof HTMLInputElement && (el.type === 'checkbox' || el.type === 'radio')) {
        const label = el.closest('label');
        if (label) {
          target = label;
          measured = 'label';
        }
      }
      if (!visible(target)) continue;
      const rect = target.getBoundingClientRect();
      // A hundredth of a pixel of slack for sub-pixel layout (e.g. 3rem at a fractional font size).
      if (rect.width + 0.01 >= min && rect.height + 0.01 >= min) continue;
      small.push({
        element: describe(el),
        name: nameOf(el).replace(/\s+/g, ' ').trim().slice(0, 80),
        width: Math.round(rect.width * 10) / 10,
        height: Math.round(rect.height * 10) / 10,
        measured,
      });
    }
    return small;
  }, min);
}

/** Fails listing every visible control (button, link, input, select, textarea, [role=button]) under 48x48 CSS px. */
export async function expectTouchTargets(page: Page, min = MIN_TARGET_PX): Promise<void> {
  const small = await findSmallTouchTargets(page, min);
  if (small.length === 0) return;
  const lines = small.map(
    (s) =>
      `  - ${s.element} "${s.name}": ${s.width}x${s.height}${s.measured === 'label' ? ' (its <label>)' : ''}`,
  );
  throw new Error(
    `${small.length} touch target(s) smaller than ${min}x${min} CSS px on ${page.url()} (viewport ${
      page.viewportSize()?.width
    }x${page.viewportSize()?.height}):\n${lines.join('\n')}`,
  );
}
