/**
 * The kiosk shell: checks that the tablet can store meetings, keeps the chair's controls behind the PIN,
 * and decides whose screen is showing. Attendee screens need no PIN to show (they reach nothing), but
 * leaving one does.
 *
 * The shell is the first load: the PIN screen and the home screen, with React, Dexie, i18n and the update
 * prompt. It imports nothing of src/domain. Running a meeting (the statechart, the schemas, the meeting
 * store, the screens, signature_pad) and Settings (with the sync engine) are chunks loaded on demand; all are
 * precached by the service worker, so a whole meeting still runs offline.
 */
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import type { OpenMeeting } from '../meeting/Meeting';
import { PwaLayer } from '../pwa/PwaLayer';
import { useT } from '../shared/i18n';
import { ensureDeviceId, findOpenMeeting, listMeetings, openStorage } from '../storage/boot';
import { custodySetting } from '../storage/custody';
import { createDb, type KioskDb } from '../storage/db';
import { loadPinRecord, type PinRecord, savePin } from '../storage/pin';
import { isEnrolled } from '../sync/registry';
import { ChairIdleLock } from './ChairIdleLock';
import { layOutDateField } from './glyphs';
import { HomeScreen } from './Home';
import { ChunkFailed, ChunkLoadError, chunk, Loadable } from './Loadable';
import { type LockReason, LockScreen, SetPinScreen } from './Lock';
import { PinGuardProvider } from './PinGuard';
import { afterPaint, useHasPainted, whenIdle } from './paint';
import { SettingsScreen } from './Settings';
import { Today } from './Today';
import { useBack } from './useBack';

/** Setting up, opening and running a meeting (with the meeting store and the sync engine). */
const meetingChunk = chunk(() => import('../meeting/Meeting'));
/** Settings' sections: the device's storage and updates, the records service. */
const settingsChunk = chunk(() => import('./SettingsSections'));
/** The meeting store and the sync engine alone: at boot, on a tablet enrolled with a records service. */
const storeChunk = chunk(() => import('../meeting/kioskStore'));

type Booted =
  | { state: 'unavailable'; message: string }
  | { state: 'chunk-failed' }
  | {
      state: 'ready';
      db: KioskDb;
      deviceId: string;
      pin: PinRecord | null;
      meeting: OpenMeeting | null;
      /** The open meeting, to be loaded while the shell asks for the chair's PIN (the chair held the tablet). */
      resuming: Resuming | null;
    };

/** The open meeting behind the chair's PIN: `resume` loads it (once, however often it is called). */
interface Resuming {
  meetingId: string;
  resume: () => Promise<OpenMeeting | null>;
}

type Boot = { state: 'loading' } | Booted;

/** Opens the database and reads what the first screen needs (and, with a meeting open, loads it). */
async function bootTablet(): Promise<Booted> {
  const unavailable = (cause: unknown): Booted => ({
    state: 'unavailable',
    message: cause instanceof Error ? cause.message : String(cause),
  });
  let db: KioskDb;
  try {
    db = createDb();
  } catch (cause) {
    return unavailable(cause);
  }
  try {
    const opened = await openStorage(db, () =>
      Promise.all([
        ensureDeviceId(db),
        loadPinRecord(db),
        findOpenMeeting(db),
        isEnrolled(db),
        custodySetting.read(db),
      ]),
    );
    performance.mark('boot:read');
    if (!opened.ok) return { state: 'unavailable', message: opened.message };
    const [deviceId, pin, open, hasEnrolment, custody] = opened.value;
    let meeting: OpenMeeting | null = null;
    let resuming: Resuming | null = null;
    if (open) {
      // The meeting's chunk starts the sync engine with its store. After a reload, whoever held the tablet
      // gets their screen back, and the chair's screens need the PIN.
      const resume = async () => {
        const chunk = await meetingChunk.load();
        performance.mark('boot:meeting-chunk');
        const resumed = await chunk.openSession(db, deviceId, open.id, 'start');
        performance.mark('boot:meeting-resumed');
        return resumed;
      };
      // The chair held it: the shell's PIN screen shows first, and the meeting loads behind it once that
      // screen has been painted (its chunk's evaluation would otherwise hold up the PIN screen's frame).
      const isChairs = pin !== null && custody?.meetingId === open.id && custody.holder === 'chair';
      if (isChairs) {
        let resumed: Promise<OpenMeeting | null> | null = null;
        resuming = { meetingId: open.id, resume: () => (resumed ??= resume()) };
      } else meeting = await resume();
    } else if (hasEnrolment) {
      // Not awaited: the outbox drains in the background; a fetch failure is retried when needed.
      storeChunk.load().then(
        (m) => m.storeFor(db, deviceId),
        () => undefined,
      );
    }
    return { state: 'ready', db, deviceId, pin, meeting, resuming };
  } catch (cause) {
    if (!(cause instanceof ChunkLoadError)) return unavailable(cause);
    // "Try again" boots afresh, with a new connection.
    db.close();
    return { state: 'chunk-failed' };
  }
}

