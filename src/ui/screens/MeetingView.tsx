/**
 * The chair's view of the open meeting: the step the statechart is at, a live panel of everyone present,
 * and the controls allowed now. Which controls are offered is asked of the machine (snapshot.can).
 */
import { phaseOf } from '../../domain/engine';
import { attendeesToAsk, profileOf } from '../../domain/rules';
import { OfflineIndicator } from '../../pwa/OfflineIndicator';
import { SyncBadge } from '../../sync/SyncBadge';
import { Disclosure, GuidanceNote } from '../components/common';
import { useT } from '../i18n';
import { type MeetingSession, useMeetingSnapshot } from '../session';
import {
  AlternativesStep,
  DecisionStep,
  EligibilityStep,
  RoundStep,
  ScreeningStep,
  UndertakingChairStep,
} from './ChairSteps';
import { AttendeeForm, LeftForm, ReasonAction, RequestForm } from './forms';
import { MinutesView } from './Minutes';
import { useSend } from './useSend';

export function StatusPanel({ session }: { session: MeetingSession }) {
  const t = useT();
  const ctx = useMeetingSnapshot(session).context;
  const askable = new Set(attendeesToAsk(ctx).map((a) => a.id));
  return (
    <aside className="status-panel" aria-labelledby="status-title">
      <h2 id="status-title">{t('status.title')}</h2>
      <ul>
        {ctx.attendees.map((a) => {
          const answer = ctx.answers[a.id];
          const status = !a.isPresent
            ? t('status.left')
            : a.id === ctx.request?.requesterId
              ? t('status.requester')
              : ctx.asking === a.id
                ? t('status.asking')
                : answer
                  ? t(`status.${answer}`)
                  : ctx.request && askable.has(a.id)
                    ? t('status.notAsked')
                    : '';
          const icon = answer
            ? t(`status.icon.${answer}`)
            : ctx.request && askable.has(a.id)
              ? t('status.icon.notAsked')
              : '';
          return (
            <li key={a.id} className={a.isPresent ? '' : 'gone'}>
              <span className="who">
                {a.name} <span className="role">({t(`attendees.roles.${a.role}`)})</span>
              </span>
              {status && (
                <span className="answer-status">
                  <span aria-hidden="true">{icon} </span>
                  {status}
                </span>
              )}
            </li>
          );
        })}
      </ul>
    </aside>
  );
}

function OutcomeSummary({ session }: { session: MeetingSession }) {
  const t = useT();
  const ctx = useMeetingSnapshot(session).context;
  if (!ctx.outcome) return <p>{t('outcome.noRequest')}</p>;
  return (
    <div className="outcome" role="status">
      <h3>{t('outcome.title')}</h3>
      <p>
        <strong>{t(`outcome.${ctx.outcome.status}`)}</strong> {t(`outcome.basis.${ctx.outcome.basis}`)}
      </p>
      <GuidanceNote refText={ctx.outcome.ref} />
    </div>
  );
}

function Preparing({ session }: { session: MeetingSession }) {
  const t = useT();
  const ctx = useMeetingSnapshot(session).context;
  const { send, error, isBusy } = useSend(session);
  const hasPeople = ctx.attendees.length >= 2;
  return (
    <section aria-labelledby="step-title">
      <h2 id="step-title">{t('attendees.title')}</h2>
      {ctx.attendees.length === 0 && <p>{t('attendees.none')}</p>}
      <Disclosure label={t('attendees.add')} className="primary">
        {(close) => <AttendeeForm session={session} kind="attendee.added" onDone={close} />}
      </Disclosure>
      {hasPeople && (
        <>
          <h2>{t('request.startTitle')}</h2>
          <GuidanceNote refText={profileOf(ctx).refs.round} />
          <Disclosure label={t('request.title')} className="primary">
            {(close) => <RequestForm session={session} onDone={close} />}
          </Disclosure>
          <button
            type="button"
            className="secondary"
            disabled={isBusy}
            onClick={() => void send({ type: 'meeting.started', payload: {} })}
          >
            {t('request.startWithout')}
          </button>
          {error && <p role="alert">{error}</p>}
        </>
      )}
    </section>
  );
}

function Ready({ session }: { session: MeetingSession }) {
  const t = useT();
  const ctx = useMeetingSnapshot(session).context;
  const { send, isBusy } = useSend(session);
  return (
    <section aria-labelledby="step-title">
      <h2 id="step-title">{t('ready.title')}</h2>
      <OutcomeSummary session={session} />
      <p>{t('ready.notCancelled')}</p>
      <GuidanceNote refText={profileOf(ctx).refs.notCancelled} />
      <button
        type="button"
        className="primary big"
        disabled={isBusy}
        onClick={() => void send({ type: 'meeting.started', payload: {} })}
      >
        {t('ready.start')}
      </button>
      <Disclosure label={t('ready.arrived')}>
        {(close) => <AttendeeForm session={session} kind="attendee.added" onDone={close} />}
      </Disclosure>
      <ReasonAction
        session={session}
        label={t('ready.askAgain')}
        reasonLabel={t('ready.askAgainReason')}
        submitLabel={t('ready.askAgainSubmit')}
        build={(reason) => ({ type: 'review.requested', payload: { reason } })}
      />
    </section>
  );
}

