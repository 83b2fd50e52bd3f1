/**
 * The screens handed to attendees: their answer, and the requester's promise. They show only what that
 * person needs; nothing here reaches the chair's controls, another person's answer, or another meeting.
 */
import './messages';
import { useMemo, useRef, useState } from 'react';
import type { Signature } from '../domain/model';
import { participationOf } from '../domain/participation';
import type { DeclineReasonId, EasyReadLine } from '../domain/profiles';
import {
  attendeeById,
  isConversation,
  isSignatureSubstantial,
  profileOf,
  relayedByFor,
  requesterAwaitingUndertaking,
} from '../domain/rules';
import { CheckboxField, ErrorText, TextArea } from '../shared/components';
import { i18n, useT } from '../shared/i18n';
import { SignatureField } from '../signature/SignatureField';
import { InterpreterChoice, type InterpreterChoiceValue } from './Participation';
import { ReadAloudControls, type Reader, Said, useReader } from './ReadAloud';
import { type MeetingSession, useMeetingSnapshot } from './session';
import { EasyReadPicture, UnderstandingQuestionPanel, useIsCheckPending } from './UnderstandingCheck';
import { useSend } from './useSend';

function AttendeeTopBar({
  isEasy,
  onEasy,
  onChair,
  reader,
}: {
  isEasy: boolean;
  onEasy: (on: boolean) => void;
  onChair: () => void;
  reader: Reader;
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
      <ReadAloudControls reader={reader} />
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
  const [interpreter, setInterpreter] = useState<InterpreterChoiceValue | null>(null);
  const me = attendeeById(ctx, attendeeId);
  // Issue 18: someone not in the room answers through the chair, who records it as relayed.
  const relayedBy = relayedByFor(ctx, attendeeId);
  const how = { ...(interpreter ? { interpreter } : {}), ...(relayedBy ? { relayedBy } : {}) };
  const way = t(`relay.wayShort.${participationOf(me)}`);
  const profile = profileOf(ctx);
  const isReasonRequired = profile.declineReason.isRequired || isConversation(ctx);
  const requester = ctx.request ? attendeeById(ctx, ctx.request.requesterId) : undefined;
  const conv = isConversation(ctx);
  const reasons = ctx.request?.reasons ?? [];
  const heading = isEasy
    ? t('answer.easyAsking', { requester: requester?.name ?? '' })
    : conv
      ? t('answer.askingConversation', { requester: requester?.name ?? '' })
      : t('answer.asking', { requester: requester?.name ?? '' });
  const why = [
    ...reasons.map((r) => t(`request.reasonLabels.${r}`)),
    ...(ctx.request?.purpose ? [`“${ctx.request.purpose}”`] : []),
  ];
  const showWhy = !isEasy && why.length > 0;
  const question = isEasy ? t('answer.easyQuestion') : t('answer.question', { name: me?.name ?? '' });
  const labels = isEasy
    ? [t('answer.easyYes'), t('answer.easyNo'), t('answer.easyMore')]
    : [t('answer.yes'), t('answer.no'), t('answer.more')];
  // What is read aloud, in order: block 0 the heading, then why, the question, the three answers.
  // The same words give the same list, so the reader is not rebuilt on every render.
  const blocks = useStableList([heading, ...(showWhy ? [t('answer.why'), ...why] : []), question, ...labels]);
  const reader = useReader(blocks, i18n.language);
  const whyAt = 1;
  const questionAt = showWhy ? 2 + why.length : 1;

  const answer = (kind: 'yes' | 'no' | 'more') => {
    if (kind === 'yes') return void send({ type: 'consent.given', payload: { attendeeId, ...how } });
    if (kind === 'no')
      return void send({
        type: 'consent.declined',
        payload: {
          attendeeId,
          ...how,
          reason: text.trim(),
          ...(reasonChoices.length > 0 ? { reasonChoices } : {}),
        },
      });
    return void send({
      type: 'consent.authorisation-needed',
      payload: { attendeeId, detail: text.trim(), ...how },
    });
  };

  return (
    <main className={`attendee ${isEasy ? 'easy' : ''}`} aria-labelledby="ask-title">
      <AttendeeTopBar isEasy={isEasy} onEasy={setEasy} onChair={onChair} reader={reader} />
      {ctx.recording === 'paused' && (
        <p className="paused-banner" role="status">
          {t('paused.banner')}
        </p>
      )}
      {me && relayedBy !== undefined && (
        <p className="notice">
          <strong>{t('relay.title', { name: me.name, way })}</strong>{' '}
          {t('relay.body', { name: me.name, way })}
        </p>
      )}
      <h1 id="ask-title">
        <Said reader={reader} block={0} />
      </h1>
      {showWhy && (
        <div className="why">
          <p>
            <Said reader={reader} block={whyAt} />
          </p>
          <ul>
            {why.map((w, i) => (
              <li key={w}>
                <Said reader={reader} block={whyAt + 1 + i} />
              </li>
            ))}
          </ul>
        </div>
      )}
      <h2>
        <Said reader={reader} block={questionAt} />
      </h2>
      <InterpreterChoice session={session} attendeeId={attendeeId} onChange={setInterpreter} />
      {choice === null ? (
        <div className="answers">
          <button type="button" className="answer yes" disabled={isBusy} onClick={() => answer('yes')}>
            <span aria-hidden="true">✓ </span>
            <Said reader={reader} block={questionAt + 1} />
          </button>
          <button type="button" className="answer no" disabled={isBusy} onClick={() => setChoice('no')}>
            <span aria-hidden="true">✗ </span>
            <Said reader={reader} block={questionAt + 2} />
          </button>
          <button type="button" className="answer more" disabled={isBusy} onClick={() => setChoice('more')}>
            <span aria-hidden="true">? </span>
            <Said reader={reader} block={questionAt + 3} />
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

/** A list of texts that keeps its identity while its words are the same. */
function useStableList(texts: readonly string[]): readonly string[] {
  const key = texts.join('\u0000');
  return useMemo(() => key.split('\u0000'), [key]);
}

/** Lines of an undertaking text as paragraphs; a blank line keeps its space. Block `from + i` is line i. */
function TextLines({ text, reader, from }: { text: string; reader: Reader; from: number }) {
  return text.split('\n').map((line, i) => (
    // biome-ignore lint/suspicious/noArrayIndexKey: the text is fixed for a version; lines may repeat (blank)
    <p key={i}>{line ? <Said reader={reader} block={from + i} /> : '\u00a0'}</p>
  ));
}

/**
 * The Easy read undertaking: each idea with its picture on the left. The pictures are hidden from screen
 * readers because each line is written to say, on its own, what its picture shows; announcing the
 * picture's description too would read every idea twice, the description first.
 */
function EasyReadLines({
  lines,
  reader,
  from,
}: {
  lines: readonly EasyReadLine[];
  reader: Reader;
  from: number;
}) {
  return (
    <ul className="easy-read">
      {lines.map((line, i) => (
        <li key={line.text}>
          <EasyReadPicture picture={line.picture} />
          <p>
            <Said reader={reader} block={from + i} />
          </p>
        </li>
      ))}
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
  const isCheckPending = useIsCheckPending(session, requesterId);
  const textRef = useRef<HTMLElement>(null);
  const { versions } = profile.undertaking;
  const showing = isFull ? 'full' : isEasy ? 'easy' : 'plain';
  const intro = t('undertaking.intro', { name: requester?.name ?? '' });
  // Read aloud: the introduction, then each line of the words shown (one block per line, blank ones too).
  const blocks = useMemo(
    () => [
      intro,
      ...(showing === 'easy'
        ? versions.easyRead.map((l) => l.text)
        : (showing === 'full' ? versions.full : versions.plain).split('\n')),
    ],
    [intro, showing, versions],
  );
  const reader = useReader(blocks, i18n.language);
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
      <AttendeeTopBar
        isEasy={isEasy}
        onEasy={(on) => switchText(() => setEasy(on))}
        onChair={onChair}
        reader={reader}
      />
      <h1 id="promise-title">{t('undertaking.title')}</h1>
      <div className="signing-body">
        <div className="signing-reading">
          <p className="signing-intro">
            <Said reader={reader} block={0} />
          </p>
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
              <EasyReadLines lines={versions.easyRead} reader={reader} from={1} />
            ) : (
              <TextLines
                text={showing === 'full' ? versions.full : versions.plain}
                reader={reader}
                from={1}
              />
            )}
            <p className="small">{t('undertaking.version', { version: profile.undertaking.version })}</p>
          </section>
        </div>
        <div className="signing-controls">
          {isCheckPending ? (
            <UnderstandingQuestionPanel session={session} signerId={requesterId} />
          ) : (
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
          )}
          <ErrorText message={signProblem ? t(`undertaking.${signProblem}`) : error} />
          {!isDeclining ? (
            <div className="answers">
              {!isCheckPending && (
                <button type="button" className="answer yes" disabled={isBusy} onClick={sign}>
                  <span aria-hidden="true">✓ </span>
                  {t('undertaking.sign')}
                </button>
              )}
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
