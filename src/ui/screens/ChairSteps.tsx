/** The chair's screens for each step of a review (eligibility, promise, round, reasons, decision, alternatives). */
import { useState } from 'react';
import type { AlternativeId, RefusalGroundId } from '../../domain/profiles';
import {
  answersOf,
  attendeeById,
  attendeesToAsk,
  derivedGrounds,
  eligibilityBasis,
  profileOf,
  unaddressedDerivedGrounds,
} from '../../domain/rules';
import { CheckboxField, ErrorText, GuidanceNote, RadioGroup, TextArea } from '../components/common';
import { useT } from '../i18n';
import { type MeetingSession, useMeetingSnapshot } from '../session';
import { ReasonForm } from './forms';
import { useSend } from './useSend';

export function EligibilityStep({ session }: { session: MeetingSession }) {
  const t = useT();
  const ctx = useMeetingSnapshot(session).context;
  const { send, error, isBusy } = useSend(session);
  const requester = ctx.request ? attendeeById(ctx, ctx.request.requesterId) : undefined;
  const basis = ctx.request ? eligibilityBasis(ctx, ctx.request.requesterId) : null;
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
          onClick={() => void send({ type: 'eligibility.confirmed', payload: { basis } })}
        >
          {t('eligibility.confirm', { name })}
        </button>
      )}
      <ErrorText message={error} />
      <ReasonForm
        session={session}
        label={t('eligibility.reason')}
        submitLabel={t('eligibility.refuse', { name })}
        build={(reason) => ({ type: 'eligibility.refused', payload: { reason } })}
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
  const requester = ctx.request ? attendeeById(ctx, ctx.request.requesterId) : undefined;
  return (
    <section aria-labelledby="step-title">
      <h2 id="step-title">{t('undertaking.chairTitle')}</h2>
      <GuidanceNote refText={profileOf(ctx).undertaking.ref} />
      <p>{t('undertaking.chairBody', { name: requester?.name ?? '' })}</p>
      <button type="button" className="primary big" onClick={onHandOver}>
        {t('undertaking.handTo', { name: requester?.name ?? '' })}
      </button>
    </section>
  );
}

export function RoundStep({ session }: { session: MeetingSession }) {
  const t = useT();
  const ctx = useMeetingSnapshot(session).context;
  const { send, error, isBusy } = useSend(session);
  const toAsk = attendeesToAsk(ctx);
  const waiting = toAsk.filter((a) => ctx.answers[a.id] === undefined);
  const answered = toAsk.filter((a) => ctx.answers[a.id] !== undefined);
  return (
    <section aria-labelledby="step-title">
      <h2 id="step-title">{t('round.title')}</h2>
      <GuidanceNote refText={profileOf(ctx).refs.round} />
      <p>{t('round.body')}</p>
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
        {answered.map((a) => (
          <li key={a.id}>
            <button
              type="button"
              className="secondary"
              disabled={isBusy}
              onClick={() => void send({ type: 'consent.asked', payload: { attendeeId: a.id } })}
            >
              {t('round.askAgain', { name: a.name })}
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
  const profile = profileOf(ctx);
  const raised = new Set(derivedGrounds(ctx));
  const { send, error, isBusy } = useSend(session);
  const [notes, setNotes] = useState<Partial<Record<RefusalGroundId, string>>>({});
  const [noteError, setNoteError] = useState<RefusalGroundId | null>(null);
  const unaddressed = unaddressedDerivedGrounds(ctx);

  const decide = async (ground: RefusalGroundId, verdict: 'confirmed' | 'dismissed') => {
    const note = notes[ground]?.trim() ?? '';
    if (!note) return setNoteError(ground);
    setNoteError(null);
    await send({
      type: verdict === 'confirmed' ? 'ground.confirmed' : 'ground.dismissed',
      payload: { ground, note },
    });
  };

  return (
    <section aria-labelledby="step-title">
      <h2 id="step-title">{t('screening.title')}</h2>
      <GuidanceNote refText="HCS 1.4" />
      <p>{t('screening.body')}</p>
      {profile.refusalGrounds.map((g) => {
        const verdict = ctx.grounds[g.id];
        return (
          <article key={g.id} className="panel" aria-label={t(`grounds.${g.id}`)}>
            <p>
              {raised.has(g.id) && <strong className="tag">{t('screening.raised')}: </strong>}
              {t(`grounds.${g.id}`)}
            </p>
            {verdict ? (
              <p className="status-line">
                {verdict === 'confirmed' ? t('screening.confirmed') : t('screening.dismissed')}
              </p>
            ) : (
              <>
                <TextArea
                  label={`${t('screening.note')}: ${t(`grounds.${g.id}`)}`}
                  value={notes[g.id] ?? ''}
                  onChange={(v) => setNotes({ ...notes, [g.id]: v })}
                />
                <ErrorText message={noteError === g.id ? t('screening.needNote') : null} />
                <div className="row">
                  <button
                    type="button"
                    className="secondary"
                    disabled={isBusy}
                    onClick={() => void decide(g.id, 'confirmed')}
                  >
                    {t('screening.confirm')}
                  </button>
                  <button
                    type="button"
                    className="secondary"
                    disabled={isBusy}
                    onClick={() => void decide(g.id, 'dismissed')}
                  >
                    {t('screening.dismiss')}
                  </button>
                </div>
              </>
            )}
          </article>
        );
      })}
      <ErrorText message={error} />
      {unaddressed.length > 0 && <p className="notice">{t('screening.unaddressed')}</p>}
      <button
        type="button"
        className="primary"
        disabled={isBusy || unaddressed.length > 0}
        onClick={() => void send({ type: 'screening.completed', payload: {} })}
      >
        {t('screening.done')}
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
    decliners.map((a) => `${a.name} (${t(`attendees.roles.${a.role}`)}) did not agree.`).join(' '),
  );
  const { send, error, setError, isBusy } = useSend(session);
  return (
    <section aria-labelledby="step-title">
      <h2 id="step-title">{t('decision.title')}</h2>
      <GuidanceNote refText={profileOf(ctx).chairDecidesProfessionalDisagreement.ref} />
      <p>{t('decision.body')}</p>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!reason.trim()) return setError(t('decision.needReason'));
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
