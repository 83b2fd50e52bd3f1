/**
 * The chair's home: the open meeting, a new one, and past records. Part of the app shell's first load, so it
 * imports nothing of src/domain (the meeting set-up is in Setup.tsx, loaded on demand).
 */
import { useEffect, useState } from 'react';
import { FullscreenButton } from '../../pwa/FullscreenButton';
import { OfflineIndicator } from '../../pwa/OfflineIndicator';
import type { MeetingRow } from '../../storage/db';
import { useT } from '../i18n';

export function HomeScreen({
  listMeetings,
  onOpen,
  onNew,
  onLock,
  onSettings,
}: {
  listMeetings: () => Promise<MeetingRow[]>;
  onOpen: (meetingId: string) => void;
  onNew: () => void;
  onLock: () => void;
  onSettings: () => void;
}) {
  const t = useT();
  const [meetings, setMeetings] = useState<MeetingRow[] | undefined>(undefined);
  useEffect(() => {
    void listMeetings().then(setMeetings);
  }, [listMeetings]);
  const open = meetings?.find((m) => m.status === 'open');
  const past = meetings?.filter((m) => m.status !== 'open') ?? [];
  return (
    <main aria-labelledby="home-title" className="home">
      <div className="row spread">
        <h1 id="home-title">{t('home.title')}</h1>
        <div className="row">
          <OfflineIndicator />
          <FullscreenButton />
          <button type="button" className="secondary" onClick={onSettings}>
            {t('settings.open')}
          </button>
          <button type="button" className="secondary" onClick={onLock}>
            {t('pin.lockNow')}
          </button>
        </div>
      </div>
      {meetings === undefined ? (
        <p role="status">{t('app.loading')}</p>
      ) : open ? (
        <button type="button" className="primary big" onClick={() => onOpen(open.id)}>
          {t('home.openMeeting', { title: open.title })}
        </button>
      ) : (
        <button type="button" className="primary big" onClick={onNew}>
          {t('home.newMeeting')}
        </button>
      )}
      <h2>{t('home.past')}</h2>
      {past.length === 0 ? (
        <p>{t('home.none')}</p>
      ) : (
        <ul className="meeting-list">
          {past.map((m) => (
            <li key={m.id}>
              <button type="button" className="secondary" onClick={() => onOpen(m.id)}>
                {t('home.view', { title: m.title })}
              </button>
              <span>
                {' '}
                {t('home.when', {
                  date: dayOf(m.createdAt),
                  status: t(`home.status${m.status === 'open' ? 'Open' : 'Closed'}`),
                })}
              </span>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}

/**
 * "Tuesday 3 March 2026": the calendar day of an ISO-8601 time as written (its own offset), as the minute
 * entry writes it (domain/minutes.ts dateOf, which the shell does not load; tests/unit/boot.test.ts checks
 * that they agree).
 */
export function dayOf(at: string): string {
  const day = new Date(`${at.slice(0, 10)}T12:00:00Z`);
  return new Intl.DateTimeFormat('en-GB', {
    weekday: 'long',
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'UTC',
  })
    .format(day)
    .replace(',', '');
}
