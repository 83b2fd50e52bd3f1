/**
 * Work that can wait until the first screen is on the glass: the start's main thread is the tablet's
 * bottleneck (a slow CPU), so what the first screen does not need runs after it has been painted.
 */
import { useEffect, useState } from 'react';

/**
 * The longest the wait lasts: a hidden page paints no frames, and what waits must still run (timers in a
 * hidden page fire at most once a second, which is soon enough).
 */
const AT_MOST_MS = 500;

/** Resolves after the next frame has been painted (a frame, then a task after it), or after AT_MOST_MS. */
export function afterPaint(): Promise<void> {
  return new Promise((resolve) => {
    const fallback = setTimeout(resolve, AT_MOST_MS);
    requestAnimationFrame(() => {
      // The frame's callbacks run before its paint; a task queued from one runs after it.
      setTimeout(() => {
        clearTimeout(fallback);
        resolve();
      }, 0);
    });
  });
}

/** False until the frame after the component's first render has been painted. */
export function useHasPainted(): boolean {
  const [hasPainted, setHasPainted] = useState(false);
  useEffect(() => {
    let isCurrent = true;
    void afterPaint().then(() => isCurrent && setHasPainted(true));
    return () => {
      isCurrent = false;
    };
  }, []);
  return hasPainted;
}

/**
 * Runs `work` when the tablet is idle (within `timeout` ms at the latest); Safari has no
 * requestIdleCallback, so a timeout of a second (or `timeout`, if shorter) stands in. Returns a function that calls it off.
 */
export function whenIdle(work: () => void, timeout = 5_000): () => void {
  if (typeof requestIdleCallback === 'function') {
    const id = requestIdleCallback(work, { timeout });
    return () => cancelIdleCallback(id);
  }
  const id = setTimeout(work, Math.min(1_000, timeout));
  return () => clearTimeout(id);
}
