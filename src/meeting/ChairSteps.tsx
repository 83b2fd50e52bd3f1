/** The chair's screens for each step of a review (eligibility, promise, round, reasons, decision, alternatives). */
import './messages';
import { type ReactNode, useState } from 'react';
import { isRemote } from '../domain/participation';
import type { AlternativeId, RefusalGroundId } from '../domain/profiles';
import {
  answersOf,
  attendeeById,
  attendeesToAsk,
  eligibilityBasis,
  type GroundStanding,
  groundStandings,
  isInRoom,
  profileOf,
  requesterAwaitingEligibility,
  requesterAwaitingUndertaking,
  unaddressedDerivedGrounds,
  unansweredChairGrounds,
} from '../domain/rules';
import {
  CheckboxField,
  Disclosure,
  ErrorText,
  GuidanceNote,
  RadioGroup,
  TextArea,
} from '../shared/components';
import { useT } from '../shared/i18n';
import { AbsentObjectionForm, ReasonForm } from './forms';
import { wayShort } from './Participation';
import { type MeetingSession, useMeetingSnapshot } from './session';
import { UnderstandingSkip } from './UnderstandingCheck';
import { useSend } from './useSend';

/** A step's heading: focused when the step opens (see ChairMeetingView), so it is announced. */
export function StepTitle({ children }: { children: ReactNode }) {
  return (
    <h2 id="step-title" tabIndex={-1}>
      {children}
    </h2>
  );
}

export function EligibilityStep({ session }: { session: MeetingSession }) {
  const t = useT();
  const ctx = useMeetingSnapshot(session).context;
  const { send, error, isBusy } = useSend(session);
  const requesterId = requesterAwaitingEligibility(ctx) ?? '';
  const requester = attendeeById(ctx, requesterId);
  const basis = requesterId ? eligibilityBasis(ctx, requesterId) : null;
  const name = requester?.name ?? '';
  return (
    <section aria-labelledby="step-title">
      <StepTitle>{t('eligibility.title')}</StepTitle>
      <GuidanceNote refText={profileOf(ctx).eligibilityRequired.ref} />
      <p>
        {basis === 'subject-child'
          ? t('eligibility.eligibleChild', { name })
          : basis === 'parent-with-pr'
            ? t('eligibility.eligibleParent', { name })
            : t('eligibility.notEligible', { name })}
      </p>
      {basis && (
        <button
          type="button"
          className="primary"
          disabled={isBusy}
          onClick={() => void send({ type: 'eligibility.confirmed', payload: { basis, requesterId } })}
        >
          {t('eligibility.confirm', { name })}
        </button>
      )}
      <ErrorText message={error} />
      <ReasonForm
        session={session}
        label={t('eligibility.reason')}
        submitLabel={t('eligibility.refuse', { name })}
        build={(reason) => ({ type: 'eligibility.refused', payload: { reason, requesterId } })}
      />
    </section>
  );
}

export function UndertakingChairStep({
  session,
  onHandOver,
}: {
  session: MeetingSession;
  onHandOver: () => void;
}) {
  const t = useT();
  const ctx = useMeetingSnapshot(session).context;
  const requester = attendeeById(ctx, requesterAwaitingUndertaking(ctx) ?? '');
  return (
    <section aria-labelledby="step-title">
      <StepTitle>{t('undertaking.chairTitle')}</StepTitle>
      <GuidanceNote refText={profileOf(ctx).undertaking.ref} />
      <p>{t('undertaking.chairBody', { name: requester?.name ?? '' })}</p>
      {requester && !isInRoom(ctx, requester.id) ? (
        <p className="notice">
          {t('relay.signInRoom', {
            name: requester.name,
            way: wayShort(t, requester),
          })}
        </p>
      ) : (
        <button type="button" className="primary big" onClick={onHandOver}>
          {t('undertaking.handTo', { name: requester?.name ?? '' })}
        </button>
      )}
      <UnderstandingSkip session={session} />
    </section>
  );
}

