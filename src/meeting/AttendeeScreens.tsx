/**
 * The screens handed to attendees: their answer, and the requester's promise. They show only what that
 * person needs; nothing here reaches the chair's controls, another person's answer, or another meeting.
 */
import './messages';
import { useId, useMemo, useRef, useState } from 'react';
import { LANGUAGES, languageOf, SOURCE_LANGUAGE } from '../domain/languages';
import type { Signature } from '../domain/model';
import { isRemote } from '../domain/participation';
import type { DeclineReasonId, EasyReadLine } from '../domain/profiles';
import {
  attendeeById,
  isConversation,
  isSignatureSubstantial,
  profileOf,
  relayedByFor,
  requesterAwaitingUndertaking,
  signersTranslation,
  translationSignedAt,
} from '../domain/rules';
import { CheckboxField, ErrorText, TextArea } from '../shared/components';
import { useT } from '../shared/i18n';
import { SignatureField } from '../signature/SignatureField';
import {
  AttendeeProblem,
  type AttendeeWords,
  beside,
  English,
  Isolated,
  useAttendeeWords,
} from './attendeeLanguage';
import { InterpreterChoice, type InterpreterChoiceValue, wayShort } from './Participation';
import { ReadAloudControls, type Reader, Said, useReader } from './ReadAloud';
import { type MeetingSession, useMeetingSnapshot } from './session';
import { EasyReadPicture, UnderstandingQuestionPanel, useIsCheckPending } from './UnderstandingCheck';
import { useSend } from './useSend';

/** The attendee's choice of language for their own screens; the choice is recorded (issue 18). */
function LanguageChoice({
  words,
  chosen,
  onChoose,
}: {
  words: AttendeeWords;
  /** The language the meeting has for them: shown chosen even while its words are still loading. */
  chosen: string | undefined;
  onChoose: (language: string) => void;
}) {
  const id = useId();
  return (
    <div className="language-choice">
      {/* Named for screen readers; the list shows each language in its own name, so the label is not shown. */}
      <label htmlFor={id} className="visually-hidden">
        {words.t('attendeeScreen.language')}
        <English text={words.en?.('attendeeScreen.language')} />
      </label>
      <select id={id} value={chosen ?? SOURCE_LANGUAGE} onChange={(e) => onChoose(e.target.value)}>
        {LANGUAGES.map((l) => (
          <option key={l.code} value={l.code} lang={l.code}>
            {l.ownName}
          </option>
        ))}
      </select>
    </div>
  );
}

