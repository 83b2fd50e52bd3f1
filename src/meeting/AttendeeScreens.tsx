/**
 * The screens handed to attendees: their answer, and the requester's promise. They show only what that
 * person needs; nothing here reaches the chair's controls, another person's answer, or another meeting.
 */
import { useState } from 'react';
import type { Signature } from '../domain/model';
import type { DeclineReasonId } from '../domain/profiles';
import {
  attendeeById,
  isConversation,
  isSignatureSubstantial,
  profileOf,
  requesterAwaitingUndertaking,
} from '../domain/rules';
import { CheckboxField, ErrorText, TextArea } from '../shared/components';
import { useT } from '../shared/i18n';
import { SignatureField } from '../signature/SignatureField';
import { type MeetingSession, useMeetingSnapshot } from './session';
import { useSend } from './useSend';

function AttendeeTopBar({
  isEasy,
  onEasy,
  onChair,
}: {
  isEasy: boolean;
  onEasy: (on: boolean) => void;
  onChair: () => void;
}) {
  const t = useT();
  return (
    <div className="attendee-top">
      <button
        type="button"
        className="secondary easy-toggle"
        aria-pressed={isEasy}
        onClick={() => onEasy(!isEasy)}
      >
        <span aria-hidden="true">Aa </span>
        {t('answer.easyRead')}
      </button>
      <button type="button" className="quiet" onClick={onChair}>
        {t('pin.chairTakesBack')}
      </button>
    </div>
  );
}

export function AnswerScreen({
  session,
  attendeeId,
  onChair,
}: {
  session: MeetingSession;
  attendeeId: string;
  onChair: () => void;
}) {
  const t = useT();
  const ctx = useMeetingSnapshot(session).context;
  const { send, error, isBusy } = useSend(session);
  const [isEasy, setEasy] = useState(false);
  const [choice, setChoice] = useState<'no' | 'more' | null>(null);
  const [text, setText] = useState('');
  const [reasonChoices, setReasonChoices] = useState<DeclineReasonId[]>([]);
  const me = attendeeById(ctx, attendeeId);
  const profile = profileOf(ctx);
  const isReasonRequired = profile.declineReason.isRequired || isConversation(ctx);
  const requester = ctx.request ? attendeeById(ctx, ctx.request.requesterId) : undefined;
  const conv = isConversation(ctx);
  const reasons = ctx.request?.reasons ?? [];

  const answer = (kind: 'yes' | 'no' | 'more') => {
    if (kind === 'yes') return void send({ type: 'consent.given', payload: { attendeeId } });
    if (kind === 'no')
      return void send({
        type: 'consent.declined',
        payload: {
          attendeeId,
          reason: text.trim(),
          ...(reasonChoices.length > 0 ? { reasonChoices } : {}),
        },
      });
    return void send({ type: 'consent.authorisation-needed', payload: { attendeeId, detail: text.trim() } });
  };

  return (
    <main className={`attendee ${isEasy ? 'easy' : ''}`} aria-labelledby="ask-title">
      <AttendeeTopBar isEasy={isEasy} onEasy={setEasy} onChair={onChair} />
      {ctx.recording === 'paused' && (
        <p className="paused-banner" role="status">
          {t('paused.banner')}
        </p>
      )}
      <h1 id="ask-title">
        {isEasy
          ? t('answer.easyAsking', { requester: requester?.name ?? '' })
          : conv
            ? t('answer.askingConversation', { requester: requester?.name ?? '' })
            : t('answer.asking', { requester: requester?.name ?? '' })}
      </h1>
      {!isEasy && (reasons.length > 0 || ctx.request?.purpose) && (
        <div className="why">
          <p>{t('answer.why')}</p>
          <ul>
            {reasons.map((r) => (
              <li key={r}>{t(`request.reasonLabels.${r}`)}</li>
            ))}
            {ctx.request?.purpose && <li>“{ctx.request.purpose}”</li>}
          </ul>
        </div>
      )}
      <h2>{isEasy ? t('answer.easyQuestion') : t('answer.question', { name: me?.name ?? '' })}</h2>
      {choice === null ? (
        <div className="answers">
          <button type="button" className="answer yes" disabled={isBusy} onClick={() => answer('yes')}>
            <span aria-hidden="true">✓ </span>
            {isEasy ? t('answer.easyYes') : t('answer.yes')}
          </button>
          <button type="button" className="answer no" disabled={isBusy} onClick={() => setChoice('no')}>
            <span aria-hidden="true">✗ </span>
            {isEasy ? t('answer.easyNo') : t('answer.no')}
          </button>
          <button type="button" className="answer more" disabled={isBusy} onClick={() => setChoice('more')}>
            <span aria-hidden="true">? </span>
            {isEasy ? t('answer.easyMore') : t('answer.more')}
          </button>
        </div>
      ) : (
        <form
          className="form"
          onSubmit={(e) => {
            e.preventDefault();
            answer(choice);
          }}
        >
          {choice === 'no' && (
            <fieldset className="checks">
              <legend>{isReasonRequired ? t('answer.reasonNoRequired') : t('answer.reasonNo')}</legend>
              <p>{t('answer.reasonChoices')}</p>
              {profile.declineReason.choices.map((c) => (
                <CheckboxField
                  key={c.id}
                  label={t(`declineReasons.${c.id}`)}
                  isChecked={reasonChoices.includes(c.id)}
                  onChange={(v) =>
                    setReasonChoices(v ? [...reasonChoices, c.id] : reasonChoices.filter((x) => x !== c.id))
                  }
                />
              ))}
            </fieldset>
          )}
          <TextArea
            label={choice === 'more' ? t('answer.detailMore') : t('answer.reasonNoOwnWords')}
            value={text}
            onChange={setText}
          />
          <ErrorText message={error} />
          <button type="submit" className="primary big" disabled={isBusy}>
            {t('answer.send')}
          </button>
          <button type="button" className="secondary" onClick={() => setChoice(null)}>
            {t('answer.change')}
          </button>
        </form>
      )}
      {choice === null && <ErrorText message={error} />}
    </main>
  );
}

