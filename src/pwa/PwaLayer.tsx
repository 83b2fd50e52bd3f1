import { useEffect, useState } from 'react';
import type { KioskDb } from '../storage/db';
import type { Updater } from './register';
import { requestPersistence } from './storage';
import { UpdatePrompt } from './UpdatePrompt';
import { useHasOpenMeeting } from './useHasOpenMeeting';
import { useWakeLock } from './useWakeLock';

/**
 * Mounted once beside the kiosk: registers the service worker (loaded after the first screen: nothing of
 * it is needed to show it), asks for persistent storage, keeps the screen on while a meeting is open, and
 * shows the update prompt when none is.
 */
export function PwaLayer({ db }: { db: KioskDb }) {
  const [updater, setUpdater] = useState<Updater | null>(null);
  const hasOpenMeeting = useHasOpenMeeting(db);
  // Not yet known: no wake lock, and no update offered or applied.
  useWakeLock(hasOpenMeeting === true);
  useEffect(() => {
    void requestPersistence();
    let isCurrent = true;
    import('./register').then(
      (m) => isCurrent && setUpdater(m.startServiceWorker()),
      // Not fetched (offline, and not yet precached): the next start registers it.
      () => undefined,
    );
    return () => {
      isCurrent = false;
    };
  }, []);
  useEffect(() => {
    updater?.setMeetingOpen(hasOpenMeeting);
  }, [updater, hasOpenMeeting]);
  return <UpdatePrompt isMeetingOpen={hasOpenMeeting !== false} updater={updater} />;
}