let booting: Promise<Booted> | null = null;

/**
 * Starts the boot, once (again after a chunk failed). main.tsx calls it before React's first render, so that
 * IndexedDB opens while React renders and paints the loading screen, not after.
 */
export function startBoot(): Promise<Booted> {
  booting ??= bootTablet().then((booted) => {
    if (booted.state === 'chunk-failed') booting = null;
    return booted;
  });
  return booting;
}

/**
 * How long a start may take before it says that it is opening. A usual start shows its first screen sooner,
 * and is not slowed by laying out and painting a loading screen that would be replaced at once.
 */
export const LOADING_NOTICE_MS = 1000;

export function App() {
  const t = useT();
  const [boot, setBoot] = useState<Boot>({ state: 'loading' });
  const [isSlow, setIsSlow] = useState(false);

  useEffect(() => {
    if (boot.state !== 'loading') return;
    const timer = setTimeout(() => setIsSlow(true), LOADING_NOTICE_MS);
    return () => clearTimeout(timer);
  }, [boot.state]);

  useEffect(() => {
    if (boot.state !== 'loading') return;
    let isCurrent = true;
    void startBoot().then((booted) => isCurrent && setBoot(booted));
    return () => {
      isCurrent = false;
    };
  }, [boot.state]);

  if (boot.state === 'loading') {
    if (!isSlow) return null;
    return (
      <main className="centre">
        <p role="status">{t('app.loading')}</p>
      </main>
    );
  }
  if (boot.state === 'chunk-failed')
    return <ChunkFailed isPage onRetry={() => setBoot({ state: 'loading' })} />;
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
      <PinGuardProvider db={boot.db}>
        <Kiosk
          db={boot.db}
          deviceId={boot.deviceId}
          initialPin={boot.pin}
          initialMeeting={boot.meeting}
          resuming={boot.resuming}
        />
      </PinGuardProvider>
      {/* The service worker's registration, the wake lock and the update prompt wait for the first screen. */}
      <AfterPaint>
        <PwaLayer db={boot.db} />
      </AfterPaint>
    </>
  );
}

/** Renders its children once the frame with everything rendered beside it has been painted. */
function AfterPaint({ children }: { children: ReactNode }) {
  return useHasPainted() ? children : null;
}

type View =
  | { name: 'home' }
  | { name: 'setup' }
  | { name: 'settings' }
  | { name: 'meeting'; meeting: OpenMeeting }
  /** The open meeting loading behind the chair's PIN after a reload (see bootTablet). */
  | ({ name: 'resuming' } & Resuming)
  /** The meeting's chunk could not be fetched; `retry` opens the meeting again. */
  | { name: 'chunk-failed'; retry: () => void };