export function UndertakingScreen({
  session,
  onChair,
  draft = null,
  onDraft,
}: {
  session: MeetingSession;
  onChair: () => void;
  /** Strokes drawn before the screen was left for the chair's PIN: shown again, not lost. */
  draft?: Signature | null;
  onDraft?: (signature: Signature | null) => void;
}) {
  const t = useT();
  const ctx = useMeetingSnapshot(session).context;
  const profile = profileOf(ctx);
  const requesterId = requesterAwaitingUndertaking(ctx) ?? ctx.request?.requesterId ?? '';
  const requester = attendeeById(ctx, requesterId);
  const { send, error, isBusy } = useSend(session);
  const [isEasy, setEasy] = useState(false);
  const [signature, setSignature] = useState<Signature | null>(draft);
  const [isDeclining, setDeclining] = useState(false);
  const [tooSmall, setTooSmall] = useState(false);
  const easy = t(`undertaking.easy.${profile.id}`, { returnObjects: true }) as string[];

  const sign = () => {
    if (!signature || !isSignatureSubstantial(signature)) return setTooSmall(true);
    setTooSmall(false);
    void send({
      type: 'undertaking.signed',
      payload: {
        signerId: requesterId,
        textVersion: profile.undertaking.version,
        textSha256: profile.undertaking.sha256,
        signature,
      },
    });
  };

  return (
    <main className={`attendee ${isEasy ? 'easy' : ''}`} aria-labelledby="promise-title">
      <AttendeeTopBar isEasy={isEasy} onEasy={setEasy} onChair={onChair} />
      <h1 id="promise-title">{t('undertaking.title')}</h1>
      <p>{t('undertaking.intro', { name: requester?.name ?? '' })}</p>
      {isEasy && (
        <section className="easy-summary" aria-labelledby="easy-title">
          <h2 id="easy-title">{t('undertaking.easyTitle')}</h2>
          <ul>
            {easy.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        </section>
      )}
      <article className="undertaking-text" aria-label={t('undertaking.title')}>
        {profile.undertaking.text.split('\n').map((line, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: the text is fixed for a version; lines may repeat (blank)
          <p key={i}>{line || '\u00a0'}</p>
        ))}
        <p className="small">{t('undertaking.version', { version: profile.undertaking.version })}</p>
      </article>
      <SignatureField
        label={t('undertaking.signatureLabel')}
        clearLabel={t('undertaking.clear')}
        hint={t('undertaking.signatureHint')}
        initial={draft}
        onChange={(s) => {
          setSignature(s);
          onDraft?.(s);
          setTooSmall(false);
        }}
      />
      <ErrorText message={tooSmall ? t('undertaking.tooSmall') : error} />
      {!isDeclining ? (
        <div className="answers">
          <button type="button" className="answer yes" disabled={isBusy} onClick={sign}>
            <span aria-hidden="true">✓ </span>
            {t('undertaking.sign')}
          </button>
          <button type="button" className="answer no" disabled={isBusy} onClick={() => setDeclining(true)}>
            {t('undertaking.decline')}
          </button>
        </div>
      ) : (
        <div className="answers">
          <p>
            {profile.undertaking.requirement === 'required'
              ? t('undertaking.declineWarning')
              : t('undertaking.declineWarningNotice')}
          </p>
          <button
            type="button"
            className="answer no"
            disabled={isBusy}
            onClick={() => void send({ type: 'undertaking.declined', payload: { signerId: requesterId } })}
          >
            {t('undertaking.declineConfirm')}
          </button>
          <button type="button" className="secondary" onClick={() => setDeclining(false)}>
            {t('common.back')}
          </button>
        </div>
      )}
    </main>
  );
}
