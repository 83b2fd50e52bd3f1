/**
 * Which recording state the chair is shown: one at a time. What it may say is a rule (a recording stopped
 * because the person recording left was never asked about again, so it must not read as permitted again),
 * so it is decided here, beside the statechart, not in the screen.
 */
import { type MeetingSnapshot, phaseOf } from './engine';

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
