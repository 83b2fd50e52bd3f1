import { useEffect, useRef } from 'react';

/** The history entry the kiosk keeps on top of its own page, so that Back lands on the page, not before it. */
const GUARD = { consentKiosk: 'back-guard' } as const;

const isGuard = (state: unknown) =>
  typeof state === 'object' &&
  state !== null &&
  (state as Record<string, unknown>).consentKiosk === GUARD.consentKiosk;

/**
 * Browser Back (or the tablet's back gesture) calls `onBack` instead of leaving the app: the kiosk keeps one
 * history entry of its own on top of the page and puts it back each time Back takes it away. What Back
 * means is decided by whoever holds the tablet (the chair's screens move back; no one leaves an open meeting).
 */
export function useBack(onBack: () => void): void {
  const callback = useRef(onBack);
  callback.current = onBack;
  useEffect(() => {
    // After a reload the entry is still there (history keeps its state): it is not added twice.
    if (!isGuard(window.history.state)) window.history.pushState(GUARD, '');
    const onPopState = (event: PopStateEvent) => {
      if (isGuard(event.state)) return; // Forward onto our own entry: nothing to do.
      window.history.pushState(GUARD, '');
      callback.current();
    };
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, []);
}
