/**
 * Everything for running a meeting, loaded on demand (src/ui/App.tsx, meetingChunk): setting one up, opening
 * one from its log, and the meeting's screens (the chair's and the attendees'). It brings the statechart and
 * the schemas of src/domain, the meeting store, signature_pad and the sync engine; the app shell does not.
 */
import { useState } from 'react';
import { phaseOf } from '../../domain/engine';
import type { Signature } from '../../domain/model';
import { requesterAwaitingUndertaking } from '../../domain/rules';
import { checkBeforeOpening } from '../../sealing/gate';
import type { KioskDb } from '../../storage/db';
import type { PinRecord } from '../../storage/pin';
import { ChairIdleLock } from '../components/ChairIdleLock';
import { MeetingSession, useMeetingSnapshot } from '../session';
import { AnswerScreen, UndertakingScreen } from './AttendeeScreens';
import { storeFor } from './kioskStore';
import { type LockReason, LockScreen } from './Lock';
import { ChairMeetingView, PausedNotice } from './MeetingView';
import type { NewMeeting } from './Setup';

export { NotSealedNotice } from '../../sealing/SealingNotices';
export { SetupScreen } from './Setup';

/** The meeting as its log says it is now, or null when the tablet has no such meeting. */
export async function openSession(
  db: KioskDb,
  deviceId: string,
  meetingId: string,
): Promise<MeetingSession | null> {
  const store = storeFor(db, deviceId);
  const loaded = await store.load(meetingId);
  return loaded ? new MeetingSession(store, meetingId, loaded.snapshot) : null;
}

/** Opens a new meeting with its first event; the machine's rejection (in plain words) when it is refused. */
export async function createMeeting(
  db: KioskDb,
  deviceId: string,
  m: NewMeeting,
): Promise<{ ok: true; meetingId: string } | { ok: false; message: string }> {
  // Issue 16: a revoked tablet, or one without room for a meeting, opens none.
  const gate = await checkBeforeOpening(db);
  if (!gate.ok) return { ok: false, message: gate.message };
  const result = await storeFor(db, deviceId).createMeeting({
    type: 'meeting.opened',
    payload: {
      meeting: { kind: m.kind, title: m.title, scheduledAt: m.scheduledAt, place: m.place },
      profileId: m.profileId,
      subjectChildren: m.children,
    },
  });
  if (!result.ok) return { ok: false, message: result.rejection.message };
  return { ok: true, meetingId: result.meetingId };
}

/**
 * Whose screen shows during a meeting. Someone holding the tablet to answer sees their own screen, even after
 * a reload; leaving it takes the chair's PIN.
 */
export function MeetingShell({
  session,
  initialLock,
  pin,
  onHome,
}: {
  session: MeetingSession;
  initialLock: LockReason | null;
  pin: PinRecord;
  onHome: () => void;
}) {
  const snapshot = useMeetingSnapshot(session);
  const phase = phaseOf(snapshot);
  const asking = snapshot.context.asking;
  const [lock, setLock] = useState<LockReason | null>(initialLock);
  const [isSigning, setSigning] = useState(false);
  // The strokes the signer has drawn, kept while the chair's PIN screen is up, until signed or cleared.
  const [draftSignature, setDraftSignature] = useState<Signature | null>(null);
  const [chairTookBack, setChairTookBack] = useState<string | null>(null);
  const [prevAsking, setPrevAsking] = useState(asking);
  const [hasSeenPause, setSeenPause] = useState(false);
  const isPaused =
    snapshot.context.recording === 'paused' &&
    snapshot.context.pauseCause === 'review' &&
    phase.startsWith('review');

  // Adjustments made while rendering (React's pattern for state that follows other state).
  if (asking !== prevAsking) {
    setPrevAsking(asking);
    // An answer was given: the tablet goes back to the chair, behind the PIN.
    if (prevAsking && !asking) setLock('handback');
  }
  // The requester signs at the undertaking step, or, for a request decided in advance, once they are here.
  const isSignable =
    requesterAwaitingUndertaking(snapshot.context) !== null &&
    (phase === 'review.undertaking' || phase === 'ready' || phase.startsWith('discussing'));
  if (isSigning && !isSignable) {
    setSigning(false);
    setDraftSignature(null);
    setLock('handback');
  }
  if (!isPaused && hasSeenPause) setSeenPause(false);

  const isAttendeeTurn = phase === 'review.round' && asking !== null && chairTookBack !== asking;
  if (isAttendeeTurn || (isSigning && isSignable)) {
    if (lock === 'chair') {
      return (
        <LockScreen
          reason="chair"
          record={pin}
          onUnlock={() => {
            setChairTookBack(asking);
            setSigning(false);
            setDraftSignature(null);
            setLock(null);
          }}
          onCancel={() => setLock(null)}
        />
      );
    }
    return isAttendeeTurn && asking ? (
      <AnswerScreen key={asking} session={session} attendeeId={asking} onChair={() => setLock('chair')} />
    ) : (
      <UndertakingScreen
        session={session}
        onChair={() => setLock('chair')}
        draft={draftSignature}
        onDraft={setDraftSignature}
      />
    );
  }
  if (lock) return <LockScreen reason={lock} record={pin} onUnlock={() => setLock(null)} />;
  if (isPaused && !hasSeenPause) return <PausedNotice onContinue={() => setSeenPause(true)} />;
  return (
    <ChairIdleLock onIdle={() => setLock('idle')}>
      <ChairMeetingView
        session={session}
        pin={pin}
        onHandOverForSigning={() => setSigning(true)}
        onHome={onHome}
        onLock={() => setLock('chair')}
      />
    </ChairIdleLock>
  );
}