function AttendeeTopBar({
  isEasy,
  onEasy,
  onChair,
  onLanguage,
  language,
  reader,
  words,
}: {
  isEasy: boolean;
  onEasy: (on: boolean) => void;
  onChair: () => void;
  /** The language the meeting has for them (the list shows it chosen). */
  language?: string;
  /** Given: the language list is in the bar (the signing screen has it beside its text instead). */
  onLanguage?: (language: string) => void;
  reader: Reader;
  words: AttendeeWords;
}) {
  const { t, en } = words;
  return (
    <div className="attendee-top">
      <button
        type="button"
        className="secondary easy-toggle"
        aria-pressed={isEasy}
        onClick={() => onEasy(!isEasy)}
      >
        <span aria-hidden="true">{t('attendeeScreen.easyReadSign')} </span>
        {t('answer.easyRead')}
        <English text={en?.('answer.easyRead')} />
      </button>
      <ReadAloudControls reader={reader} words={words} />
      {onLanguage && <LanguageChoice words={words} chosen={language} onChoose={onLanguage} />}
      <button type="button" className="quiet" onClick={onChair}>
        {t('attendeeScreen.chairTakesBack')}
        <English text={en?.('attendeeScreen.chairTakesBack')} />
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
  const ctx = useMeetingSnapshot(session).context;
  const { send, error, refusal, isBusy } = useSend(session);
  const [isEasy, setEasy] = useState(false);
  const [choice, setChoice] = useState<'no' | 'more' | null>(null);
  const [text, setText] = useState('');
  const [reasonChoices, setReasonChoices] = useState<DeclineReasonId[]>([]);
  const [interpreter, setInterpreter] = useState<InterpreterChoiceValue | null>(null);
  const me = attendeeById(ctx, attendeeId);
  // Issue 18: someone not in the room answers through the chair, who records it as relayed. The chair holds
  // the tablet and reads it out, so the screen is in the chair's language and the language list is not shown.
  const relayedBy = relayedByFor(ctx, attendeeId);
  const isAway = isRemote(me);
  const how = { ...(interpreter ? { interpreter } : {}), ...(relayedBy ? { relayedBy } : {}) };
  const chairT = useT();
  const way = wayShort(chairT, me);
  const profile = profileOf(ctx);
  const words = useAttendeeWords(isAway ? undefined : me?.language, profile);
  const { t, en, isolate } = words;
  const chooseLanguage = (language: string) =>
    void send({ type: 'attendee.language-chosen', payload: { attendeeId, language } });
  const isReasonRequired = profile.declineReason.isRequired || isConversation(ctx);
  const requester = ctx.request ? attendeeById(ctx, ctx.request.requesterId) : undefined;
  const conv = isConversation(ctx);
  const reasons = ctx.request?.reasons ?? [];
  const headingKey = isEasy ? 'answer.easyAsking' : conv ? 'answer.askingConversation' : 'answer.asking';
  const heading = t(headingKey, { requester: isolate(requester?.name ?? '') });
  const why = [
    ...reasons.map((r) => t(`purposeReasons.${r}`)),
    ...(ctx.request?.purpose ? [isolate(`“${ctx.request.purpose}”`)] : []),
  ];
  const showWhy = !isEasy && why.length > 0;
  const questionKey = isEasy ? 'answer.easyQuestion' : 'answer.question';
  const question = t(questionKey, { name: isolate(me?.name ?? '') });
  const labelKeys = isEasy
    ? (['answer.easyYes', 'answer.easyNo', 'answer.easyMore'] as const)
    : (['answer.yes', 'answer.no', 'answer.more'] as const);
  const labels = labelKeys.map((k) => t(k));
  // What is read aloud, in order: block 0 the heading, then why, the question, the three answers.
  // The same words give the same list, so the reader is not rebuilt on every render.
  const blocks = useStableList([heading, ...(showWhy ? [t('answer.why'), ...why] : []), question, ...labels]);
  const reader = useReader(blocks, words.lang);
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
    <main
      className={`attendee ${isEasy ? 'easy' : ''}`}
      aria-labelledby="ask-title"
      lang={words.lang}
      dir={words.dir}
    >
      <AttendeeTopBar
        isEasy={isEasy}
        onEasy={setEasy}
        onChair={onChair}
        onLanguage={isAway ? undefined : chooseLanguage}
        language={me?.language}
        reader={reader}
        words={words}
      />
      {ctx.recording === 'paused' && (
        <p className="paused-banner" role="status">
          {t('attendeeScreen.pausedBanner')}
          <English text={en?.('attendeeScreen.pausedBanner')} />
        </p>
      )}
      {me && relayedBy !== undefined && (
        <p className="notice">
          <strong>{chairT('relay.title', { name: me.name, way })}</strong>{' '}
          {chairT('relay.body', { name: me.name, way })}
        </p>
      )}
      <h1 id="ask-title">
        <Said reader={reader} block={0} />
        <English text={en?.(headingKey, { requester: requester?.name ?? '' })} />
      </h1>
      {showWhy && (
        <div className="why">
          <p>
            <Said reader={reader} block={whyAt} />
            <English text={en?.('answer.why')} />
          </p>
          <ul>
            {why.map((w, i) => (
              <li key={w}>
                <Said reader={reader} block={whyAt + 1 + i} />
                <English text={en && i < reasons.length ? en(`purposeReasons.${reasons[i]}`) : null} />
              </li>
            ))}
          </ul>
        </div>
      )}
      <h2>
        <Said reader={reader} block={questionAt} />
        <English text={en?.(questionKey, { name: me?.name ?? '' })} />
      </h2>
      <InterpreterChoice session={session} attendeeId={attendeeId} words={words} onChange={setInterpreter} />
      {choice === null ? (
        <div className="answers">
          {(['yes', 'no', 'more'] as const).map((kind, i) => (
            <button
              key={kind}
              type="button"
              className={`answer ${kind}`}
              disabled={isBusy}
              onClick={() => (kind === 'yes' ? answer('yes') : setChoice(kind))}
            >
              <span aria-hidden="true">{ANSWER_SIGNS[kind]} </span>
              <Said reader={reader} block={questionAt + 1 + i} />
              <English text={en?.(labelKeys[i] ?? 'answer.yes')} />
            </button>
          ))}
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
              <legend>
                {t(isReasonRequired ? 'answer.reasonNoRequired' : 'answer.reasonNo')}
                <English text={en?.(isReasonRequired ? 'answer.reasonNoRequired' : 'answer.reasonNo')} />
              </legend>
              <p>
                {t('answer.reasonChoices')}
                <English text={en?.('answer.reasonChoices')} />
              </p>
              {profile.declineReason.choices.map((c) => (
                <CheckboxField
                  key={c.id}
                  label={beside(words, `declineReasons.${c.id}`)}
                  isChecked={reasonChoices.includes(c.id)}
                  onChange={(v) =>
                    setReasonChoices(v ? [...reasonChoices, c.id] : reasonChoices.filter((x) => x !== c.id))
                  }
                />
              ))}
            </fieldset>
          )}
          <TextArea
            label={beside(words, choice === 'more' ? 'answer.detailMore' : 'answer.reasonNoOwnWords')}
            value={text}
            onChange={setText}
          />
          <AttendeeProblem words={words} refusal={refusal} message={error} />
          <button type="submit" className="primary big" disabled={isBusy}>
            {t('answer.send')}
            <English text={en?.('answer.send')} />
          </button>
          <button type="button" className="secondary" onClick={() => setChoice(null)}>
            {t('answer.change')}
            <English text={en?.('answer.change')} />
          </button>
        </form>
      )}
      {choice === null && <AttendeeProblem words={words} refusal={refusal} message={error} />}
    </main>
  );
}

