import { useT } from '../shared/i18n';
import { useOnline } from './useOnline';
import './pwa.css';

/** For the chair: a badge while the browser is offline. The live region is always there so the change is announced. */
export function OfflineIndicator() {
  const t = useT();
  const isOnline = useOnline();
  return (
    <span role="status" className="pwa-offline">
      {isOnline ? '' : t('pwa.offline')}
    </span>
  );
}
