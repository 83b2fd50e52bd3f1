/**
 * "Meetings today" on the chair's home (issue 19): the meetings the records team prepared for this tablet,
 * pulled and verified by src/sync/prepared.ts and kept for offline use, with one button each to open it.
 * Its own chunk (src/shell/Today.tsx loads it only when something was pulled), not the first load.
 */
import './messages';
import { useLiveQuery } from 'dexie-react-hooks';
import { useState } from 'react';
import { i18n, useT } from '../shared/i18n';
import type { KioskDb, PreparedRow } from '../storage/db';
import { preparedSetting } from '../sync/settings';

/** Today's prepared meetings not yet on this tablet, earliest first. */
async function todays(db: KioskDb, now: Date): Promise<PreparedRow[]> {
  const [rows, held] = await Promise.all([
    db.prepared.orderBy('startsAt').toArray(),
    db.meetings.toCollection().primaryKeys(),
  ]);
  const onTablet = new Set(held);
  return rows
    .filter(
      (row) => !onTablet.has(row.meetingId) && new Date(row.startsAt).toDateString() === now.toDateString(),
    )
    .sort((a, b) => Date.parse(a.startsAt) - Date.parse(b.startsAt));
}

export function MeetingsToday({
  db,
  onOpen,
}: {
  db: KioskDb;
  /** Opens the prepared meeting; resolves with the reason in plain words when it could not be opened. */
  onOpen: (meetingId: string) => Promise<string | null>;
}) {
  const t = useT();
  const meetings = useLiveQuery(() => todays(db, new Date()), [db]);
  const status = useLiveQuery(() => preparedSetting.read(db), [db]);
  const [opening, setOpening] = useState<string | null>(null);
  const [problem, setProblem] = useState<{ meetingId: string; message: string } | null>(null);
  const rejected = status?.rejected ?? [];
  if (meetings === undefined) return null;

  const open = async (meetingId: string) => {
    setOpening(meetingId);
    setProblem(null);
    const message = await onOpen(meetingId).catch((error: unknown) => String(error));
    setOpening(null);
    if (message) setProblem({ meetingId, message });
  };

  return (
    <section aria-labelledby="today-title" className="meetings-today">
      <h2 id="today-title">{t('prepared.title')}</h2>
      {rejected.map((r) => (
        <p key={r.meetingId} className="notice" role="alert">
          {t('prepared.rejected', {
            title: r.title,
            reason: t(`prepared.why.${r.code}`, { defaultValue: t('prepared.why.other') }),
          })}
        </p>
      ))}
      {meetings.length === 0 ? (
        <p>{t('prepared.none')}</p>
      ) : (
        <>
          <p>{t('prepared.intro')}</p>
          <ul className="meeting-list">
            {meetings.map((m) => {
              const time = new Date(m.startsAt).toLocaleTimeString(i18n.language, {
                hour: '2-digit',
                minute: '2-digit',
              });
              const kind = t(`setup.kinds.${m.kind}`);
              return (
                <li key={m.meetingId}>
                  <h3>{m.title}</h3>
                  <p>
                    {m.place
                      ? t('prepared.detailsAt', { kind, time, place: m.place })
                      : t('prepared.details', { kind, time })}
                  </p>
                  <button
                    type="button"
                    className="primary"
                    disabled={opening !== null}
                    onClick={() => void open(m.meetingId)}
                  >
                    {opening === m.meetingId
                      ? t('prepared.opening', { title: m.title })
                      : t('prepared.open', { title: m.title })}
                  </button>
                  {problem?.meetingId === m.meetingId && (
                    <p role="alert" className="notice">
                      {problem.message}
                    </p>
                  )}
                </li>
              );
            })}
          </ul>
        </>
      )}
    </section>
  );
}
