/**
 * Everything for running a meeting, loaded on demand (src/shell/App.tsx, meetingChunk): setting one up, opening
 * one from its log, and the meeting's screens (the chair's and the attendees'). It brings the statechart and
 * the schemas of src/domain, the meeting store, signature_pad and the sync engine; the app shell does not.
 */
import './messages';
import { useSelector } from '@xstate/react';
import { useEffect } from 'react';
import { type Actor, createActor } from 'xstate';
import { checkBeforeOpening } from '../sealing/gate';
import { i18n } from '../shared/i18n';
import { ChairIdleLock } from '../shell/ChairIdleLock';
import { charactersOf, prepareGlyphs } from '../shell/glyphs';
import { type LockReason, LockScreen } from '../shell/Lock';
import { custodySetting } from '../storage/custody';
import type { KioskDb } from '../storage/db';
import type { PinRecord } from '../storage/pin';
import { claimPrepared } from '../sync/prepared';
import { browserDeps } from '../sync/start';
import { AnswerScreen, UndertakingScreen } from './AttendeeScreens';
import { prepareFormats } from './attendeeLanguage';
import { custodyMachine, isSameScreen, screenOf, viewOf } from './custodyMachine';
import { storeFor } from './kioskStore';
import { ChairMeetingView, PausedNotice } from './MeetingView';
import { prepareSpeech } from './ReadAloud';
import { prepareSentences } from './readAloudMachine';
import type { NewMeeting } from './Setup';
import { MeetingSession } from './session';

export { NotSealedNotice } from '../sealing/SealingNotices';
export { SetupScreen } from './Setup';

export type CustodyActor = Actor<typeof custodyMachine>;

/** An open meeting on the tablet: its log's state (`session`) and who holds the tablet (`custody`). */
export interface OpenMeeting {
  session: MeetingSession;
  custody: CustodyActor;
  /** Browser Back: true when it leaves the meeting for home (a closed meeting's minutes), else it stays. */
  back(): boolean;
  /** Stops following the meeting (the chair went home). */
  close(): void;
}

/**
 * The meeting as its log says it is now, with whoever held the tablet before a reload, or null when the
 * tablet has no such meeting. `lock`: the chair's PIN is needed before the chair's screens (after a reload),
 * or null (the chair opened the meeting from home).
 */
export async function openSession(
  db: KioskDb,
  deviceId: string,
  meetingId: string,
  lock: LockReason | null,
): Promise<OpenMeeting | null> {
  const store = storeFor(db, deviceId);
  const [loaded, saved] = await Promise.all([store.load(meetingId), custodySetting.read(db)]);
  if (!loaded) return null;
  const session = new MeetingSession(store, meetingId, loaded.snapshot, db);
  const custody = createActor(
    custodyMachine.provide({
      actions: {
        saveHolder: ({ context }, holder) =>
          void custodySetting
            .write(db, { meetingId, holder, tookBackFrom: context.tookBackFrom })
            .catch(() => undefined),
      },
    }),
    { input: { meetingId, view: viewOf(loaded.snapshot), saved: saved ?? null, lock } },
  );
  // Subscribed before any screen, so the holder has changed by the time a screen renders the new snapshot.
  const unsubscribe = session.subscribe(() =>
    custody.send({ type: 'meeting.changed', view: viewOf(session.snapshot) }),
  );
  custody.start();
  return {
    session,
    custody,
    back() {
      custody.send({ type: 'back' });
      return custody.getSnapshot().status === 'done';
    },
    close() {
      unsubscribe();
      custody.stop();
    },
  };
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

/** Signs the screens draw beside their words, outside the language's bundle (ReadAloud, AttendeeScreens). */
const ICONS_IN_SCREENS = '🔊✓✗';

/**
 * Opens a meeting prepared on the records service (issue 19): its verified log becomes the meeting's own (the
 * same ids, the same chain) with this tablet's claim of custody after it. Online, the claim is sent at once,
 * and a refusal (another tablet has the meeting) leaves nothing opened; offline, the claim goes with the
 * ordinary sync.
 */
export async function openPrepared(
  db: KioskDb,
  deviceId: string,
  meetingId: string,
): Promise<{ ok: true } | { ok: false; message: string }> {
  const gate = await checkBeforeOpening(db);
  if (!gate.ok) return { ok: false, message: gate.message };
  const prepared = await db.prepared.get(meetingId);
  if (!prepared) return { ok: false, message: i18n.t('prepared.notPrepared') };
  const deps = browserDeps(db);
  const result = await storeFor(db, deviceId).adopt(
    prepared.events,
    { type: 'custody.claimed', payload: {} },
    (event) => claimPrepared(deps, event),
  );
  return result.ok ? { ok: true } : { ok: false, message: result.rejection.message };
}

/** Whose screen shows during a meeting, as the custody machine says (see custodyMachine.ts). */
export function MeetingShell({
  meeting,
  pin,
  onHome,
}: {
  meeting: OpenMeeting;
  pin: PinRecord;
  onHome: () => void;
}) {
  const { session, custody } = meeting;
  const screen = useSelector(custody, screenOf, isSameScreen);
  const draft = useSelector(custody, (s) => s.context.draft);
  const isLeft = screen.kind === 'left';
  useEffect(() => {
    if (isLeft) onHome();
  }, [isLeft, onHome]);
  const chair = () => custody.send({ type: 'chair.requested' });
  // The attendees' screens read aloud in sentences and show dates: their segmenter and formats are made
  // before anyone needs them, and the fonts for the language's characters (🔊, ✓) are found while the
  // chair's screen is idle (src/shell/glyphs.ts).
  useEffect(() => {
    const cancelSentences = prepareSentences(i18n.language);
    const cancelSpeech = prepareSpeech();
    const cancelFormats = prepareFormats(i18n.language);
    const cancelGlyphs = prepareGlyphs(
      charactersOf([i18n.getResourceBundle(i18n.language, 'translation'), ICONS_IN_SCREENS]),
    );
    return () => {
      cancelSentences();
      cancelSpeech();
      cancelFormats();
      cancelGlyphs();
    };
  }, []);

  switch (screen.kind) {
    case 'attendee':
    case 'signer':
      if (screen.isPinUp)
        return (
          <LockScreen
            reason="chair"
            onUnlock={() => custody.send({ type: 'pin.unlocked' })}
            onCancel={() => custody.send({ type: 'pin.cancelled' })}
          />
        );
      return screen.kind === 'attendee' ? (
        <AnswerScreen
          key={screen.attendeeId}
          session={session}
          attendeeId={screen.attendeeId}
          onChair={chair}
        />
      ) : (
        <UndertakingScreen
          session={session}
          onChair={chair}
          draft={draft}
          onDraft={(signature) => custody.send({ type: 'draft', signature })}
        />
      );
    case 'locked':
      return <LockScreen reason={screen.reason} onUnlock={() => custody.send({ type: 'pin.unlocked' })} />;
    case 'pauseNotice':
      return <PausedNotice onContinue={() => custody.send({ type: 'pause.seen' })} />;
    case 'left':
      return null;
    case 'chair':
      return (
        <ChairIdleLock onIdle={() => custody.send({ type: 'idle' })}>
          <ChairMeetingView
            session={session}
            pin={pin}
            onHandOverForSigning={() => custody.send({ type: 'handOver' })}
            onHome={onHome}
            onLock={() => custody.send({ type: 'lock' })}
          />
        </ChairIdleLock>
      );
  }
}
