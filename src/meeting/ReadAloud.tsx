/**
 * Read aloud on the attendee and signer screens (issue 18): a "Read aloud" button that reads the screen's
 * words sentence by sentence with the tablet's own voices (speechSynthesis, which works offline on iPad and
 * Android), highlights the sentence being read, pauses, resumes and reads slower on request, and says so
 * when the tablet has no voice for the language. The order of things is readAloudMachine's.
 */
import './messages';
import { useActorRef, useSelector } from '@xstate/react';
import { useEffect, useMemo, useRef } from 'react';
import { whenIdle } from '../shell/paint';
import { type AttendeeWords, English, Isolated, withoutMarks } from './attendeeLanguage';
import {
  languageName,
  type ReadAloudState,
  readAloudMachine,
  sentencesOf,
  VOICE_WAIT_MS,
} from './readAloudMachine';

/** The read-aloud controls know whether a voice exists within this long, even on a busy tablet. */
const VOICE_CHECK_WITHIN_MS = 500;

/** Slower on request: a rate most voices still say clearly. */
const SLOW_RATE = 0.7;

const synthesis = (): SpeechSynthesis | null =>
  typeof window !== 'undefined' && 'speechSynthesis' in window ? window.speechSynthesis : null;

/**
 * Wakes the platform's speech service while the tablet is idle: its first touch (speechSynthesis, then the
 * voice list) cost 7 ms at CPU x4 just after the signing screen's first frame, when the signer's first
 * stroke could come.
 */
export function prepareSpeech(): () => void {
  return whenIdle(() => void synthesis()?.getVoices());
}

/** A voice for the language: its exact tag first (en-GB), else one of the same language (en-US). */
function voiceFor(lang: string): SpeechSynthesisVoice | null {
  const voices = synthesis()?.getVoices() ?? [];
  const norm = (tag: string) => tag.replace('_', '-').toLowerCase();
  const primary = norm(lang).split('-')[0];
  return (
    voices.find((v) => norm(v.lang) === norm(lang)) ??
    voices.find((v) => norm(v.lang).split('-')[0] === primary) ??
    null
  );
}

export interface Reader {
  state: ReadAloudState;
  /** The sentence being read (in order over all blocks), or -1. */
  index: number;
  isSlow: boolean;
  /** Each block's sentences with their place in the reading order. */
  blocks: ReadonlyArray<ReadonlyArray<{ text: string; index: number }>>;
  send: ReturnType<typeof useActorRef<typeof readAloudMachine>>['send'];
  sentences: readonly string[];
  lang: string;
}

/** Reads `blocks` (the screen's texts, in reading order) in the language `lang`. */
export function useReader(blocks: readonly string[], lang: string): Reader {
  const split = useMemo(() => {
    let next = 0;
    return blocks.map((block) => sentencesOf(block, lang).map((text) => ({ text, index: next++ })));
  }, [blocks, lang]);
  const sentences = useMemo(() => split.flat().map((s) => s.text), [split]);
  // The machine's actions are made once, with the first render: they read the language of this render
  // (a change of language, or the full wording in English, is spoken in its own voice).
  const langRef = useRef(lang);
  langRef.current = lang;
  const actor = useActorRef(
    readAloudMachine.provide({
      actions: {
        speak: (_, params) => {
          const speech = synthesis();
          if (!speech) return;
          const utterance = new SpeechSynthesisUtterance(withoutMarks(params.text));
          utterance.lang = langRef.current;
          const voice = voiceFor(langRef.current);
          if (voice) utterance.voice = voice;
          utterance.rate = params.isSlow ? SLOW_RATE : 1;
          utterance.onend = () => actor.send({ type: 'sentence.ended', index: params.index });
          utterance.onerror = (e) => {
            // A sentence silenced by pause, stop or a change of rate is not a failure.
            if (e.error !== 'interrupted' && e.error !== 'canceled')
              actor.send({ type: 'speech.failed', index: params.index });
          };
          speech.speak(utterance);
        },
        silence: () => synthesis()?.cancel(),
      },
    }),
  );
  useEffect(() => {
    // When the tablet is idle, after the screen's first frame: the first touch of speechSynthesis wakes the
    // platform's speech service, and the answer re-renders the controls, which held up the frame of the tap
    // that opened this screen (a task queued from the frame's callbacks could run before its paint: traced
    // at CPU x4, a second layout of the signing screen, 10 ms, inside the hand-over tap).
    let stop: () => void = () => undefined;
    let isCurrent = true;
    const cancel = whenIdle(() => {
      if (!isCurrent) return;
      const speech = synthesis();
      if (!speech) return void actor.send({ type: 'voices', hasVoice: false });
      const check = () => {
        const hasList = speech.getVoices().length > 0;
        // An empty list at first means "not loaded yet" (the machine waits); a list without our language is final.
        if (hasList) actor.send({ type: 'voices', hasVoice: voiceFor(lang) !== null });
      };
      check();
      speech.addEventListener('voiceschanged', check);
      // Some browsers fill the list without a voiceschanged event: look again when the wait is over.
      const wait = setTimeout(() => {
        if (speech.getVoices().length === 0) actor.send({ type: 'voices', hasVoice: false });
        else check();
      }, VOICE_WAIT_MS);
      stop = () => {
        clearTimeout(wait);
        speech.removeEventListener('voiceschanged', check);
        // Reading in the old language ends, and the controls say so (cancel's "interrupted" is not a
        // failure, so the machine would otherwise stay "reading" with nothing heard).
        const reading = actor.getSnapshot();
        if (reading.status === 'active' && (reading.matches('speaking') || reading.matches('paused')))
          actor.send({ type: 'stop' });
        speech.cancel();
      };
    }, VOICE_CHECK_WITHIN_MS);
    return () => {
      isCurrent = false;
      cancel();
      stop();
    };
  }, [actor, lang]);
  const state = useSelector(actor, (s) => s.value as ReadAloudState);
  const index = useSelector(actor, (s) =>
    s.matches('speaking') || s.matches('paused') ? s.context.index : -1,
  );
  const isSlow = useSelector(actor, (s) => s.context.isSlow);
  return { state, index, isSlow, blocks: split, send: actor.send, sentences, lang };
}

