/**
 * The closed meeting's record: the minute entry on screen, with Copy and Print, and downloads as text,
 * JSON and PDF (the signed undertaking too, and an Easy read copy for the parent). pdf-lib is loaded only
 * when a PDF is asked for.
 */
import './messages';
import { useEffect, useRef, useState } from 'react';
import type { EventEnvelope } from '../domain/events';
import { type MinuteEntry, minuteEntry, renderMinuteText } from '../domain/minutes';
import { minuteConfirmer } from '../domain/rules';
import { download, fileBase } from '../export/download';
import { ErrorText, TextField } from '../shared/components';
import { useT } from '../shared/i18n';
import { PinWaitNotice, usePinGuard } from '../shell/PinGuard';
import type { PinRecord } from '../storage/pin';
import { type MeetingSession, useMeetingSnapshot } from './session';
import { useSend } from './useSend';

/**
 * Before closing, the chair reads the minute entry as it stands and confirms it behind the PIN (DOMAIN.md:
 * the chair confirms the minute entry); the confirmation and the closing are two events of the log.
 */
export function ConfirmAndClose({ session }: { session: MeetingSession; pin: PinRecord }) {
  const t = useT();
  const guard = usePinGuard();
  const snapshot = useMeetingSnapshot(session);
  const [draft, setDraft] = useState('');
  const [pinText, setPinText] = useState('');
  const { send, error, setError, isBusy } = useSend(session);
  useEffect(() => {
    let isCurrent = true;
    void snapshot;
    void session.events().then((log: EventEnvelope[]) => {
      if (isCurrent) setDraft(renderMinuteText(minuteEntry(log)));
    });
    return () => {
      isCurrent = false;
    };
  }, [session, snapshot]);
  const confirmer = minuteConfirmer(snapshot.context);
  return (
    <form
      className="form"
      onSubmit={async (e) => {
        e.preventDefault();
        if (!(await guard.check(pinText))) return setError(t('closing.wrongPin'));
        setPinText('');
        // The domain closes a meeting only once its minute entry is confirmed: confirm first (unless that is
        // already done), then close.
        const isConfirmed =
          snapshot.context.isMinuteConfirmed ||
          (confirmer !== undefined &&
            (await send({ type: 'minute.confirmed', payload: { chairId: confirmer.id } })));
        if (isConfirmed) await send({ type: 'meeting.closed', payload: {} });
      }}
    >
      <p>{t('closing.readFirst')}</p>
      <article className="minute-draft" aria-label={t('closing.draftTitle')}>
        <pre className="minute-text">{draft}</pre>
      </article>
      <p>{t('closing.warning')}</p>
      <TextField
        label={t('closing.pin')}
        type="password"
        inputMode="numeric"
        autoComplete="current-password"
        value={pinText}
        onChange={setPinText}
      />
      <ErrorText message={error} />
      <PinWaitNotice waitMs={guard.waitMs} />
      <button type="submit" className="danger" disabled={isBusy || guard.waitMs !== 0}>
        {t('closing.confirm')}
      </button>
    </form>
  );
}

export function MinutesView({ session, onHome }: { session: MeetingSession; onHome: () => void }) {
  const t = useT();
  const [entry, setEntry] = useState<MinuteEntry | null>(null);
  const [status, setStatus] = useState('');
  useEffect(() => {
    let isCurrent = true;
    void session.events().then((log: EventEnvelope[]) => {
      if (isCurrent) setEntry(minuteEntry(log));
    });
    return () => {
      isCurrent = false;
    };
  }, [session]);
  const headingRef = useRef<HTMLHeadingElement>(null);
  // The record opens at its top, its heading announced, whatever step the chair scrolled on last.
  useEffect(() => {
    window.scrollTo(0, 0);
    headingRef.current?.focus({ preventScroll: true });
  }, []);
  const text = entry ? renderMinuteText(entry) : '';
  const base = entry ? fileBase(entry.meeting.title, entry.meeting.scheduledAt.slice(0, 10)) : 'meeting';

  const pdf = async (kind: 'minutes' | 'undertaking' | 'easy-read') => {
    if (!entry) return;
    setStatus(t('minutes.making'));
    try {
      const [docs, { browserFontFiles }] = await Promise.all([
        import('../export/pdf'),
        import('../export/browserFontFiles'),
      ]);
      const options = { fonts: browserFontFiles };
      const bytes =
        kind === 'minutes'
          ? await docs.minuteEntryPdf(entry, options)
          : kind === 'undertaking'
            ? await docs.undertakingPdf(entry, options)
            : await docs.easyReadUndertakingPdf(entry, options);
      download(`${base}-${kind}.pdf`, bytes as Uint8Array<ArrayBuffer>, 'application/pdf');
      setStatus(t('minutes.saved'));
    } catch (cause) {
      setStatus(t('common.error', { message: cause instanceof Error ? cause.message : String(cause) }));
    }
  };

  return (
    <main className="minutes" aria-labelledby="minutes-title">
      <h1 id="minutes-title" ref={headingRef} tabIndex={-1}>
        {t('minutes.title')}
      </h1>
      <div className="row no-print">
        <button
          type="button"
          className="primary"
          onClick={() =>
            navigator.clipboard
              .writeText(text)
              .then(() => setStatus(t('minutes.copied')))
              .catch(() => setStatus(t('minutes.copyFailed')))
          }
        >
          {t('minutes.copy')}
        </button>
        <button type="button" className="secondary" onClick={() => window.print()}>
          {t('minutes.print')}
        </button>
        <button type="button" className="secondary" onClick={onHome}>
          {t('minutes.backHome')}
        </button>
      </div>
      <div className="row no-print">
        <button type="button" className="secondary" onClick={() => void pdf('minutes')}>
          {t('minutes.pdf')}
        </button>
        {entry?.undertaking && (
          <>
            <button type="button" className="secondary" onClick={() => void pdf('undertaking')}>
              {t('minutes.undertakingPdf')}
            </button>
            <button type="button" className="secondary" onClick={() => void pdf('easy-read')}>
              {t('minutes.easyReadPdf')}
            </button>
          </>
        )}
        <button
          type="button"
          className="secondary"
          onClick={() => download(`${base}.txt`, text, 'text/plain')}
        >
          {t('minutes.text')}
        </button>
        <button
          type="button"
          className="secondary"
          onClick={() =>
            entry && download(`${base}.json`, JSON.stringify(entry, null, 2), 'application/json')
          }
        >
          {t('minutes.json')}
        </button>
      </div>
      <p role="status" className="no-print">
        {status}
      </p>
      <article aria-label={t('minutes.title')}>
        <pre className="minute-text">{text}</pre>
      </article>
    </main>
  );
}