const ANSWER_SIGNS = { yes: '✓', no: '✗', more: '?' } as const;

/** A list of texts that keeps its identity while its words are the same. */
function useStableList(texts: readonly string[]): readonly string[] {
  const key = texts.join('\u0000');
  return useMemo(() => key.split('\u0000'), [key]);
}

/**
 * Lines of an undertaking text as paragraphs; a blank line keeps its space. Block `from + i` is line i.
 * With a translation, each line is followed by the same line in English (`english`, line for line).
 */
function TextLines({
  text,
  english,
  reader,
  from,
}: {
  text: string;
  english: string | null;
  reader: Reader;
  from: number;
}) {
  const inEnglish = english?.split('\n') ?? [];
  return text.split('\n').map((line, i) => (
    // biome-ignore lint/suspicious/noArrayIndexKey: the text is fixed for a version; lines may repeat (blank)
    <div key={i} className="text-line">
      <p>{line ? <Said reader={reader} block={from + i} /> : '\u00a0'}</p>
      {line && english !== null && <English text={inEnglish[i] ?? ''} block />}
    </div>
  ));
}

/**
 * The Easy read undertaking: each idea with its picture on the left. The pictures are hidden from screen
 * readers because each line is written to say, on its own, what its picture shows; announcing the
 * picture's description too would read every idea twice, the description first.
 */
