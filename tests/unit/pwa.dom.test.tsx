// @vitest-environment jsdom
/**
 * The PWA's pieces in jsdom: the update prompt shows only when no meeting is open, the offline badge follows
 * the browser's online/offline events, and the wake lock is held while active and re-taken when visible again.
 */
import { act, cleanup, fireEvent, render, renderHook, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { OfflineIndicator } from '../../src/pwa/OfflineIndicator';
import { createUpdater, type Updater } from '../../src/pwa/register';
import { UpdatePrompt } from '../../src/pwa/UpdatePrompt';
import { useWakeLock } from '../../src/pwa/useWakeLock';
import '../../src/shared/i18n';
import { enGB } from '../../src/shared/i18n/en-GB';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

function readyUpdater(): { updater: Updater; skip: ReturnType<typeof vi.fn> } {
  let onWaiting: () => void = () => {};
  const skip = vi.fn();
  const updater = createUpdater({
    workbox: {
      addEventListener: (_t, l) => {
        onWaiting = l;
      },
      register: async () => ({}),
      update: async () => undefined,
      messageSkipWaiting: skip,
    },
    container: { addEventListener: () => {} },
    reload: () => {},
    isOnline: () => true,
    setInterval: () => 0,
    setTimeout: () => 0,
  });
  act(() => onWaiting());
  return { updater, skip };
}

describe('UpdatePrompt', () => {
  it('stays hidden while a meeting is open, then offers the update; the button applies it', () => {
    const { updater, skip } = readyUpdater();
    const { rerender } = render(<UpdatePrompt isMeetingOpen updater={updater} />);
    expect(screen.queryByRole('button', { name: enGB.pwa.updateNow })).toBeNull();
    rerender(<UpdatePrompt isMeetingOpen={false} updater={updater} />);
    expect(screen.getByRole('complementary', { name: enGB.pwa.updateReady })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: enGB.pwa.updateNow }));
    expect(skip).toHaveBeenCalledTimes(1);
    expect(screen.getByRole('button', { name: enGB.pwa.updating })).toHaveProperty('disabled', true);
  });

  it('shows nothing when there is no service worker', () => {
    const { container } = render(<UpdatePrompt isMeetingOpen={false} updater={null} />);
    expect(container.textContent).toBe('');
  });
});

describe('OfflineIndicator', () => {
  it('follows the online and offline events', () => {
    const onLine = vi.spyOn(navigator, 'onLine', 'get').mockReturnValue(true);
    render(<OfflineIndicator />);
    expect(screen.getByRole('status').textContent).toBe('');
    onLine.mockReturnValue(false);
    act(() => {
      window.dispatchEvent(new Event('offline'));
    });
    expect(screen.getByRole('status').textContent).toBe(enGB.pwa.offline);
    onLine.mockReturnValue(true);
    act(() => {
      window.dispatchEvent(new Event('online'));
    });
    expect(screen.getByRole('status').textContent).toBe('');
  });
});

describe('useWakeLock', () => {
  it('holds the screen on while active, re-requests it when the page is visible again, releases when done', async () => {
    const sentinels: Array<EventTarget & { released: boolean; release: () => Promise<void> }> = [];
    const request = vi.fn(async () => {
      const sentinel = Object.assign(new EventTarget(), {
        released: false,
        release: async () => {
          sentinel.released = true;
          sentinel.dispatchEvent(new Event('release'));
        },
      });
      sentinels.push(sentinel);
      return sentinel;
    });
    Object.defineProperty(navigator, 'wakeLock', { value: { request }, configurable: true });
    const { result, rerender } = renderHook(({ isActive }) => useWakeLock(isActive), {
      initialProps: { isActive: true },
    });
    await act(async () => {});
    expect(request).toHaveBeenCalledWith('screen');
    expect(result.current).toBe(true);

    // Hidden: the browser releases it; visible again: taken again.
    await act(async () => {
      await sentinels[0]?.release();
    });
    expect(result.current).toBe(false);
    await act(async () => {
      document.dispatchEvent(new Event('visibilitychange'));
    });
    expect(request).toHaveBeenCalledTimes(2);
    expect(result.current).toBe(true);

    rerender({ isActive: false });
    await act(async () => {});
    expect(sentinels[1]?.released).toBe(true);
    expect(result.current).toBe(false);
    Reflect.deleteProperty(navigator, 'wakeLock');
  });
});
