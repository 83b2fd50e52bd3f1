import { useT } from '../shared/i18n';
import type { Updater } from './register';
import { useUpdateState } from './useUpdate';
import './pwa.css';

/**
 * Tells the chair a new version is ready, and lets them apply it, only while no meeting is open: never during
 * a round or a signature. Until then the old version keeps running.
 */
export function UpdatePrompt({
  isMeetingOpen,
  updater,
}: {
  isMeetingOpen: boolean;
  updater: Updater | null;
}) {
  const t = useT();
  const { isUpdateReady, isApplying } = useUpdateState(updater);
  if (!updater || !isUpdateReady || isMeetingOpen) return null;
  return (
    <aside className="pwa-update" aria-labelledby="pwa-update-title">
      <p>
        <strong id="pwa-update-title">{t('pwa.updateReady')}</strong> {t('pwa.updateBody')}
      </p>
      <button type="button" className="primary" disabled={isApplying} onClick={() => updater.apply()}>
        {isApplying ? t('pwa.updating') : t('pwa.updateNow')}
      </button>
    </aside>
  );
}
