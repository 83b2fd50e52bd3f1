import { useEffect, useState } from 'react';

/**
 * Keeps the screen on while `isActive` (a meeting is open). The browser releases the lock whenever the page is
 * hidden, so it is requested again when the page is visible again. Where the API is missing or
 * refuses (iOS Home Screen apps, battery saver), the meeting simply goes on.
 */
export function useWakeLock(isActive: boolean): boolean {
  const [isHeld, setHeld] = useState(false);
  useEffect(() => {
    if (!isActive || typeof navigator === 'undefined' || !('wakeLock' in navigator)) return;
    let sentinel: WakeLockSentinel | null = null;
    let isCancelled = false;
    const acquire = async () => {
      if (document.visibilityState !== 'visible' || (sentinel && !sentinel.released)) return;
      try {
        const next = await navigator.wakeLock.request('screen');
        if (isCancelled) {
          await next.release();
          return;
        }
        sentinel = next;
        setHeld(true);
        next.addEventListener('release', () => {
          if (!isCancelled) setHeld(false);
        });
      } catch {
        setHeld(false);
      }
    };
    const onVisibility = () => {
      if (document.visibilityState === 'visible') void acquire();
    };
    void acquire();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      isCancelled = true;
      document.removeEventListener('visibilitychange', onVisibility);
      setHeld(false);
      void sentinel?.release().catch(() => undefined);
    };
  }, [isActive]);
  return isHeld;
}
