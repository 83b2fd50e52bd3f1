import type { ReactNode } from 'react';
import { useIdle } from './useIdle';

/** The chair's screens lock themselves after this long without a touch or a key. */
export const IDLE_LOCK_MS = 5 * 60_000;

/** Wraps a chair's screen: calls `onIdle` after IDLE_LOCK_MS with no touch or key press. */
export function ChairIdleLock({ onIdle, children }: { onIdle: () => void; children: ReactNode }) {
  useIdle(IDLE_LOCK_MS, onIdle);
  return <>{children}</>;
}
