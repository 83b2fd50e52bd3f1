import { useEffect, useState } from 'react';
import { useT } from '../shared/i18n';
import { assessStorage, formatBytes, readStorage } from './storage';
import './pwa.css';

/** On the set-up screen: warns before a meeting is opened if the tablet is nearly out of storage. */
export function LowStorageWarning() {
  const t = useT();
  const [free, setFree] = useState<number | null>(null);
  useEffect(() => {
    let isCurrent = true;
    void readStorage().then((facts) => {
      if (isCurrent && assessStorage(facts) === 'low' && facts.quota !== null && facts.usage !== null)
        setFree(Math.max(0, facts.quota - facts.usage));
    });
    return () => {
      isCurrent = false;
    };
  }, []);
  if (free === null) return null;
  return (
    <p role="alert" className="pwa-warning">
      {t('pwa.lowStorage', { free: formatBytes(free) })}
    </p>
  );
}