/** One block's words, with the sentence being read highlighted. */
export function Said({ reader, block }: { reader: Reader; block: number }) {
  const sentences = reader.blocks[block] ?? [];
  return sentences.map((s, i) => (
    <span key={s.index}>
      {i > 0 && ' '}
      {s.index === reader.index ? (
        <mark className="reading" data-reading="true">
          <Isolated text={s.text} />
        </mark>
      ) : (
        <Isolated text={s.text} />
      )}
    </span>
  ));
}

/** The buttons: Read aloud (or why it cannot), Pause / Resume, Stop, and Slower. */
export function ReadAloudControls({ reader, words }: { reader: Reader; words: AttendeeWords }) {
  const { t, en } = words;
  const { state, send } = reader;
  if (state === 'noVoice' || state === 'checking') {
    // The button itself says why it cannot read (short, so the top bar stays one row above the signature);
    // its description gives the whole reason, and what to do instead.
    return (
      <div className="read-aloud">
        <button type="button" className="secondary" disabled aria-describedby="read-aloud-why">
          <span aria-hidden="true">🔊 </span>
          {state === 'noVoice' ? t('readAloud.noVoiceShort') : t('readAloud.play')}
          <English text={en && (state === 'noVoice' ? en('readAloud.noVoiceShort') : en('readAloud.play'))} />
        </button>
        <span id="read-aloud-why" className="visually-hidden" role="status">
          {state === 'noVoice'
            ? t('readAloud.noVoice', { language: languageName(reader.lang) })
            : t('readAloud.checking')}
        </span>
      </div>
    );
  }
  return (
    <div className="read-aloud">
      {state === 'idle' && (
        <button
          type="button"
          className="secondary"
          onClick={() => send({ type: 'play', sentences: reader.sentences })}
        >
          <span aria-hidden="true">🔊 </span>
          {t('readAloud.play')}
          <English text={en?.('readAloud.play')} />
        </button>
      )}
      {state === 'speaking' && (
        <button type="button" className="secondary" onClick={() => send({ type: 'pause' })}>
          {t('readAloud.pause')}
          <English text={en?.('readAloud.pause')} />
        </button>
      )}
      {state === 'paused' && (
        <button type="button" className="secondary" onClick={() => send({ type: 'resume' })}>
          {t('readAloud.resume')}
          <English text={en?.('readAloud.resume')} />
        </button>
      )}
      {(state === 'speaking' || state === 'paused') && (
        <button type="button" className="quiet" onClick={() => send({ type: 'stop' })}>
          {t('readAloud.stop')}
          <English text={en?.('readAloud.stop')} />
        </button>
      )}
      <button
        type="button"
        className="quiet"
        aria-pressed={reader.isSlow}
        onClick={() => send({ type: 'slow', isSlow: !reader.isSlow })}
      >
        {t('readAloud.slower')}
        <English text={en?.('readAloud.slower')} />
      </button>
    </div>
  );
}
