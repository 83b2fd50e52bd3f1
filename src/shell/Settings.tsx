/**
 * The chair's settings, behind the PIN: one section per concern. Each section is a component owned by
 * its module (the device's storage by src/pwa, the records service by src/sync).
 */
import type { ReactNode } from 'react';
import { useT } from '../shared/i18n';

export function SettingsScreen({ onBack, children }: { onBack: () => void; children?: ReactNode }) {
  const t = useT();
  return (
    <main aria-labelledby="settings-title">
      <div className="row spread">
        <h1 id="settings-title">{t('settings.title')}</h1>
        <button type="button" className="secondary" onClick={onBack}>
          {t('common.back')}
        </button>
      </div>
      {children}
    </main>
  );
}
