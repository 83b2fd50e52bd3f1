/** The chair's screens for each step of a review (eligibility, promise, round, reasons, decision, alternatives). */
import { useState } from 'react';
import type { AlternativeId, RefusalGroundId } from '../domain/profiles';
import {
  answersOf,
  attendeeById,
  attendeesToAsk,
  eligibilityBasis,
  groundStandings,
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
import { type MeetingSession, useMeetingSnapshot } from './session';
import { UnderstandingSkip } from './UnderstandingCheck';
import { useSend } from './useSend';

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
      <h2 id="step-title">{t('eligibility.title')}</h2>
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
      <h2 id="step-title">{t('undertaking.chairTitle')}</h2>
      <GuidanceNote refText={profileOf(ctx).undertaking.ref} />
      <p>{t('undertaking.chairBody', { name: requester?.name ?? '' })}</p>
      <button type="button" className="primary big" onClick={onHandOver}>
        {t('undertaking.handTo', { name: requester?.name ?? '' })}
      </button>
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
      <h2 id="step-title">{t('round.title')}</h2>
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
              {t('round.handTo', { name: a.name })}
            </button>
          </li>
        ))}
      </ul>
      <ErrorText message={error} />
    </section>
  );
}

export function ScreeningStep({ session }: { session: MeetingSession }) {
  const t = useT();
  const ctx = useMeetingSnapshot(session).context;
  const standings = groundStandings(ctx);
  const { send, error, isBusy } = useSend(session);
  const [notes, setNotes] = useState<Partial<Record<RefusalGroundId, string>>>({});
  const [noteError, setNoteError] = useState<RefusalGroundId | null>(null);
  const unaddressed = unaddressedDerivedGrounds(ctx);
  const othersOpen = unansweredChairGrounds(ctx);

  const decide = async (ground: RefusalGroundId, verdict: 'confirmed' | 'dismissed') => {
    const note = notes[ground]?.trim() ?? '';
    if (!note) return setNoteError(ground);
    setNoteError(null);
    await send({
      type: verdict === 'confirmed' ? 'ground.confirmed' : 'ground.dismissed',
      payload: { ground, note },
    });
  };

  const answerable = (ground: RefusalGroundId, reason: string | null) => {
    const verdict = ctx.grounds[ground];
    return (
      <article key={ground} className="panel" aria-label={t(`grounds.${ground}`)}>
        <p>
          {reason && <strong className="tag">{t('screening.raised')}: </strong>}
          {t(`grounds.${ground}`)}
        </p>
        {reason && <p className="small">{reason}</p>}
        {verdict ? (
          <p className="status-line">
            {verdict === 'confirmed' ? t('screening.confirmed') : t('screening.dismissed')}
          </p>
        ) : (
          <>
            <TextArea
              label={`${t('screening.note')}: ${t(`grounds.${ground}`)}`}
              value={notes[ground] ?? ''}
              onChange={(v) => setNotes({ ...notes, [ground]: v })}
            />
            <ErrorText message={noteError === ground ? t('screening.needNote') : null} />
            <div className="row">
              <button
                type="button"
                className="secondary"
                disabled={isBusy}
                onClick={() => void decide(ground, 'confirmed')}
              >
                {t('screening.confirm')}
              </button>
              <button
                type="button"
                className="secondary"
                disabled={isBusy}
                onClick={() => void decide(ground, 'dismissed')}
              >
                {t('screening.dismiss')}
              </button>
            </div>
          </>
        )}
      </article>
    );
  };

  return (
    <section aria-labelledby="step-title">
      <h2 id="step-title">{t('screening.title')}</h2>
      <GuidanceNote refText="HCS 1.4" />
      <p>{t('screening.body')}</p>
      {standings.map((g) =>
        g.standing === 'raised'
          ? answerable(g.ground, t('screening.raisedBecause', { why: t(`groundWhy.${g.why}`) }))
          : null,
      )}
      <h3>{t('screening.othersTitle')}</h3>
      {standings.map((g) => (g.standing === 'chair-to-answer' ? answerable(g.ground, null) : null))}
      <details className="ruled-out">
        <summary>{t('screening.ruledOutTitle')}</summary>
        <ul>
          {standings.map((g) =>
            g.standing === 'ruled-out' ? (
              <li key={g.ground}>
                {t(`grounds.${g.ground}`)} {t('screening.ruledOut', { why: t(`groundWhy.${g.why}`) })}
              </li>
            ) : null,
          )}
        </ul>
      </details>
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
      <h2 id="step-title">{t('decision.title')}</h2>
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
      <h2 id="step-title">{t('alternatives.title')}</h2>
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
