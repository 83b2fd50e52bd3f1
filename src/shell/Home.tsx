/**
 * The chair's home: the open meeting, a new one, and past records. Part of the app shell's first load, so it
 * imports nothing of src/domain (the meeting set-up is in Setup.tsx, loaded on demand).
 */
import { type ReactNode, useEffect, useState } from 'react';
import { dateOf } from '../domain/dates';
import { FullscreenButton } from '../pwa/FullscreenButton';
import { OfflineIndicator } from '../pwa/OfflineIndicator';
import { useT } from '../shared/i18n';
import type { MeetingRow } from '../storage/db';

export function HomeScreen({
  listMeetings,
  onOpen,
  onNew,
  onLock,
  onSettings,
  today,
}: {
  listMeetings: () => Promise<MeetingRow[]>;
  onOpen: (meetingId: string) => void;
  onNew: () => void;
  onLock: () => void;
  onSettings: () => void;
  /** The meetings prepared on the records service for today (Today.tsx), when there are any. */
  today?: ReactNode;
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
      {today}
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
                  date: dateOf(m.createdAt),
                  status: t(
                    `home.status${m.status === 'open' ? 'Open' : m.status === 'discarded' ? 'Discarded' : 'Closed'}`,
                  ),
                })}
              </span>
            </li>
          ))}
        </ul>
      )}
    </main>
  );
}
