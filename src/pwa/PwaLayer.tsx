import { useEffect, useState } from 'react';
import type { KioskDb } from '../storage/db';
import { startServiceWorker } from './register';
import { requestPersistence } from './storage';
import { UpdatePrompt } from './UpdatePrompt';
import { useHasOpenMeeting } from './useHasOpenMeeting';
import { useWakeLock } from './useWakeLock';

/**
 * Mounted once beside the kiosk: registers the service worker, asks for persistent storage, keeps the screen
 * on while a meeting is open, and shows the update prompt when none is.
 */
export function PwaLayer({ db }: { db: KioskDb }) {
  const [updater] = useState(startServiceWorker);
  const hasOpenMeeting = useHasOpenMeeting(db);
  // Not yet known: no wake lock, and no update offered.
  useWakeLock(hasOpenMeeting === true);
  useEffect(() => {
    void requestPersistence();
  }, []);
  return <UpdatePrompt isMeetingOpen={hasOpenMeeting !== false} updater={updater} />;
}
