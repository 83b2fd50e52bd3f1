/** For the chair, in the meeting's header: whether this meeting's record has reached the council's records. */
import { useSelector } from '@xstate/react';
import { useT } from '../shared/i18n';
import { useSync } from './registry';
import type { SyncHandle } from './service';
import { type SyncSnapshot, syncPhase } from './syncMachine';
import { problemText, timeText } from './words';
import './sync.css';

export function SyncBadge({ meetingId }: { meetingId: string }) {
  const sync = useSync();
  // Before sync has started (a moment at boot) the badge is empty but present, so the header does not jump.
  if (!sync) return <span role="status" className="sync-badge" data-testid="sync-badge" />;
  return <MeetingSyncBadge sync={sync} meetingId={meetingId} />;
}

function MeetingSyncBadge({ sync, meetingId }: { sync: SyncHandle; meetingId: string }) {
  const t = useT();
  const phase = useSelector(sync.actor, syncPhase);
  const pending = useSelector(sync.actor, (s: SyncSnapshot) => s.context.pending[meetingId] ?? 0);
  const held = useSelector(sync.actor, (s: SyncSnapshot) => s.context.quarantine[meetingId]);
  const lastError = useSelector(sync.actor, (s: SyncSnapshot) => s.context.lastError);
  const sentAt = useSelector(sync.actor, (s: SyncSnapshot) => s.context.sentAt[meetingId]);

  let text = '';
  let isProblem = false;
  if (phase === 'starting') {
    text = '';
  } else if (pending === 0) {
    text = t('sync.badge.allSaved');
  } else if (phase === 'not-enrolled') {
    text = `${t('sync.badge.waiting', { count: pending })}. ${t('sync.badge.notEnrolled')}`;
  } else {
    const parts = [t('sync.badge.waiting', { count: pending })];
    if (held) {
      isProblem = true;
      parts.push(t('sync.held.badge', { reason: problemText(t, held.problem) }));
    } else if (lastError) {
      isProblem = true;
      parts.push(problemText(t, lastError));
    } else if (sentAt) {
      parts.push(t('sync.badge.lastSent', { time: timeText(sentAt) }));
    }
    text = parts.join('. ');
  }
  return (
    <>
      <span
        role="status"
        className={isProblem ? 'sync-badge is-problem' : 'sync-badge'}
        data-testid="sync-badge"
      >
        {text}
      </span>
      {held && pending > 0 && (
        <button type="button" className="quiet" onClick={() => sync.retryMeeting(meetingId)}>
          {t('sync.held.tryAgain')}
        </button>
      )}
    </>
  );
}
