/** For the chair, in the meeting's header: whether this meeting's record has reached the council's records. */
import { useT } from '../ui/i18n';
import { useMeetingSyncStatus } from './registry';
import { problemText, timeText } from './words';
import './sync.css';

export function SyncBadge({ meetingId }: { meetingId: string }) {
  const t = useT();
  const status = useMeetingSyncStatus(meetingId);
  let text = '';
  let isProblem = false;
  if (status) {
    if (status.pending === 0) {
      text = t('sync.badge.allSaved');
    } else if (status.phase === 'not-enrolled') {
      text = `${t('sync.badge.waiting', { count: status.pending })}. ${t('sync.badge.notEnrolled')}`;
    } else {
      const parts = [t('sync.badge.waiting', { count: status.pending })];
      if (status.lastError) {
        isProblem = true;
        parts.push(problemText(t, status.lastError));
      } else if (status.lastSuccessAt) {
        parts.push(t('sync.badge.lastSent', { time: timeText(status.lastSuccessAt) }));
      }
      text = parts.join('. ');
    }
  }
  return (
    <span
      role="status"
      className={isProblem ? 'sync-badge is-problem' : 'sync-badge'}
      data-testid="sync-badge"
    >
      {text}
    </span>
  );
}
