/**
 * What the chair is shown about sealing (issue 16): before a meeting opens on a tablet with no records
 * service key, that its record stays readable on the tablet until it is enrolled; in Settings, the key's
 * fingerprint, to compare with the one the admin area shows.
 */
import { useLiveQuery } from 'dexie-react-hooks';
import { useT } from '../shared/i18n';
import type { KioskDb } from '../storage/db';
import { fingerprintOf } from './seal';
import { readServiceKey } from './serviceKey';

export function NotSealedNotice({ db }: { db: KioskDb }) {
  const t = useT();
  const key = useLiveQuery(() => readServiceKey(db), [db]);
  if (key !== null) return null;
  return (
    <p className="notice" role="note">
      {t('sealing.notEnrolled')}
    </p>
  );
}

export function ServiceKeyFingerprint({ db }: { db: KioskDb }) {
  const t = useT();
  const key = useLiveQuery(() => readServiceKey(db), [db]);
  if (key === undefined) return null;
  return (
    <section aria-labelledby="service-key-title">
      <h3 id="service-key-title">{t('sealing.keyTitle')}</h3>
      <p data-testid="service-key-fingerprint">{key ? fingerprintOf(key.keyId) : t('sealing.noKey')}</p>
    </section>
  );
}
