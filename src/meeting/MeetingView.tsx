/**
 * The chair's view of the open meeting: the step the statechart is at, a live panel of everyone present,
 * and the controls allowed now. Which controls are offered is asked of the machine (snapshot.can).
 */
import './messages';
import { useLayoutEffect, useRef } from 'react';
import { phaseOf } from '../domain/engine';
import { isRemote } from '../domain/participation';
import {
  attendeeById,
  attendeesToAsk,
  isExpected,
  isRequester,
  isRequesterPresent,
  leftAttendees,
  minuteConfirmer,
  profileOf,
  removableAttendees,
  requesterAwaitingUndertaking,
} from '../domain/rules';
import { OfflineIndicator } from '../pwa/OfflineIndicator';
import { Disclosure, GuidanceNote } from '../shared/components';
import { useT } from '../shared/i18n';
import type { PinRecord } from '../storage/pin';
import { SyncBadge } from '../sync/SyncBadge';
import {
  AlternativesStep,
  DecisionStep,
  EligibilityStep,
  RoundStep,
  ScreeningStep,
  StepTitle,
  UndertakingChairStep,
} from './ChairSteps';
import {
  AttendeeForm,
  CorrectAttendeeForm,
  CorrectRequestForm,
  LeftForm,
  ParticipationChangeForm,
  PersonActionForm,
  ReasonAction,
  RequestForm,
} from './forms';
import { ConfirmAndClose, MinutesView } from './Minutes';
import { wayShort } from './Participation';
import { RecordingState } from './RecordingState';
import { type MeetingSession, useAllowedKinds, useMeetingSnapshot } from './session';
import { useSend } from './useSend';

