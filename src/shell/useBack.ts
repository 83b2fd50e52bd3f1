import { useEffect, useRef } from 'react';

/**
 * How many history entries the kiosk keeps on top of its own page. One would do for a single Back; a quick
 * double tap of the back gesture (or two Backs before the page has answered the first) would then go past the
 * page and leave the app. With several, each Back lands on one of ours and they are all put back.
 */
const DEPTH = 3;
const KEY = 'consentKiosk';

/** The depth of a history entry of ours (1..DEPTH), or 0 for the page's own entry or anyone else's. */
const depthOf = (state: unknown): number => {
  if (typeof state !== 'object' || state === null) return 0;
  const value = (state as Record<string, unknown>)[KEY];
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= DEPTH ? value : 0;
};

const pushFrom = (depth: number) => {
  for (let next = depth + 1; next <= DEPTH; next += 1) window.history.pushState({ [KEY]: next }, '');
};

/**
 * Browser Back (or the tablet's back gesture) calls `onBack` instead of leaving the app: the kiosk keeps a few
 * history entries of its own on top of the page and puts back each one that Back takes away. What Back
 * means is decided by whoever holds the tablet (the chair's screens move back; no one leaves an open meeting).
 */
export function useBack(onBack: () => void): void {
  const callback = useRef(onBack);
  callback.current = onBack;
  useEffect(() => {
    // After a reload our entries are still there (history keeps its state): they are not added twice.
    let top = depthOf(window.history.state);
    pushFrom(top);
    top = DEPTH;
    const onPopState = (event: PopStateEvent) => {
      const depth = depthOf(event.state);
      if (depth > top) {
        top = depth; // Forward onto our own entry: nothing to do.
        return;
      }
      pushFrom(depth);
      top = DEPTH;
      callback.current();
    };
    window.addEventListener('popstate', onPopState);
    return () => window.removeEventListener('popstate', onPopState);
  }, []);
}