function Kiosk({
  db,
  deviceId,
  initialPin,
  initialMeeting,
  resuming,
}: {
  db: KioskDb;
  deviceId: string;
  initialPin: PinRecord | null;
  initialMeeting: OpenMeeting | null;
  resuming: Resuming | null;
}) {
  const t = useT();
  const [pin, setPin] = useState(initialPin);
  // The shell's own lock (home, setup, settings); during a meeting its custody machine decides.
  const [lock, setLock] = useState<LockReason | null>('start');
  const [view, setView] = useState<View>(
    initialMeeting
      ? { name: 'meeting', meeting: initialMeeting }
      : resuming
        ? { name: 'resuming', ...resuming }
        : { name: 'home' },
  );
  const [resumed, setResumed] = useState<OpenMeeting | null>(null);
  const list = useCallback(() => listMeetings(db), [db]);

  // On the home screen, while the tablet is idle, the meeting's chunk is fetched and run and a date field is
  // laid out unseen, so that "Set up a new meeting" (or opening a past one) does neither in the frame of the
  // tap. A chunk that fails is left for the tap to meet again (it shows "Try again").
  const isHome = view.name === 'home' && !lock && pin !== null;
  useEffect(() => {
    if (!isHome || meetingChunk.loaded()) return;
    const cancelChunk = whenIdle(() => void meetingChunk.load().catch(() => undefined));
    const cancelField = whenIdle(layOutDateField);
    return () => {
      cancelChunk();
      cancelField();
    };
  }, [isHome]);

  const openMeeting = useCallback(
    async (meetingId: string): Promise<void> => {
      let meeting: typeof import('../meeting/Meeting');
      try {
        meeting = await meetingChunk.load();
      } catch {
        return setView({ name: 'chunk-failed', retry: () => void openMeeting(meetingId) });
      }
      const opened = await meeting.openSession(db, deviceId, meetingId, null);
      if (opened) setView({ name: 'meeting', meeting: opened });
    },
    [db, deviceId],
  );

  /** Opens a meeting prepared on the records service; resolves with the reason when it could not. */
  const openPrepared = useCallback(
    async (meetingId: string): Promise<string | null> => {
      let meeting: typeof import('../meeting/Meeting');
      try {
        meeting = await meetingChunk.load();
      } catch {
        return t('app.loadFailedBody');
      }
      const opened = await meeting.openPrepared(db, deviceId, meetingId);
      if (!opened.ok) return opened.message;
      await openMeeting(meetingId);
      return null;
    },
    [db, deviceId, openMeeting, t],
  );

  const goHome = () => {
    if (view.name === 'meeting') view.meeting.close();
    setView({ name: 'home' });
  };

  useEffect(() => {
    if (view.name !== 'resuming') return;
    let isCurrent = true;
    afterPaint()
      .then(view.resume)
      .then(
        (meeting) => {
          if (!isCurrent) return;
          if (meeting) setResumed(meeting);
          else setView({ name: 'home' });
        },
        () => {
          if (isCurrent) setView({ name: 'chunk-failed', retry: () => void openMeeting(view.meetingId) });
        },
      );
    return () => {
      isCurrent = false;
    };
  }, [view, openMeeting]);

  // The chair has given the PIN to the shell: the meeting opens on their screens.
  useEffect(() => {
    if (view.name !== 'resuming' || lock || !resumed) return;
    resumed.custody.send({ type: 'pin.unlocked' });
    setView({ name: 'meeting', meeting: resumed });
  }, [view.name, lock, resumed]);

  // Back moves within the chair's screens (to home), never past the PIN, and never out of an open meeting.
  useBack(() => {
    if (view.name === 'resuming') return;
    if (view.name === 'meeting') {
      if (view.meeting.back()) {
        setLock(null);
        goHome();
      }
      return;
    }
    if (!lock && pin && view.name !== 'home') setView({ name: 'home' });
  });

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

  // Someone holding the tablet to answer sees their own screen, even after a reload (see custodyMachine).
  if (view.name === 'meeting') {
    const { meeting } = view;
    return (
      <Loadable chunk={meetingChunk} isPage>
        {(m) => (
          <m.MeetingShell
            key={meeting.session.meetingId}
            meeting={meeting}
            pin={pin}
            onHome={() => {
              setLock(null);
              goHome();
            }}
          />
        )}
      </Loadable>
    );
  }
  if (lock) return <LockScreen reason={lock} onUnlock={() => setLock(null)} />;
  if (view.name === 'resuming') {
    return (
      <main className="centre">
        <p role="status">{t('app.loading')}</p>
      </main>
    );
  }
  return (
    <ChairIdleLock onIdle={() => setLock('idle')}>
      {view.name === 'chunk-failed' ? (
        <ChunkFailed isPage onRetry={view.retry} onBack={() => setView({ name: 'home' })} />
      ) : view.name === 'setup' ? (
        <Loadable chunk={meetingChunk} isPage onBack={() => setView({ name: 'home' })}>
          {(m) => (
            <>
              <m.NotSealedNotice db={db} />
              <m.SetupScreen
                onCreate={async (meeting) => {
                  const created = await m.createMeeting(db, deviceId, meeting);
                  if (!created.ok) return created.message;
                  await openMeeting(created.meetingId);
                  return null;
                }}
                onCancel={() => setView({ name: 'home' })}
              />
            </>
          )}
        </Loadable>
      ) : view.name === 'settings' ? (
        <SettingsScreen onBack={() => setView({ name: 'home' })}>
          {/* sections: storage (src/pwa), records service (src/sync) */}
          <Loadable chunk={settingsChunk}>
            {(m) => <m.SettingsSections db={db} deviceId={deviceId} />}
          </Loadable>
        </SettingsScreen>
      ) : (
        <HomeScreen
          listMeetings={list}
          onOpen={(id) => void openMeeting(id)}
          onNew={() => setView({ name: 'setup' })}
          onSettings={() => setView({ name: 'settings' })}
          onLock={() => setLock('chair')}
          today={<Today db={db} onOpen={openPrepared} />}
        />
      )}
    </ChairIdleLock>
  );
}
