/**
 * The check of understanding before signing (issue 18): the person about to sign answers a few questions
 * about the undertaking, each with a picture and big answers; a wrong answer shows the point again in plain
 * words and asks again. Which question comes next, and whether the last answer was wrong, are read from the
 * meeting's log (so a reload resumes the check), never kept here. The chair can skip it with a reason.
 */
import './messages';
import type { EasyReadPictureId } from '../domain/profiles';
import { understandingQuestionsOf } from '../domain/profiles';
import {
  attendeeById,
  currentQuestion,
  isUnderstandingSettled,
  profileOf,
  requesterAwaitingUndertaking,
  signersTranslation,
  understandingOf,
} from '../domain/rules';
import { EASY_READ_PICTURES } from '../export/easyReadPictures';
import { useT } from '../shared/i18n';
import { AttendeeProblem, type AttendeeWords, English, Isolated } from './attendeeLanguage';
import { ReasonAction } from './forms';
import { type MeetingSession, useMeetingSnapshot } from './session';
import { useSend } from './useSend';

/** An Easy read picture, hidden from screen readers: the words beside it say what it shows. */
export function EasyReadPicture({ picture }: { picture: EasyReadPictureId }) {
  const drawing = EASY_READ_PICTURES[picture];
  return (
    <svg
      className="easy-read-picture"
      viewBox={`0 0 ${drawing.viewBox} ${drawing.viewBox}`}
      aria-hidden="true"
      focusable="false"
      data-picture={picture}
    >
      {drawing.shapes.map((shape) => (
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
  );
}

/** Whether the person about to sign today's undertaking must still answer questions first. */
export function useIsCheckPending(session: MeetingSession, signerId: string): boolean {
  const ctx = useMeetingSnapshot(session).context;
  return !isUnderstandingSettled(ctx, signerId, profileOf(ctx).undertaking.version);
}

/** The question being asked now, on the signer's screen, in place of the signature until the check is done. */
export function UnderstandingQuestionPanel({
  session,
  signerId,
  words,
}: {
  session: MeetingSession;
  signerId: string;
  /** The signer's language: the questions are asked in it, with the English beside a translation. */
  words: AttendeeWords;
}) {
  const { t, en } = words;
  const ctx = useMeetingSnapshot(session).context;
  const { send, error, refusal, isBusy } = useSend(session);
  const profile = profileOf(ctx);
  const { version } = profile.undertaking;
  const questions = understandingQuestionsOf(profile, version);
  const question = currentQuestion(ctx, signerId, version);
  if (!question) return null;
  // The same question in the signer's language (today's version only), the English beside it: the language
  // the meeting has for them (the minute says the questions were asked in it), whether or not the screen's
  // own words in that language have loaded yet.
  const translated = signersTranslation(ctx, signerId)?.questions.find((q) => q.id === question.id);
  const wrongBefore = (understandingOf(ctx, signerId).attempts[question.id] ?? 0) > 0;
  const number = questions.findIndex((q) => q.id === question.id) + 1;
  const progress = { number: words.isolate(number), total: words.isolate(questions.length) };
  return (
    <section className="understanding" aria-labelledby="check-title">
      <h2 id="check-title">
        {t('understanding.title')}
        <English text={en?.('understanding.title')} />
      </h2>
      <p>
        <Isolated text={t('understanding.progress', progress)} />
        <English text={en?.('understanding.progress', { number, total: questions.length })} />
      </p>
      {wrongBefore && (
        <div className="understanding-again" role="status">
          <p>
            {t('understanding.notQuite')}
            <English text={en?.('understanding.notQuite')} />
          </p>
          <p className="explanation">
            {translated?.explanation ?? question.explanation}
            <English text={translated ? question.explanation : null} />
          </p>
          <p>
            {t('understanding.tryAgain')}
            <English text={en?.('understanding.tryAgain')} />
          </p>
        </div>
      )}
      <div className="understanding-question">
        <EasyReadPicture picture={question.picture} />
        <p className="question" id="check-question">
          {translated?.question ?? question.question}
          <English text={translated ? question.question : null} />
        </p>
      </div>
      <fieldset className="answers" aria-labelledby="check-question">
        {question.answers.map((answer) => (
          <button
            key={answer.id}
            type="button"
            className="answer"
            disabled={isBusy}
            onClick={() =>
              void send({
                type: 'understanding.answered',
                payload: { signerId, textVersion: version, questionId: question.id, answerId: answer.id },
              })
            }
          >
            {translated?.answers.find((a) => a.id === answer.id)?.text ?? answer.text}
            <English text={translated ? answer.text : null} />
          </button>
        ))}
      </fieldset>
      <AttendeeProblem words={words} refusal={refusal} message={error} />
    </section>
  );
}

/** On the chair's step: the check is skipped (or stopped) only with the chair's reason, which is recorded. */
export function UnderstandingSkip({ session }: { session: MeetingSession }) {
  const t = useT();
  const ctx = useMeetingSnapshot(session).context;
  const signerId = requesterAwaitingUndertaking(ctx);
  if (signerId === null || isUnderstandingSettled(ctx, signerId, profileOf(ctx).undertaking.version))
    return null;
  const name = attendeeById(ctx, signerId)?.name ?? '';
  return (
    <div className="understanding-skip">
      <p>{t('understanding.chairNote', { name })}</p>
      <ReasonAction
        session={session}
        label={t('understanding.skip')}
        reasonLabel={t('understanding.skipReason')}
        submitLabel={t('understanding.skipConfirm')}
        build={(reason) => ({ type: 'understanding.skipped', payload: { signerId, reason } })}
      />
    </div>
  );
}
