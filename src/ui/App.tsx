/**
 * The kiosk shell: checks that the tablet can store meetings, keeps the chair's controls behind the PIN,
 * and decides whose screen is showing. Attendee screens need no PIN to show (they reach nothing), but
 * leaving one does.
 */
import { useCallback, useEffect, useState } from 'react';
import { phaseOf } from '../domain/engine';
import { PwaLayer, StorageStatus } from '../pwa';
import { createDb, type KioskDb } from '../storage/db';
import { checkStorage, ensureDeviceId, MeetingStore } from '../storage/meetingStore';
import { loadPinRecord, type PinRecord, savePin } from '../storage/pin';
import { notifyNewEvent, SyncSettings, startSync } from '../sync';
import { useT } from './i18n';
import { AnswerScreen, UndertakingScreen } from './screens/AttendeeScreens';
import { HomeScreen, type NewMeeting, SetupScreen } from './screens/Home';
import { type LockReason, LockScreen, SetPinScreen } from './screens/Lock';
import { ChairMeetingView, PausedNotice } from './screens/MeetingView';
import { SettingsScreen } from './screens/Settings';
import { MeetingSession, useMeetingSnapshot } from './session';
import { useIdle } from './useIdle';

/** The chair's screens lock themselves after this long without a touch or a key. */
export const IDLE_LOCK_MS = 5 * 60_000;

type Boot =
  | { state: 'loading' }
  | { state: 'unavailable'; message: string }
  | {
      state: 'ready';
      db: KioskDb;
      store: MeetingStore;
      pin: PinRecord | null;
      session: MeetingSession | null;
    };

export function App() {
  const t = useT();
  const [boot, setBoot] = useState<Boot>({ state: 'loading' });

  useEffect(() => {
    let isCurrent = true;
    (async () => {
      const db = createDb();
      const storage = await checkStorage(db);
      if (!storage.ok) return isCurrent && setBoot({ state: 'unavailable', message: storage.message });
      const deviceId = await ensureDeviceId(db);
      const store = new MeetingStore(db, { deviceId });
      startSync({ store, db, deviceId });
      const pin = await loadPinRecord(db);
      const open = await store.openMeeting();
      const loaded = open ? await store.load(open.id) : null;
      const session = open && loaded ? new MeetingSession(store, open.id, loaded.snapshot) : null;
      if (isCurrent) setBoot({ state: 'ready', db, store, pin, session });
    })().catch((cause: unknown) => {
      if (isCurrent)
        setBoot({ state: 'unavailable', message: cause instanceof Error ? cause.message : String(cause) });
    });
    return () => {
      isCurrent = false;
    };
  }, []);

  if (boot.state === 'loading') {
    return (
      <main className="centre">
        <p role="status">{t('app.loading')}</p>
      </main>
    );
  }
  if (boot.state === 'unavailable') {
    return (
      <main className="centre" aria-labelledby="unavailable-title">
        <h1 id="unavailable-title">{t('storage.unavailableTitle')}</h1>
        <p>{t('storage.unavailableBody')}</p>
        <p className="small">{t('storage.detail', { message: boot.message })}</p>
      </main>
    );
  }
  return (
    <>
      <Kiosk db={boot.db} store={boot.store} initialPin={boot.pin} initialSession={boot.session} />
      <PwaLayer db={boot.db} />
    </>
  );
}

type View =
  | { name: 'home' }
  | { name: 'setup' }
  | { name: 'settings' }
  | { name: 'meeting'; session: MeetingSession };