export function StatusPanel({ session }: { session: MeetingSession }) {
  const t = useT();
  const ctx = useMeetingSnapshot(session).context;
  const askable = new Set(attendeesToAsk(ctx).map((a) => a.id));
  return (
    <aside className="status-panel" aria-labelledby="status-title">
      <h2 id="status-title">{t('status.title')}</h2>
      {ctx.attendees.length === 0 && <p>{t('attendees.none')}</p>}
      <ul>
        {ctx.attendees.map((a) => {
          const answer = ctx.answers[a.id];
          const status = isExpected(a)
            ? t('status.expected')
            : !a.isPresent
              ? answer
                ? `${t('status.left')}, ${t(`status.${answer}`)}`
                : t('status.left')
              : isRequester(ctx, a.id)
                ? t('status.requester')
                : ctx.asking === a.id
                  ? t('status.asking')
                  : answer
                    ? t(`status.${answer}`)
                    : ctx.request && askable.has(a.id)
                      ? t('status.notAsked')
                      : ctx.coveredInAdvance?.[a.id]
                        ? t('status.covered')
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
                {a.isPresent && isRemote(a) && <span className="role"> {wayShort(t, a)}</span>}
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
  const namesOf = (ids: readonly string[]) => ids.map((id) => attendeeById(ctx, id)?.name ?? '').join(', ');
  if (!ctx.outcome) return <p>{t('outcome.noRequest')}</p>;
  return (
    <div className="outcome" role="status">
      <h3>{t('outcome.title')}</h3>
      <p>
        <strong>{t(`outcome.${ctx.outcome.status}`)}</strong> {t(`outcome.basis.${ctx.outcome.basis}`)}
      </p>
      {(ctx.outcome.declinedIds ?? []).length > 0 && (
        <p>{t('outcome.declinedBy', { names: namesOf(ctx.outcome.declinedIds ?? []) })}</p>
      )}
      {(ctx.outcome.awaitingIds ?? []).length > 0 && (
        <p>{t('outcome.awaitingFrom', { names: namesOf(ctx.outcome.awaitingIds ?? []) })}</p>
      )}
      <GuidanceNote refText={ctx.outcome.ref} />
    </div>
  );
}

/**
 * A step's guidance reference under the outcome: shown unless the outcome above already names that
 * paragraph (after a withdrawal both are HCS 2.11), so that no reference stands twice on a screen.
 */
function StepGuidance({ session, refText }: { session: MeetingSession; refText: string }) {
  const ctx = useMeetingSnapshot(session).context;
  return refText === ctx.outcome?.ref ? null : <GuidanceNote refText={refText} />;
}

function Preparing({ session }: { session: MeetingSession }) {
  const t = useT();
  const ctx = useMeetingSnapshot(session).context;
  const { send, error, isBusy } = useSend(session);
  const hasPeople = ctx.attendees.length >= 2;
  return (
    <section aria-labelledby="step-title">
      <StepTitle>{t('attendees.title')}</StepTitle>
      {/* Stays open after each person is added, ready for the next: one tap fewer per attendee. */}
      <Disclosure label={t('attendees.add')} className="primary" closeLabel={t('attendees.doneAdding')}>
        {() => <AttendeeForm session={session} kind="attendee.added" isRepeating />}
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

/** A request decided in advance (HCS 2.5): the requester signs the undertaking once they are here. */
function SignWhenHere({
  session,
  onHandOverForSigning,
}: {
  session: MeetingSession;
  onHandOverForSigning: () => void;
}) {
  const t = useT();
  const ctx = useMeetingSnapshot(session).context;
  const allowed = useAllowedKinds(session);
  const signer = attendeeById(ctx, requesterAwaitingUndertaking(ctx) ?? '');
  if (!signer) return null;
  return (
    <>
      {!signer.isPresent && <p className="notice">{t('ready.toSignWhenHere', { name: signer.name })}</p>}
      {allowed.has('undertaking.signed') && (
        <button type="button" className="primary big" onClick={onHandOverForSigning}>
          {t('undertaking.handTo', { name: signer.name })}
        </button>
      )}
    </>
  );
}

function Ready({
  session,
  onHandOverForSigning,
}: {
  session: MeetingSession;
  onHandOverForSigning: () => void;
}) {
  const t = useT();
  const ctx = useMeetingSnapshot(session).context;
  const { send, isBusy } = useSend(session);
  return (
    <section aria-labelledby="step-title">
      <StepTitle>{t('ready.title')}</StepTitle>
      <OutcomeSummary session={session} />
      <SignWhenHere session={session} onHandOverForSigning={onHandOverForSigning} />
      <p>{t('ready.notCancelled')}</p>
      <StepGuidance session={session} refText={profileOf(ctx).refs.notCancelled} />
      <button
        type="button"
        className="primary big"
        disabled={isBusy}
        onClick={() => void send({ type: 'meeting.started', payload: {} })}
      >
        {t('ready.start')}
      </button>
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

function During({
  session,
  onHandOverForSigning,
}: {
  session: MeetingSession;
  onHandOverForSigning: () => void;
}) {
  const t = useT();
  const ctx = useMeetingSnapshot(session).context;
  const { send, error, isBusy } = useSend(session);
  const allowed = useAllowedKinds(session);
  const isStoppedByLeaving = ctx.pauseCause === 'requester-left';
  const isRequesterAway = isStoppedByLeaving && !isRequesterPresent(ctx);
  return (
    <section aria-labelledby="step-title">
      <StepTitle>{t('during.title')}</StepTitle>
      {isStoppedByLeaving && (
        <p className="notice">{isRequesterAway ? t('during.requesterAway') : t('during.requesterBack')}</p>
      )}
      <OutcomeSummary session={session} />
      <SignWhenHere session={session} onHandOverForSigning={onHandOverForSigning} />
      {allowed.has('recording.started') && (
        <button
          type="button"
          className="primary big"
          disabled={isBusy}
          onClick={() => void send({ type: 'recording.started', payload: {} })}
        >
          {t('during.startRecording')}
        </button>
      )}
      {allowed.has('recording.resumed') && (
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
      <StepGuidance session={session} refText={profileOf(ctx).refs.changes} />
      <div className="controls">
        {allowed.has('request.made') && (
          <Disclosure label={t('during.requestNow')}>
            {(close) => <RequestForm session={session} onDone={close} />}
          </Disclosure>
        )}
        {allowed.has('recording.paused') && (
          <ReasonAction
            session={session}
            label={t('during.pause')}
            reasonLabel={t('during.pauseReason')}
            submitLabel={t('during.pauseSubmit')}
            build={(reason) => ({ type: 'recording.paused', payload: { reason } })}
          />
        )}
        {allowed.has('review.requested') && (
          <ReasonAction
            session={session}
            label={t('ready.askAgain')}
            reasonLabel={t('ready.askAgainReason')}
            submitLabel={t('ready.askAgainSubmit')}
            build={(reason) => ({ type: 'review.requested', payload: { reason } })}
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
  pin,
  onHandOverForSigning,
  onHome,
  onLock,
}: {
  session: MeetingSession;
  pin: PinRecord;
  onHandOverForSigning: () => void;
  onHome: () => void;
  onLock: () => void;
}) {
  const t = useT();
  const snapshot = useMeetingSnapshot(session);
  const ctx = snapshot.context;
  const phase = phaseOf(snapshot);
  const stepRef = useRef<HTMLDivElement>(null);
  // Each new step (and the chair's screen after the tablet comes back) opens at its top with focus on its
  // heading, so a screen reader announces it and the previous step's scroll position is not kept.
  useLayoutEffect(() => {
    void phase;
    window.scrollTo(0, 0);
    stepRef.current?.querySelector<HTMLElement>('#step-title')?.focus({ preventScroll: true });
  }, [phase]);

  if (phase === 'closed' || phase === 'discarded') return <MinutesView session={session} onHome={onHome} />;

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
        <RecordingState session={session} />
      </header>
      <div className="meeting-body">
        <div className="step" ref={stepRef}>
          {phase === 'preparing' && <Preparing session={session} />}
          {phase === 'review.eligibility' && <EligibilityStep session={session} />}
          {phase === 'review.undertaking' && (
            <UndertakingChairStep session={session} onHandOver={onHandOverForSigning} />
          )}
          {phase === 'review.round' && <RoundStep session={session} />}
          {phase === 'review.screening' && <ScreeningStep session={session} />}
          {phase === 'review.decision' && <DecisionStep session={session} />}
          {phase === 'review.alternatives' && <AlternativesStep session={session} />}
          {phase === 'ready' && <Ready session={session} onHandOverForSigning={onHandOverForSigning} />}
          {phase.startsWith('discussing') && (
            <During session={session} onHandOverForSigning={onHandOverForSigning} />
          )}
          <NotHere session={session} />
          <ChangesPanel session={session} pin={pin} />
        </div>
        <StatusPanel session={session} />
      </div>
    </div>
  );
}

/**
 * Attendees on the list who are not in the room (invited to a meeting prepared in advance, or gone out): one
 * button each to mark them present (attendee.returned). Whether they are then asked, and what an advance
 * decision covers, is the domain's (rules.ts), not this list's.
 */
function NotHere({ session }: { session: MeetingSession }) {
  const t = useT();
  const ctx = useMeetingSnapshot(session).context;
  const allowed = useAllowedKinds(session);
  const { send, error, isBusy } = useSend(session);
  const absent = ctx.attendees.filter((a) => !a.isPresent);
  if (!allowed.has('attendee.returned') || absent.length === 0) return null;
  return (
    <section aria-labelledby="not-here-title" className="not-here">
      <h2 id="not-here-title">{t('changes.notHere')}</h2>
      <ul className="meeting-list">
        {absent.map((a) => (
          <li key={a.id}>
            <button
              type="button"
              className="secondary"
              disabled={isBusy}
              onClick={() => void send({ type: 'attendee.returned', payload: { attendeeId: a.id } })}
            >
              {t('changes.markPresent', { name: a.name, role: t(`attendees.roles.${a.role}`) })}
            </button>
          </li>
        ))}
      </ul>
      {error && <p role="alert">{error}</p>}
    </section>
  );
}

/**
 * What the chair can record at any step (DOMAIN.md: who joins, leaves or comes back; corrections, never
 * deletions; withdrawal while permission stands): each control shows only when the domain allows its kind.
 */
function ChangesPanel({ session, pin }: { session: MeetingSession; pin: PinRecord }) {
  const t = useT();
  const snapshot = useMeetingSnapshot(session);
  const ctx = snapshot.context;
  const allowed = useAllowedKinds(session);
  const phase = phaseOf(snapshot);
  // Where closing would be possible but for the chair's confirmation, and nobody on the list can give it.
  const isClosable = phase === 'ready' || phase.startsWith('discussing');
  const present = ctx.attendees.filter((a) => a.isPresent);
  // Those who were here and went: the invited not yet here are marked present in their own list (NotHere).
  const gone = leftAttendees(ctx);
  const removable = removableAttendees(ctx);
  return (
    <section className="always-controls" aria-label={t('sidebar.chairControls')}>
      <h2>{t('changes.title')}</h2>
      {allowed.has('attendee.added') && (
        <Disclosure label={t('changes.arrived')}>
          {(close) => <AttendeeForm session={session} kind="attendee.added" onDone={close} />}
        </Disclosure>
      )}
      {allowed.has('attendee.joined') && (
        <Disclosure label={t('during.joined')}>
          {(close) => <AttendeeForm session={session} kind="attendee.joined" onDone={close} />}
        </Disclosure>
      )}
      {allowed.has('attendee.left') && present.length > 0 && (
        <Disclosure label={t('during.left')}>
          {(close) => <LeftForm session={session} onDone={close} />}
        </Disclosure>
      )}
      {allowed.has('attendee.participation-changed') && present.length > 0 && (
        <Disclosure label={t('relay.change')}>
          {(close) => <ParticipationChangeForm session={session} onDone={close} />}
        </Disclosure>
      )}
      {allowed.has('attendee.returned') && gone.length > 0 && (
        <Disclosure label={t('changes.returned')}>
          {(close) => (
            <PersonActionForm
              session={session}
              people={gone}
              whoLabel={t('changes.returnedWho')}
              submitLabel={t('changes.returnedSubmit')}
              build={(attendeeId) => ({ type: 'attendee.returned', payload: { attendeeId } })}
              onDone={close}
            />
          )}
        </Disclosure>
      )}
      {allowed.has('recording.withdrawn') && (
        <ReasonAction
          session={session}
          label={t('during.withdraw')}
          reasonLabel={t('during.withdrawReason')}
          submitLabel={t('during.withdrawSubmit')}
          build={(reason) => ({ type: 'recording.withdrawn', payload: { reason } })}
        />
      )}
      {allowed.has('concern.escalated') && (
        <ReasonAction
          session={session}
          label={t('during.escalate')}
          reasonLabel={t('during.escalateNote')}
          submitLabel={t('during.escalateSubmit')}
          build={(note) => ({ type: 'concern.escalated', payload: { note } })}
        />
      )}
      {allowed.has('concern.advice-received') && (
        <ReasonAction
          session={session}
          label={t('during.advice')}
          reasonLabel={t('during.adviceNote')}
          submitLabel={t('during.adviceSubmit')}
          build={(note) => ({ type: 'concern.advice-received', payload: { note } })}
        />
      )}
      {allowed.has('attendee.corrected') && ctx.attendees.length > 0 && (
        <Disclosure label={t('changes.correct')}>
          {(close) => <CorrectAttendeeForm session={session} onDone={close} />}
        </Disclosure>
      )}
      {allowed.has('attendee.removed') && removable.length > 0 && (
        <Disclosure label={t('changes.remove')}>
          {(close) => (
            <PersonActionForm
              session={session}
              people={removable}
              whoLabel={t('changes.removeWho')}
              reasonLabel={t('changes.removeReason')}
              submitLabel={t('changes.removeSubmit')}
              build={(attendeeId, reason) => ({ type: 'attendee.removed', payload: { attendeeId, reason } })}
              onDone={close}
            />
          )}
        </Disclosure>
      )}
      {allowed.has('request.corrected') && (
        <Disclosure label={t('changes.correctRequest')}>
          {(close) => <CorrectRequestForm session={session} onDone={close} />}
        </Disclosure>
      )}
      <ReasonAction
        session={session}
        label={t('covert.button')}
        reasonLabel={t('covert.note')}
        submitLabel={t('covert.submit')}
        build={(note) => ({ type: 'covert-recording.suspected', payload: { note } })}
      />
      {allowed.has('meeting.discarded') && (
        <ReasonAction
          session={session}
          label={t('changes.discard')}
          reasonLabel={t('changes.discardReason')}
          submitLabel={t('changes.discardSubmit')}
          build={(reason) => ({ type: 'meeting.discarded', payload: { reason } })}
        />
      )}
      {/* Closing takes the chair's confirmation first, so it is offered while either step is possible. */}
      {(allowed.has('minute.confirmed') || allowed.has('meeting.closed')) && (
        <Disclosure label={t('closing.button')}>
          {() => <ConfirmAndClose session={session} pin={pin} />}
        </Disclosure>
      )}
      {isClosable && minuteConfirmer(ctx) === undefined && <p className="notice">{t('closing.noChair')}</p>}
    </section>
  );
}