function During({ session }: { session: MeetingSession }) {
  const t = useT();
  const snapshot = useMeetingSnapshot(session);
  const ctx = snapshot.context;
  const phase = phaseOf(snapshot);
  const { send, error, isBusy } = useSend(session);
  const can = (event: Parameters<MeetingSession['can']>[0]) => snapshot.can(event);
  return (
    <section aria-labelledby="step-title">
      <h2 id="step-title">{t('during.title')}</h2>
      <p className="recording-state" role="status">
        {phase === 'discussing.recording'
          ? t('during.recordingOn')
          : phase === 'discussing.paused'
            ? t('during.recordingPausedPermitted')
            : t('during.recordingOff')}
      </p>
      <OutcomeSummary session={session} />
      {can({ type: 'recording.started', payload: {} }) && (
        <button
          type="button"
          className="primary big"
          disabled={isBusy}
          onClick={() => void send({ type: 'recording.started', payload: {} })}
        >
          {t('during.startRecording')}
        </button>
      )}
      {can({ type: 'recording.resumed', payload: {} }) && (
        <button
          type="button"
          className="primary big"
          disabled={isBusy}
          onClick={() => void send({ type: 'recording.resumed', payload: {} })}
        >
          {t('during.resumeRecording')}
        </button>
      )}
      {error && <p role="alert">{error}</p>}
      <GuidanceNote refText={profileOf(ctx).refs.changes} />
      <div className="controls">
        <Disclosure label={t('during.joined')}>
          {(close) => <AttendeeForm session={session} kind="attendee.joined" onDone={close} />}
        </Disclosure>
        <Disclosure label={t('during.left')}>
          {(close) => <LeftForm session={session} onDone={close} />}
        </Disclosure>
        {ctx.outcome?.status !== 'permitted' ? (
          <Disclosure label={t('during.requestNow')}>
            {(close) => <RequestForm session={session} onDone={close} />}
          </Disclosure>
        ) : null}
        {phase === 'discussing.recording' && (
          <ReasonAction
            session={session}
            label={t('during.pause')}
            reasonLabel={t('during.pauseReason')}
            submitLabel={t('during.pauseSubmit')}
            build={(reason) => ({ type: 'recording.paused', payload: { reason } })}
          />
        )}
        {can({ type: 'review.requested', payload: { reason: '-' } }) && (
          <ReasonAction
            session={session}
            label={t('ready.askAgain')}
            reasonLabel={t('ready.askAgainReason')}
            submitLabel={t('ready.askAgainSubmit')}
            build={(reason) => ({ type: 'review.requested', payload: { reason } })}
          />
        )}
        {can({ type: 'recording.withdrawn', payload: { reason: '-' } }) && (
          <ReasonAction
            session={session}
            label={t('during.withdraw')}
            reasonLabel={t('during.withdrawReason')}
            submitLabel={t('during.withdrawSubmit')}
            build={(reason) => ({ type: 'recording.withdrawn', payload: { reason } })}
          />
        )}
      </div>
    </section>
  );
}

export function PausedNotice({ onContinue }: { onContinue: () => void }) {
  const t = useT();
  return (
    <div
      className="paused-screen"
      role="alertdialog"
      aria-labelledby="paused-title"
      aria-describedby="paused-body"
    >
      <h1 id="paused-title">{t('paused.title')}</h1>
      <p id="paused-body">{t('paused.body')}</p>
      <button type="button" className="primary big" onClick={onContinue}>
        {t('paused.ack')}
      </button>
    </div>
  );
}

/** The chair's screen for the current step. */
export function ChairMeetingView({
  session,
  onHandOverForSigning,
  onHome,
  onLock,
}: {
  session: MeetingSession;
  onHandOverForSigning: () => void;
  onHome: () => void;
  onLock: () => void;
}) {
  const t = useT();
  const snapshot = useMeetingSnapshot(session);
  const ctx = snapshot.context;
  const phase = phaseOf(snapshot);
  const { send, isBusy } = useSend(session);
  const isPaused = ctx.recording === 'paused';

  if (phase === 'closed') return <MinutesView session={session} onHome={onHome} />;

  return (
    <div className="meeting">
      <header className="meeting-header">
        <p className="phase">
          {ctx.meeting?.title} · {t(`phase.${phase}`)}
        </p>
        <OfflineIndicator />
        <SyncBadge meetingId={session.meetingId} />
        <button type="button" className="quiet" onClick={onLock}>
          {t('pin.lockNow')}
        </button>
        {isPaused && (
          <p className="paused-banner" role="status">
            {t('paused.banner')}
          </p>
        )}
      </header>
      <div className="meeting-body">
        <div className="step">
          {phase === 'preparing' && <Preparing session={session} />}
          {phase === 'review.eligibility' && <EligibilityStep session={session} />}
          {phase === 'review.undertaking' && (
            <UndertakingChairStep session={session} onHandOver={onHandOverForSigning} />
          )}
          {phase === 'review.round' && <RoundStep session={session} />}
          {phase === 'review.screening' && <ScreeningStep session={session} />}
          {phase === 'review.decision' && <DecisionStep session={session} />}
          {phase === 'review.alternatives' && <AlternativesStep session={session} />}
          {phase === 'ready' && <Ready session={session} />}
          {phase.startsWith('discussing') && <During session={session} />}
          <section className="always-controls" aria-label={t('sidebar.chairControls')}>
            <ReasonAction
              session={session}
              label={t('covert.button')}
              reasonLabel={t('covert.note')}
              submitLabel={t('covert.submit')}
              build={(note) => ({ type: 'covert-recording.suspected', payload: { note } })}
            />
            <Disclosure label={t('closing.button')}>
              {() => (
                <>
                  <p>{t('closing.warning')}</p>
                  <button
                    type="button"
                    className="danger"
                    disabled={isBusy}
                    onClick={() => void send({ type: 'meeting.closed', payload: {} })}
                  >
                    {t('closing.confirm')}
                  </button>
                </>
              )}
            </Disclosure>
          </section>
        </div>
        <StatusPanel session={session} />
      </div>
    </div>
  );
}