export function RoundStep({ session }: { session: MeetingSession }) {
  const t = useT();
  const ctx = useMeetingSnapshot(session).context;
  const { send, error, isBusy } = useSend(session);
  const toAsk = attendeesToAsk(ctx);
  const waiting = toAsk.filter((a) => ctx.answers[a.id] === undefined);
  return (
    <section aria-labelledby="step-title">
      <StepTitle>{t('round.title')}</StepTitle>
      <GuidanceNote refText={profileOf(ctx).refs.round} />
      <p>{t('round.body')}</p>
      {groundStandings(ctx)
        .filter((g) => g.standing === 'raised' && g.ground === 'no-parental-responsibility')
        .map((g) => (
          <p key={g.ground} className="notice">
            {t('round.groundKnown', { ground: t(`grounds.${g.ground}`) })}
          </p>
        ))}
      <ul className="actions">
        {waiting.map((a) => (
          <li key={a.id}>
            <button
              type="button"
              className="primary big"
              disabled={isBusy}
              onClick={() => void send({ type: 'consent.asked', payload: { attendeeId: a.id } })}
            >
              {!isRemote(a)
                ? t('round.handTo', { name: a.name })
                : t('relay.askBy', { name: a.name, way: wayShort(t, a) })}
            </button>
          </li>
        ))}
      </ul>
      <ErrorText message={error} />
    </section>
  );
}

/**
 * HCS 1.4: one compact list of the reasons to refuse, each once. What the domain says of each (groundStandings)
 * decides where it goes: raised ones must be answered with a note; the chair's own ones can be answered one by
 * one or all at once; ruled-out ones are folded away with why.
 */
export function ScreeningStep({ session }: { session: MeetingSession }) {
  const t = useT();
  const ctx = useMeetingSnapshot(session).context;
  const standings = groundStandings(ctx);
  const { send, error, isBusy } = useSend(session);
  const [notes, setNotes] = useState<Partial<Record<RefusalGroundId, string>>>({});
  const [opened, setOpened] = useState<RefusalGroundId[]>([]);
  const [noteError, setNoteError] = useState<RefusalGroundId | null>(null);
  const unaddressed = unaddressedDerivedGrounds(ctx);
  const othersOpen = unansweredChairGrounds(ctx);
  const raised = standings.filter((g) => g.standing === 'raised');
  const forChair = standings.filter((g) => g.standing === 'chair-to-answer');
  const ruledOut = standings.filter((g) => g.standing === 'ruled-out');

  const decide = async (ground: RefusalGroundId, verdict: 'confirmed' | 'dismissed') => {
    const note = notes[ground]?.trim() ?? '';
    if (!note) return setNoteError(ground);
    setNoteError(null);
    await send({
      type: verdict === 'confirmed' ? 'ground.confirmed' : 'ground.dismissed',
      payload: { ground, note },
    });
  };

  const item = (g: GroundStanding) => {
    const verdict = ctx.grounds[g.ground];
    const isOpen = g.standing === 'raised' || opened.includes(g.ground);
    return (
      <li key={g.ground}>
        <article className="ground" aria-label={t(`grounds.${g.ground}`)}>
          <p className="ground-text">{t(`grounds.${g.ground}`)}</p>
          {g.standing === 'raised' && (
            <p className="small">{t('screening.raisedBecause', { why: t(`groundWhy.${g.why}`) })}</p>
          )}
          {verdict ? (
            <p className="status-line">
              {verdict === 'confirmed' ? t('screening.confirmed') : t('screening.dismissed')}
            </p>
          ) : isOpen ? (
            <>
              <TextArea
                label={t('screening.note')}
                value={notes[g.ground] ?? ''}
                onChange={(v) => setNotes({ ...notes, [g.ground]: v })}
              />
              <ErrorText message={noteError === g.ground ? t('screening.needNote') : null} />
              <div className="row">
                <button
                  type="button"
                  className="secondary"
                  disabled={isBusy}
                  onClick={() => void decide(g.ground, 'confirmed')}
                >
                  {t('screening.confirm')}
                </button>
                <button
                  type="button"
                  className="secondary"
                  disabled={isBusy}
                  onClick={() => void decide(g.ground, 'dismissed')}
                >
                  {t('screening.dismiss')}
                </button>
              </div>
            </>
          ) : (
            <button type="button" className="secondary" onClick={() => setOpened([...opened, g.ground])}>
              {t('screening.answerOne')}
            </button>
          )}
        </article>
      </li>
    );
  };

  return (
    <section aria-labelledby="step-title">
      <StepTitle>{t('screening.title')}</StepTitle>
      <GuidanceNote refText="HCS 1.4" />
      <p>{t('screening.body')}</p>
      {raised.length > 0 && (
        <>
          <h3>{t('screening.raised')}</h3>
          <ol className="grounds">{raised.map(item)}</ol>
        </>
      )}
      {forChair.length > 0 && (
        <>
          <h3>{t('screening.othersTitle')}</h3>
          <ol className="grounds">{forChair.map(item)}</ol>
        </>
      )}
      {ruledOut.length > 0 && (
        <details className="ruled-out">
          <summary>{t('screening.ruledOutTitle', { count: ruledOut.length })}</summary>
          <ul className="grounds">
            {ruledOut.map((g) =>
              g.standing === 'ruled-out' ? (
                <li key={g.ground}>
                  <p className="ground-text">{t(`grounds.${g.ground}`)}</p>
                  <p className="small">{t('screening.ruledOut', { why: t(`groundWhy.${g.why}`) })}</p>
                </li>
              ) : null,
            )}
          </ul>
        </details>
      )}
      <Disclosure label={t('screening.absentObjection')}>
        {(close) => <AbsentObjectionForm session={session} onDone={close} />}
      </Disclosure>
      <ErrorText message={error} />
      {unaddressed.length > 0 && <p className="notice">{t('screening.unaddressed')}</p>}
      <button
        type="button"
        className="primary"
        disabled={isBusy || unaddressed.length > 0}
        onClick={() =>
          void send({
            type: 'screening.completed',
            payload: othersOpen.length > 0 ? { otherGroundsNotApplicable: true } : {},
          })
        }
      >
        {othersOpen.length > 0 ? t('screening.noneOfOthers') : t('screening.done')}
      </button>
    </section>
  );
}

