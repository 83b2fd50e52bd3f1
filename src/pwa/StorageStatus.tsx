import { useCallback, useEffect, useState } from 'react';
import { useT } from '../shared/i18n';
import { FullscreenButton } from './FullscreenButton';
import { getUpdater } from './register';
import { formatBytes, readStorage, requestPersistence, type StorageFacts } from './storage';
import { useOnline } from './useOnline';
import { useUpdateState } from './useUpdate';
import { APP_VERSION } from './version';
import './pwa.css';

/** The chair's Settings section for the device: storage kept or not, how much is used, version, updates. */
export function StorageStatus() {
  const t = useT();
  const isOnline = useOnline();
  const [facts, setFacts] = useState<StorageFacts | null>(null);
  const updater = getUpdater();
  const { lastCheckedAt } = useUpdateState(updater);
  const [isChecking, setChecking] = useState(false);

  const refresh = useCallback(() => {
    void readStorage().then(setFacts);
  }, []);
  useEffect(refresh, [refresh]);

  const persistence =
    facts === null
      ? t('pwa.checking')
      : facts.isPersistent === null
        ? t('pwa.persistUnknown')
        : facts.isPersistent
          ? t('pwa.persistent')
          : t('pwa.notPersistent');
  const used =
    facts === null
      ? t('pwa.checking')
      : facts.usage === null || facts.quota === null
        ? t('pwa.unknown')
        : t('pwa.usedOf', { used: formatBytes(facts.usage), quota: formatBytes(facts.quota) });

  return (
    <section aria-labelledby="pwa-device-title">
      <h2 id="pwa-device-title">{t('pwa.deviceTitle')}</h2>
      <dl className="facts">
        <dt>{t('pwa.storage')}</dt>
        <dd data-testid="pwa-persistence">{persistence}</dd>
        <dt>{t('pwa.used')}</dt>
        <dd data-testid="pwa-usage">{used}</dd>
        <dt>{t('pwa.connection')}</dt>
        <dd>{isOnline ? t('pwa.online') : t('pwa.offlineShort')}</dd>
        <dt>{t('pwa.version')}</dt>
        <dd data-testid="pwa-version">{APP_VERSION}</dd>
      </dl>
      <div className="row">
        {facts?.isPersistent === false && (
          <button type="button" className="secondary" onClick={() => void requestPersistence().then(refresh)}>
            {t('pwa.askPersist')}
          </button>
        )}
        {updater && (
          <button
            type="button"
            className="secondary"
            disabled={!isOnline || isChecking}
            onClick={() => {
              setChecking(true);
              void updater.check({ force: true }).finally(() => setChecking(false));
            }}
          >
            {isChecking ? t('pwa.checking') : t('pwa.checkUpdates')}
          </button>
        )}
        <FullscreenButton />
      </div>
      <p role="status">
        {lastCheckedAt !== null && !isChecking
          ? t('pwa.upToDate', {
              time: new Date(lastCheckedAt).toLocaleTimeString('en-GB', {
                hour: '2-digit',
                minute: '2-digit',
              }),
            })
          : ''}
      </p>
    </section>
  );
}
