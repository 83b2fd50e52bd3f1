/**
 * The chair's Settings section for the records service: the address, enrolment with a one-time code,
 * what is waiting, the last result, "Sync now", the meetings the service did not accept (each with "Try
 * again"), and the message when an administrator revoked the tablet.
 */
import { useSelector } from '@xstate/react';
import { useState } from 'react';
import { ErrorText, TextField } from '../shared/components';
import { useT } from '../shared/i18n';
import type { Quarantine } from './push';
import { useSync } from './registry';
import type { SyncHandle } from './service';
import { pendingTotal, type RunOutcome, type SyncSnapshot, syncPhase } from './syncMachine';
import { problemText, timeText } from './words';
import './sync.css';

export function SyncSettings() {
  const sync = useSync();
  return sync ? <SyncSection sync={sync} /> : null;
}

const byRefusal = (a: Quarantine, b: Quarantine) => (a.problem.at < b.problem.at ? -1 : 1);

function SyncSection({ sync }: { sync: SyncHandle }) {
  const t = useT();
  const phase = useSelector(sync.actor, syncPhase);
  const pending = useSelector(sync.actor, pendingTotal);
  const context = useSelector(sync.actor, (s: SyncSnapshot) => s.context);
  const held = Object.values(context.quarantine).sort(byRefusal);
  const status = { ...context, phase, pending };
  const [address, setAddress] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [isEnrolling, setEnrolling] = useState(false);
  const [isSyncing, setSyncing] = useState(false);
  const [enrolError, setEnrolError] = useState<string | null>(null);
  const [result, setResult] = useState<string | null>(null);

  if (phase === 'starting') return null;
  const isStopped = status.phase === 'revoked' || status.phase === 'unauthorised';
  const isEnrolled = status.phase !== 'not-enrolled';

  const outcomeText = (outcome: RunOutcome): string => {
    switch (outcome.kind) {
      case 'synced':
        return t('sync.result.synced', { count: outcome.sent });
      case 'nothing-to-send':
        return t('sync.result.nothing');
      case 'not-enrolled':
        return t('sync.result.notEnrolled');
      case 'stopped':
        return t(`sync.phase.${outcome.reason}`);
      case 'failed':
        return problemText(t, outcome.error);
    }
  };

  const onEnrol = async (event: React.FormEvent) => {
    event.preventDefault();
    setResult(null);
    if (name.trim() === '') {
      setEnrolError(t('sync.nameRequired'));
      return;
    }
    setEnrolling(true);
    setEnrolError(null);
    try {
      const enrolled = await sync.enrol(code, address ?? status.serverUrl, name);
      if (enrolled.ok) {
        setCode('');
        setName('');
        setAddress(null);
        setResult(t('sync.enrolledOk'));
      } else {
        setEnrolError(
          t('sync.enrolFailed', {
            reason: problemText(t, {
              code: enrolled.code,
              message: enrolled.message,
              at: '',
              status: enrolled.status,
            }),
          }),
        );
      }
    } finally {
      setEnrolling(false);
    }
  };

  const onSyncNow = async () => {
    setSyncing(true);
    setResult(null);
    try {
      setResult(outcomeText(await sync.syncNow()));
    } finally {
      setSyncing(false);
    }
  };

  return (
    <section aria-labelledby="sync-title" className="sync-settings">
      <h2 id="sync-title">{t('sync.title')}</h2>
      <p>{t('sync.intro')}</p>
      {isStopped && (
        <div className="sync-revoked" role="alert">
          <h3>{t('sync.revokedTitle')}</h3>
          <p>{t('sync.revokedBody')}</p>
        </div>
      )}
      <dl className="facts">
        <dt>{t('sync.state')}</dt>
        <dd data-testid="sync-phase">{t(`sync.phase.${status.phase}`)}</dd>
        <dt>{t('sync.address')}</dt>
        <dd>{status.serverUrl}</dd>
        {status.serverDeviceId && (
          <>
            <dt>{t('sync.enrolledAs')}</dt>
            <dd>{status.serverDeviceId}</dd>
          </>
        )}
        <dt>{t('sync.waiting')}</dt>
        <dd data-testid="sync-pending">{status.pending}</dd>
        <dt>{t('sync.lastSuccess')}</dt>
        <dd>{status.lastSuccessAt ? timeText(status.lastSuccessAt) : t('sync.never')}</dd>
        <dt>{t('sync.lastProblem')}</dt>
        <dd data-testid="sync-last-error">
          {status.lastError ? problemText(t, status.lastError) : t('sync.none')}
          {status.lastError?.message ? (
            <span className="small sync-detail">
              {t('sync.detail', { message: status.lastError.message })}
            </span>
          ) : null}
        </dd>
        {status.nextRetryAt && (
          <>
            <dt>{t('sync.nextTry')}</dt>
            <dd>{timeText(status.nextRetryAt)}</dd>
          </>
        )}
      </dl>
      {isEnrolled && !isStopped && (
        <div className="row">
          <button type="button" className="primary" disabled={isSyncing} onClick={() => void onSyncNow()}>
            {isSyncing ? t('sync.syncing') : t('sync.syncNow')}
          </button>
        </div>
      )}
      {held.length > 0 && (
        <section aria-labelledby="sync-held-title" className="sync-held">
          <h3 id="sync-held-title">{t('sync.held.title')}</h3>
          <p>{t('sync.held.intro')}</p>
          <ul>
            {held.map((entry) => {
              const title = entry.title || t('sync.held.untitled');
              return (
                <li key={entry.meetingId}>
                  <strong>{title}</strong>
                  <p>{problemText(t, entry.problem)}</p>
                  {entry.problem.message ? (
                    <p className="small sync-detail">
                      {t('sync.detail', { message: entry.problem.message })}
                    </p>
                  ) : null}
                  <p className="small">
                    {t('sync.held.when', { time: timeText(entry.problem.at) })}{' '}
                    {t('sync.held.nextTry', { time: timeText(entry.retryAt) })}
                  </p>
                  {!isStopped && (
                    <button
                      type="button"
                      className="secondary"
                      aria-label={t('sync.held.tryAgainFor', { title })}
                      onClick={() => sync.retryMeeting(entry.meetingId)}
                    >
                      {t('sync.held.tryAgain')}
                    </button>
                  )}
                </li>
              );
            })}
          </ul>
        </section>
      )}
      <p role="status" data-testid="sync-result">
        {result ?? ''}
      </p>
      <form onSubmit={(e) => void onEnrol(e)} className="sync-enrol">
        <h3>{isEnrolled ? t('sync.enrolAgain') : t('sync.enrol')}</h3>
        <TextField label={t('sync.address')} value={address ?? status.serverUrl} onChange={setAddress} />
        <TextField label={t('sync.name')} value={name} onChange={setName} isRequired />
        <p className="small">{t('sync.nameHint')}</p>
        <TextField label={t('sync.code')} value={code} onChange={setCode} isRequired />
        <p className="small">{t('sync.codeHint')}</p>
        <ErrorText message={enrolError} />
        <button type="submit" className={isEnrolled ? 'secondary' : 'primary'} disabled={isEnrolling}>
          {isEnrolling ? t('sync.enrolling') : t('sync.enrol')}
        </button>
      </form>
    </section>
  );
}
