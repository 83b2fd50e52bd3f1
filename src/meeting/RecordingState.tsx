/**
 * Whether recording is on, as the chair's header shows it: one state at a time, in colour, with an icon and
 * words, large enough to read from across the table.
 */
import './messages';
import { type MeetingSnapshot, phaseOf } from '../domain/engine';
import { useT } from '../shared/i18n';
import { type MeetingSession, useMeetingSnapshot } from './session';

export type RecordingShown = 'on' | 'stop-now' | 'paused-permitted' | 'stopped-left' | 'off';

/** The one recording state to show now, or null before the discussion has begun with nothing recorded. */
export function recordingShown(snapshot: MeetingSnapshot): RecordingShown | null {
  const ctx = snapshot.context;
  const phase = phaseOf(snapshot);
  if (phase === 'discussing.recording') return 'on';
  if (ctx.recording === 'paused') {
    // Recording that stopped because the person recording left was never asked about again: saying
    // "permission has been given again" there would be untrue.
    if (ctx.pauseCause === 'requester-left') return 'stopped-left';
    return phase === 'discussing.paused' ? 'paused-permitted' : 'stop-now';
  }
  return ctx.hasDiscussionStarted ? 'off' : null;
}

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
