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
import { useCallback, useEffect, useState } from 'react';
import { PwaLayer } from '../pwa/PwaLayer';
import { ensureDeviceId, findOpenMeeting, listMeetings, openStorage } from '../storage/boot';
import { createDb, type KioskDb } from '../storage/db';
import { loadPinRecord, type PinRecord, savePin } from '../storage/pin';
import { isEnrolled } from '../sync/registry';
import { ChairIdleLock } from './components/ChairIdleLock';
import { ChunkFailed, ChunkLoadError, chunk, Loadable } from './components/Loadable';
import { useT } from './i18n';
import { HomeScreen } from './screens/Home';
import { type LockReason, LockScreen, SetPinScreen } from './screens/Lock';
import { SettingsScreen } from './screens/Settings';
import type { MeetingSession } from './session';

/** Setting up, opening and running a meeting (with the meeting store and the sync engine). */
const meetingChunk = chunk(() => import('./screens/Meeting'));
/** Settings' sections: the device's storage and updates, the records service. */
const settingsChunk = chunk(() => import('./screens/SettingsSections'));
/** The meeting store and the sync engine alone: at boot, on a tablet enrolled with a records service. */
const storeChunk = chunk(() => import('./screens/kioskStore'));

type Booted =
  | { state: 'unavailable'; message: string }
  | { state: 'chunk-failed' }
  | {
      state: 'ready';
      db: KioskDb;
      deviceId: string;
      pin: PinRecord | null;
      session: MeetingSession | null;
    };

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
      Promise.all([ensureDeviceId(db), loadPinRecord(db), findOpenMeeting(db), isEnrolled(db)]),
    );
    performance.mark('boot:read');
    if (!opened.ok) return { state: 'unavailable', message: opened.message };
    const [deviceId, pin, open, hasEnrolment] = opened.value;
    let session: MeetingSession | null = null;
    if (open) {
      // The meeting's chunk starts the sync engine with its store.
      const meeting = await meetingChunk.load();
      performance.mark('boot:meeting-chunk');
      session = await meeting.openSession(db, deviceId, open.id);
      performance.mark('boot:meeting-resumed');
    } else if (hasEnrolment) {
      // Not awaited: the outbox drains in the background; a fetch failure is retried when needed.
      storeChunk.load().then(
        (m) => m.storeFor(db, deviceId),
        () => undefined,
      );
    }
    return { state: 'ready', db, deviceId, pin, session };
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

export function App() {
  const t = useT();
  const [boot, setBoot] = useState<Boot>({ state: 'loading' });

  useEffect(() => {
    if (boot.state !== 'loading') return;
    let isCurrent = true;
    void startBoot().then((booted) => isCurrent && setBoot(booted));
    return () => {
      isCurrent = false;
    };
  }, [boot.state]);

  if (boot.state === 'loading') {
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
      <Kiosk db={boot.db} deviceId={boot.deviceId} initialPin={boot.pin} initialSession={boot.session} />
      <PwaLayer db={boot.db} />
    </>
  );
}

type View =
  | { name: 'home' }
  | { name: 'setup' }
  | { name: 'settings' }
  | { name: 'meeting'; session: MeetingSession }
  /** The meeting's chunk could not be fetched; `retry` opens the meeting again. */
  | { name: 'chunk-failed'; retry: () => void };

function Kiosk({
  db,
  deviceId,
  initialPin,
  initialSession,
}: {
  db: KioskDb;
  deviceId: string;
  initialPin: PinRecord | null;
  initialSession: MeetingSession | null;
}) {
  const [pin, setPin] = useState(initialPin);
  const [lock, setLock] = useState<LockReason | null>('start');
  const [view, setView] = useState<View>(
    initialSession ? { name: 'meeting', session: initialSession } : { name: 'home' },
  );
  const list = useCallback(() => listMeetings(db), [db]);

  const openMeeting = useCallback(
    async (meetingId: string): Promise<void> => {
      let meeting: typeof import('./screens/Meeting');
      try {
        meeting = await meetingChunk.load();
      } catch {
        return setView({ name: 'chunk-failed', retry: () => void openMeeting(meetingId) });
      }
      const session = await meeting.openSession(db, deviceId, meetingId);
      if (session) setView({ name: 'meeting', session });
    },
    [db, deviceId],
  );

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

  // Someone holding the tablet to answer sees their own screen, even after a reload (see MeetingShell).
  if (view.name === 'meeting') {
    const { session } = view;
    return (
      <Loadable chunk={meetingChunk} isPage>
        {(m) => (
          <m.MeetingShell
            key={session.meetingId}
            session={session}
            initialLock={lock}
            pin={pin}
            onHome={() => {
              setLock(null);
              setView({ name: 'home' });
            }}
          />
        )}
      </Loadable>
    );
  }
  if (lock) return <LockScreen reason={lock} record={pin} onUnlock={() => setLock(null)} />;
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
        />
      )}
    </ChairIdleLock>
  );
}
