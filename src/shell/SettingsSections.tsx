/**
 * The sections of the chair's Settings (loaded on demand, with the sync engine they read): the device's
 * storage and updates (src/pwa) and the records service (src/sync).
 */
import { useEffect } from 'react';
import { storeFor } from '../meeting/kioskStore';
import { StorageStatus } from '../pwa/StorageStatus';
import { ServiceKeyFingerprint } from '../sealing/SealingNotices';
import type { KioskDb } from '../storage/db';
import { SyncSettings } from '../sync/SyncSettings';

export function SettingsSections({ db, deviceId }: { db: KioskDb; deviceId: string }) {
  // A tablet never enrolled has no engine until now; SyncSettings shows once it has one.
  useEffect(() => {
    storeFor(db, deviceId);
  }, [db, deviceId]);
  return (
    <>
      <StorageStatus />
      <SyncSettings />
      <ServiceKeyFingerprint db={db} />
    </>
  );
}
