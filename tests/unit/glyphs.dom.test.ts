// @vitest-environment jsdom
/** The idle font warm-up (src/shell/glyphs.ts) leaves nothing on the page a person or a screen reader could meet. */
import { describe, expect, it, vi } from 'vitest';
import { layOut, layOutDateField, prepareGlyphs } from '../../src/shell/glyphs';

describe('fonts found while idle', () => {
  it('lays the characters out and takes them away in the same task: the page is as it was', () => {
    document.body.innerHTML = '<main><h1>Home</h1></main>';
    const before = document.body.innerHTML;
    const appended = vi.spyOn(document.body, 'append');
    layOut('✓🔊');
    expect(appended).toHaveBeenCalledTimes(1);
    const box = appended.mock.calls[0]?.[0] as HTMLElement;
    expect(box.getAttribute('aria-hidden')).toBe('true');
    expect(box.style.visibility).toBe('hidden');
    expect(box.textContent).toContain('✓🔊');
    expect(document.body.innerHTML).toBe(before);
  });

  it('lays a date-and-time field out unseen, out of reach, and takes it away: the page is as it was', () => {
    vi.restoreAllMocks();
    document.body.innerHTML = '<main><h1>Home</h1></main>';
    const before = document.body.innerHTML;
    const appended = vi.spyOn(document.body, 'append');
    layOutDateField();
    const box = appended.mock.calls[0]?.[0] as HTMLElement;
    expect(box.getAttribute('aria-hidden')).toBe('true');
    expect(box.hasAttribute('inert')).toBe(true);
    expect(box.querySelector('input')?.type).toBe('datetime-local');
    expect(document.body.innerHTML).toBe(before);
  });

  it('waits for the tablet to be idle, and can be called off before then', () => {
    vi.restoreAllMocks();
    vi.useFakeTimers();
    try {
      document.body.innerHTML = '';
      const appended = vi.spyOn(document.body, 'append');
      const cancel = prepareGlyphs('✓');
      expect(appended).not.toHaveBeenCalled();
      cancel();
      vi.runAllTimers();
      expect(appended).not.toHaveBeenCalled();
      prepareGlyphs('✓');
      vi.runAllTimers();
      expect(appended).toHaveBeenCalledTimes(1);
    } finally {
      vi.useRealTimers();
    }
  });
});