function Kiosk({
  db,
  store,
  initialPin,
  initialSession,
}: {
  db: KioskDb;
  store: MeetingStore;
  initialPin: PinRecord | null;
  initialSession: MeetingSession | null;
}) {
  const [pin, setPin] = useState(initialPin);
  const [lock, setLock] = useState<LockReason | null>('start');
  const [view, setView] = useState<View>(
    initialSession ? { name: 'meeting', session: initialSession } : { name: 'home' },
  );
  const listMeetings = useCallback(() => store.list(), [store]);

  const openMeeting = useCallback(
    async (meetingId: string) => {
      const loaded = await store.load(meetingId);
      if (loaded)
        setView({ name: 'meeting', session: new MeetingSession(store, meetingId, loaded.snapshot) });
    },
    [store],
  );

  const createMeeting = async (m: NewMeeting): Promise<string | null> => {
    const result = await store.createMeeting({
      type: 'meeting.opened',
      payload: {
        meeting: { kind: m.kind, title: m.title, scheduledAt: m.scheduledAt, place: m.place },
        profileId: m.profileId,
        subjectChildren: m.children,
      },
    });
    if (!result.ok) return result.rejection.message;
    notifyNewEvent();
    await openMeeting(result.meetingId);
    return null;
  };

  if (!pin) {
    return (
      <SetPinScreen
        onSave={async (value) => {
          setPin(await savePin(db, value));
          setLock(null);
        }}
      />
    );
  }

  const session = view.name === 'meeting' ? view.session : null;
  // Someone holding the tablet to answer sees their own screen, even after a reload (see MeetingShell).
  if (session) {
    return (
      <MeetingShell
        key={session.meetingId}
        session={session}
        initialLock={lock}
        pin={pin}
        onHome={() => {
          setLock(null);
          setView({ name: 'home' });
        }}
      />
    );
  }
  if (lock) return <LockScreen reason={lock} record={pin} onUnlock={() => setLock(null)} />;
  return (
    <ChairIdleLock onIdle={() => setLock('idle')}>
      {view.name === 'setup' ? (
        <SetupScreen onCreate={createMeeting} onCancel={() => setView({ name: 'home' })} />
      ) : view.name === 'settings' ? (
        <SettingsScreen onBack={() => setView({ name: 'home' })}>
          {/* sections: storage (src/pwa), records service (src/sync) */}
          <StorageStatus />
          <SyncSettings />
        </SettingsScreen>
      ) : (
        <HomeScreen
          listMeetings={listMeetings}
          onOpen={(id) => void openMeeting(id)}
          onNew={() => setView({ name: 'setup' })}
          onSettings={() => setView({ name: 'settings' })}
          onLock={() => setLock('chair')}
        />
      )}
    </ChairIdleLock>
  );
}

function ChairIdleLock({ onIdle, children }: { onIdle: () => void; children: React.ReactNode }) {
  useIdle(IDLE_LOCK_MS, onIdle);
  return <>{children}</>;
}

function MeetingShell({
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
  const [chairTookBack, setChairTookBack] = useState<string | null>(null);
  const [prevAsking, setPrevAsking] = useState(asking);
  const [hasSeenPause, setSeenPause] = useState(false);
  const isPaused = snapshot.context.recording === 'paused' && phase.startsWith('review');

  // Adjustments made while rendering (React's pattern for state that follows other state).
  if (asking !== prevAsking) {
    setPrevAsking(asking);
    // An answer was given: the tablet goes back to the chair, behind the PIN.
    if (prevAsking && !asking) setLock('handback');
  }
  if (isSigning && phase !== 'review.undertaking') {
    setSigning(false);
    setLock('handback');
  }
  if (!isPaused && hasSeenPause) setSeenPause(false);

  const isAttendeeTurn = phase === 'review.round' && asking !== null && chairTookBack !== asking;
  if (isAttendeeTurn || (isSigning && phase === 'review.undertaking')) {
    if (lock === 'chair') {
      return (
        <LockScreen
          reason="chair"
          record={pin}
          onUnlock={() => {
            setChairTookBack(asking);
            setSigning(false);
            setLock(null);
          }}
        />
      );
    }
    return isAttendeeTurn && asking ? (
      <AnswerScreen key={asking} session={session} attendeeId={asking} onChair={() => setLock('chair')} />
    ) : (
      <UndertakingScreen session={session} onChair={() => setLock('chair')} />
    );
  }
  if (lock) return <LockScreen reason={lock} record={pin} onUnlock={() => setLock(null)} />;
  if (isPaused && !hasSeenPause) return <PausedNotice onContinue={() => setSeenPause(true)} />;
  return (
    <ChairIdleLock onIdle={() => setLock('idle')}>
      <ChairMeetingView
        session={session}
        onHandOverForSigning={() => setSigning(true)}
        onHome={onHome}
        onLock={() => setLock('chair')}
      />
    </ChairIdleLock>
  );
}
