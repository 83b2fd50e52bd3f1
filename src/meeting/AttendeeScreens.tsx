/**
 * The screens handed to attendees: their answer, and the requester's promise. They show only what that
 * person needs; nothing here reaches the chair's controls, another person's answer, or another meeting.
 */
import { useRef, useState } from 'react';
import type { Signature } from '../domain/model';
import type { DeclineReasonId, EasyReadLine } from '../domain/profiles';
import {
  attendeeById,
  isConversation,
  isSignatureSubstantial,
  profileOf,
  requesterAwaitingUndertaking,
} from '../domain/rules';
import { EASY_READ_PICTURES } from '../export/easyReadPictures';
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

/** Lines of an undertaking text as paragraphs; a blank line keeps its space. */
function TextLines({ text }: { text: string }) {
  return text.split('\n').map((line, i) => (
    // biome-ignore lint/suspicious/noArrayIndexKey: the text is fixed for a version; lines may repeat (blank)
    <p key={i}>{line || '\u00a0'}</p>
  ));
}

/**
 * The Easy read undertaking: each idea with its picture on the left. The pictures are hidden from screen
 * readers because each line is written to say, on its own, what its picture shows; announcing the
 * picture's description too would read every idea twice, the description first.
 */
function EasyReadLines({ lines }: { lines: readonly EasyReadLine[] }) {
  return (
    <ul className="easy-read">
      {lines.map((line) => {
        const picture = EASY_READ_PICTURES[line.picture];
        return (
          <li key={line.text}>
            <svg
              className="easy-read-picture"
              viewBox={`0 0 ${picture.viewBox} ${picture.viewBox}`}
              aria-hidden="true"
              focusable="false"
              data-picture={line.picture}
            >
              {picture.shapes.map((shape) => (
                <path
                  key={shape.d}
                  d={shape.d}
                  fill={shape.fill ?? 'none'}
                  stroke={shape.stroke}
                  strokeWidth={shape.stroke ? (shape.strokeWidth ?? 2) : undefined}
                  strokeLinecap="round"
                />
              ))}
            </svg>
            <p>{line.text}</p>
          </li>
        );
      })}
    </ul>
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
  const [signProblem, setSignProblem] = useState<'blank' | 'tooSmall' | null>(null);
  // The plain words first (or Easy read, when chosen); the council's approved wording one tap away.
  const [isFull, setFull] = useState(false);
  const textRef = useRef<HTMLElement>(null);
  const { versions } = profile.undertaking;
  const showing = isFull ? 'full' : isEasy ? 'easy' : 'plain';
  const switchText = (change: () => void) => {
    change();
    textRef.current?.scrollTo({ top: 0 });
  };

  const sign = () => {
    if (!signature || signature.strokes.every((s) => s.points.length === 0)) return setSignProblem('blank');
    if (!isSignatureSubstantial(signature)) return setSignProblem('tooSmall');
    setSignProblem(null);
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
    <main className={`attendee signing ${isEasy ? 'easy' : ''}`} aria-labelledby="promise-title">
      <AttendeeTopBar isEasy={isEasy} onEasy={(on) => switchText(() => setEasy(on))} onChair={onChair} />
      <h1 id="promise-title">{t('undertaking.title')}</h1>
      <div className="signing-body">
        <div className="signing-reading">
          <p className="signing-intro">{t('undertaking.intro', { name: requester?.name ?? '' })}</p>
          <button type="button" className="secondary" onClick={() => switchText(() => setFull(!isFull))}>
            {!isFull
              ? t('undertaking.showFull')
              : isEasy
                ? t('undertaking.showEasy')
                : t('undertaking.showPlain')}
          </button>
          {/* Scrolls on its own, so the signature and the buttons stay in view: focusable to scroll by keyboard. */}
          <section
            ref={textRef}
            className={`undertaking-text ${showing}`}
            // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard
            tabIndex={0}
            aria-label={
              showing === 'full'
                ? t('undertaking.textFull')
                : showing === 'easy'
                  ? t('undertaking.textEasy')
                  : t('undertaking.textPlain')
            }
          >
            {showing === 'easy' ? (
              <EasyReadLines lines={versions.easyRead} />
            ) : (
              <TextLines text={showing === 'full' ? versions.full : versions.plain} />
            )}
            <p className="small">{t('undertaking.version', { version: profile.undertaking.version })}</p>
          </section>
        </div>
        <div className="signing-controls">
          <SignatureField
            label={t('undertaking.signatureLabel')}
            clearLabel={t('undertaking.clear')}
            hint={t('undertaking.signatureHint')}
            initial={draft}
            onChange={(s) => {
              setSignature(s);
              onDraft?.(s);
              setSignProblem(null);
            }}
          />
          <ErrorText message={signProblem ? t(`undertaking.${signProblem}`) : error} />
          {!isDeclining ? (
            <div className="answers">
              <button type="button" className="answer yes" disabled={isBusy} onClick={sign}>
                <span aria-hidden="true">✓ </span>
                {t('undertaking.sign')}
              </button>
              <button
                type="button"
                className="answer no"
                disabled={isBusy}
                onClick={() => setDeclining(true)}
              >
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
                onClick={() =>
                  void send({ type: 'undertaking.declined', payload: { signerId: requesterId } })
                }
              >
                {t('undertaking.declineConfirm')}
              </button>
              <button type="button" className="secondary" onClick={() => setDeclining(false)}>
                {t('common.back')}
              </button>
            </div>
          )}
        </div>
      </div>
    </main>
  );
}
