// @vitest-environment jsdom
/**
 * The kiosk lock's inactivity timer: the chair's screens lock themselves after a quiet period, and any
 * touch or key press starts the period again.
 */
import { act, render } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { useIdle } from '../../src/shell/useIdle';

function Probe({ ms, onIdle }: { ms: number; onIdle: () => void }) {
  useIdle(ms, onIdle);
  return null;
}

describe('the kiosk locks itself after inactivity', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('locks after the quiet period with no touch or key', () => {
    const onIdle = vi.fn();
    render(<Probe ms={300_000} onIdle={onIdle} />);
    act(() => vi.advanceTimersByTime(299_000));
    expect(onIdle).not.toHaveBeenCalled();
    act(() => vi.advanceTimersByTime(1_000));
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('a touch or a key press starts the quiet period again', () => {
    const onIdle = vi.fn();
    render(<Probe ms={300_000} onIdle={onIdle} />);
    act(() => vi.advanceTimersByTime(200_000));
    act(() => {
      window.dispatchEvent(new Event('pointerdown'));
    });
    act(() => vi.advanceTimersByTime(200_000));
    act(() => {
      window.dispatchEvent(new KeyboardEvent('keydown', { key: 'a' }));
    });
    act(() => vi.advanceTimersByTime(299_000));
    expect(onIdle).not.toHaveBeenCalled();
    act(() => vi.advanceTimersByTime(1_000));
    expect(onIdle).toHaveBeenCalledTimes(1);
  });

  it('stops counting once the screen is gone', () => {
    const onIdle = vi.fn();
    const { unmount } = render(<Probe ms={1_000} onIdle={onIdle} />);
    unmount();
    act(() => vi.advanceTimersByTime(5_000));
    expect(onIdle).not.toHaveBeenCalled();
  });
});