function EasyReadLines({
  lines,
  english,
  reader,
  from,
}: {
  lines: readonly EasyReadLine[];
  english: readonly EasyReadLine[] | null;
  reader: Reader;
  from: number;
}) {
  return (
    <ul className="easy-read">
      {lines.map((line, i) => (
        <li key={line.text}>
          <EasyReadPicture picture={line.picture} />
          <div>
            <p>
              <Said reader={reader} block={from + i} />
            </p>
            {english && <English text={english[i]?.text ?? ''} block />}
          </div>
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
  const ctx = useMeetingSnapshot(session).context;
  const profile = profileOf(ctx);
  const requesterId = requesterAwaitingUndertaking(ctx) ?? ctx.request?.requesterId ?? '';
  const requester = attendeeById(ctx, requesterId);
  const words = useAttendeeWords(requester?.language, profile);
  const { t, en } = words;
  const { send, error, refusal, isBusy } = useSend(session);
  const [isEasy, setEasy] = useState(false);
  const [signature, setSignature] = useState<Signature | null>(draft);
  const [isDeclining, setDeclining] = useState(false);
  const [signProblem, setSignProblem] = useState<'blank' | 'tooSmall' | null>(null);
  // The plain words first (or Easy read, when chosen); the council's approved wording one tap away.
  const [isFull, setFull] = useState(false);
  const isCheckPending = useIsCheckPending(session, requesterId);
  const textRef = useRef<HTMLElement>(null);
  const { versions } = profile.undertaking;
  // In another language, the translation is shown with the English beside it, and both are signed: the one
  // the domain says this signer signs, whether or not the screen's other words in that language have loaded
  // yet (they come with the language's bundle; the translation is the council's text, in the policy).
  const translation = signersTranslation(ctx, requesterId);
  const textLang = translation?.language ?? SOURCE_LANGUAGE;
  const showing = isFull ? 'full' : isEasy ? 'easy' : 'plain';
  const intro = t('undertaking.intro', { name: words.isolate(requester?.name ?? '') });
  const plain = translation?.plain ?? versions.plain;
  const easyRead = translation?.easyRead ?? versions.easyRead;
  // Read aloud: the introduction, then each line of the words shown (one block per line, blank ones too).
  const blocks = useMemo(
    () => [
      intro,
      ...(showing === 'easy'
        ? easyRead.map((l) => l.text)
        : (showing === 'full' ? versions.full : plain).split('\n')),
    ],
    [intro, showing, versions, plain, easyRead],
  );
  // The council's full wording is in English: it is read in English.
  const reader = useReader(
    blocks,
    showing === 'full' && translation ? SOURCE_LANGUAGE : (translation?.language ?? words.lang),
  );
  const switchText = (change: () => void) => {
    change();
    textRef.current?.scrollTo({ top: 0 });
  };
  const chooseLanguage = (language: string) =>
    void send({ type: 'attendee.language-chosen', payload: { attendeeId: requesterId, language } });

  const sign = () => {
    if (!signature || signature.strokes.every((s) => s.points.length === 0)) return setSignProblem('blank');
    if (!isSignatureSubstantial(signature)) return setSignProblem('tooSmall');
    setSignProblem(null);
    const signedTranslation = translationSignedAt(ctx, requesterId, new Date().toISOString());
    void send({
      type: 'undertaking.signed',
      payload: {
        signerId: requesterId,
        textVersion: profile.undertaking.version,
        textSha256: profile.undertaking.sha256,
        signature,
        ...(signedTranslation ? { translation: signedTranslation } : {}),
      },
    });
  };
  const regionKey =
    showing === 'full'
      ? 'undertaking.textFull'
      : showing === 'easy'
        ? 'undertaking.textEasy'
        : 'undertaking.textPlain';
  const toggleKey = !isFull
    ? 'undertaking.showFull'
    : isEasy
      ? 'undertaking.showEasy'
      : 'undertaking.showPlain';

  return (
    <main
      className={`attendee signing ${isEasy ? 'easy' : ''}`}
      aria-labelledby="promise-title"
      lang={words.lang}
      dir={words.dir}
    >
      <AttendeeTopBar
        isEasy={isEasy}
        onEasy={(on) => switchText(() => setEasy(on))}
        onChair={onChair}
        reader={reader}
        words={words}
      />
      <h1 id="promise-title">
        {t('undertaking.title')}
        <English text={en?.('undertaking.title')} />
      </h1>
      <div className="signing-body">
        <div className="signing-reading">
          <p className="signing-intro">
            <Said reader={reader} block={0} />
            <English text={en?.('undertaking.intro', { name: requester?.name ?? '' })} />
          </p>
          {/* The language list sits beside this button, so the screen keeps its height for the signature. */}
          <div className="signing-tools">
            <button type="button" className="secondary" onClick={() => switchText(() => setFull(!isFull))}>
              {t(toggleKey)}
              <English text={en?.(toggleKey)} />
            </button>
            <LanguageChoice words={words} chosen={requester?.language} onChoose={chooseLanguage} />
          </div>
          {/* Scrolls on its own, so the signature and the buttons stay in view: focusable to scroll by keyboard. */}
          <section
            ref={textRef}
            className={`undertaking-text ${showing}`}
            // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must be reachable by keyboard
            tabIndex={0}
            aria-label={beside(words, regionKey)}
          >
            {showing === 'full' && translation && (
              <p className="small">
                {t('undertaking.fullInEnglish')}
                <English text={en?.('undertaking.fullInEnglish')} />
              </p>
            )}
            {showing === 'full' ? (
              <div lang={SOURCE_LANGUAGE} dir="ltr">
                <TextLines text={versions.full} english={null} reader={reader} from={1} />
              </div>
            ) : (
              // The words' own language: the translation's, or English where the signer's has none.
              <div lang={textLang} dir={languageOf(textLang).direction}>
                {showing === 'easy' ? (
                  <EasyReadLines
                    lines={easyRead}
                    english={translation ? versions.easyRead : null}
                    reader={reader}
                    from={1}
                  />
                ) : (
                  <TextLines
                    text={plain}
                    english={translation ? versions.plain : null}
                    reader={reader}
                    from={1}
                  />
                )}
              </div>
            )}
            <p className="small">
              <Isolated
                text={t('undertaking.version', { version: words.isolate(profile.undertaking.version) })}
              />
              {' · '}
              <Isolated
                text={t('attendeeScreen.today', { date: words.isolate(words.formatDate(new Date())) })}
              />
            </p>
          </section>
        </div>
        <div className="signing-controls">
          {isCheckPending ? (
            <UnderstandingQuestionPanel session={session} signerId={requesterId} words={words} />
          ) : (
            <SignatureField
              label={beside(words, 'undertaking.signatureLabel')}
              clearLabel={beside(words, 'undertaking.clear')}
              hint={beside(words, 'undertaking.signatureHint')}
              initial={draft}
              onChange={(s) => {
                setSignature(s);
                onDraft?.(s);
                setSignProblem(null);
              }}
            />
          )}
          {signProblem ? (
            <ErrorText message={beside(words, `undertaking.${signProblem}`)} />
          ) : (
            <AttendeeProblem words={words} refusal={refusal} message={error} />
          )}
          {!isDeclining ? (
            <div className="answers">
              {!isCheckPending && (
                <button type="button" className="answer yes" disabled={isBusy} onClick={sign}>
                  <span aria-hidden="true">{ANSWER_SIGNS.yes} </span>
                  {t('undertaking.sign')}
                  <English text={en?.('undertaking.sign')} />
                </button>
              )}
              <button
                type="button"
                className="answer no"
                disabled={isBusy}
                onClick={() => setDeclining(true)}
              >
                {t('undertaking.decline')}
                <English text={en?.('undertaking.decline')} />
              </button>
            </div>
          ) : (
            <div className="answers">
              <p>
                {beside(
                  words,
                  profile.undertaking.requirement === 'required'
                    ? 'undertaking.declineWarning'
                    : 'undertaking.declineWarningNotice',
                )}
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
                <English text={en?.('undertaking.declineConfirm')} />
              </button>
              <button type="button" className="secondary" onClick={() => setDeclining(false)}>
                {t('attendeeScreen.back')}
                <English text={en?.('attendeeScreen.back')} />
              </button>
            </div>
          )}
        </div>
      </div>
    </main>
  );
}
