/**
 * Whether recording is on, as the chair's header shows it: one state at a time, in colour, with an icon and
 * words, large enough to read from across the table.
 */
import './messages';
import { type RecordingShown, recordingShown } from '../domain/recordingShown';
import { useT } from '../shared/i18n';
import { type MeetingSession, useMeetingSnapshot } from './session';

const WORDS = {
  on: 'during.recordingOn',
  'stop-now': 'paused.banner',
  'paused-permitted': 'during.recordingPausedPermitted',
  'stopped-left': 'during.recordingStopped',
  off: 'during.recordingOff',
} as const satisfies Record<RecordingShown, string>;

export function RecordingState({ session }: { session: MeetingSession }) {
  const t = useT();
  const shown = recordingShown(useMeetingSnapshot(session));
  if (!shown) return null;
  return (
    <div className={`recording-state ${shown}`} role="status" aria-label={t('recording.label')}>
      <span className="recording-icon" aria-hidden="true">
        {t(`recording.icon.${shown}`)}
      </span>
      <span>{t(WORDS[shown])}</span>
    </div>
  );
}