export function DecisionStep({ session }: { session: MeetingSession }) {
  const t = useT();
  const ctx = useMeetingSnapshot(session).context;
  const decliners = answersOf(ctx, 'declined');
  const [outcome, setOutcome] = useState<'permitted' | 'not-permitted'>('not-permitted');
  const [reason, setReason] = useState('');
  const [disagreements, setDisagreements] = useState(
    decliners
      .map((a) => t('decision.didNotAgree', { name: a.name, role: t(`attendees.rolesInSentence.${a.role}`) }))
      .join(' '),
  );
  const { send, error, isBusy } = useSend(session);
  return (
    <section aria-labelledby="step-title">
      <StepTitle>{t('decision.title')}</StepTitle>
      <GuidanceNote refText={profileOf(ctx).chairDecidesProfessionalDisagreement.ref} />
      <p>{t('decision.body')}</p>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          void send({
            type: 'chair.decided',
            payload: { outcome, reason: reason.trim(), disagreements: disagreements.trim() },
          });
        }}
      >
        <RadioGroup
          legend={t('decision.outcome')}
          value={outcome}
          options={[
            { value: 'permitted', label: t('decision.permit') },
            { value: 'not-permitted', label: t('decision.refuse') },
          ]}
          onChange={setOutcome}
        />
        <TextArea label={t('decision.reason')} value={reason} onChange={setReason} />
        <TextArea label={t('decision.disagreements')} value={disagreements} onChange={setDisagreements} />
        <ErrorText message={error} />
        <button type="submit" className="primary" disabled={isBusy}>
          {t('decision.submit')}
        </button>
      </form>
    </section>
  );
}

export function AlternativesStep({ session }: { session: MeetingSession }) {
  const t = useT();
  const ctx = useMeetingSnapshot(session).context;
  const profile = profileOf(ctx);
  const [chosen, setChosen] = useState<AlternativeId[]>([]);
  const [note, setNote] = useState('');
  const { send, error, setError, isBusy } = useSend(session);
  return (
    <section aria-labelledby="step-title">
      <StepTitle>{t('alternatives.title')}</StepTitle>
      <GuidanceNote refText={profile.alternatives.ref} />
      <p>{t('alternatives.body')}</p>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (chosen.length === 0 && !note.trim()) return setError(t('alternatives.needSomething'));
          void send({ type: 'alternatives.offered', payload: { arrangements: chosen, note: note.trim() } });
        }}
      >
        <fieldset className="checks">
          <legend>{t('alternatives.title')}</legend>
          {profile.alternatives.offered.map((o) => (
            <CheckboxField
              key={o.id}
              label={t(`alternativeLabels.${o.id}`)}
              isChecked={chosen.includes(o.id)}
              onChange={(v) => setChosen(v ? [...chosen, o.id] : chosen.filter((x) => x !== o.id))}
            />
          ))}
        </fieldset>
        <TextArea label={t('alternatives.note')} value={note} onChange={setNote} />
        <ErrorText message={error} />
        <button type="submit" className="primary" disabled={isBusy}>
          {t('alternatives.submit')}
        </button>
      </form>
    </section>
  );
}
