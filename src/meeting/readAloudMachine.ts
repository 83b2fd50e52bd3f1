/**
 * Reading a screen aloud (issue 18), as a statechart: sentence by sentence, so the sentence being read can
 * be highlighted, paused and resumed at that sentence, and read again slower. The speech itself is two
 * named actions (`speak`, `silence`) that the screen provides with the tablet's speechSynthesis; the
 * machine only decides what is said next.
 *
 * Pausing silences the sentence and resuming says it again from its start: speechSynthesis.pause() is
 * unreliable on Android (it cancels), and a sentence said again whole is easier to follow than half of one.
 * Voices arrive late (getVoices() is empty at first): the machine waits for them (`voices`), and says there
 * is no voice for the language rather than failing silently when none comes.
 */
import { assign, setup } from 'xstate';
import { whenIdle } from '../shell/paint';

export interface ReadAloudContext {
  sentences: readonly string[];
  /** The sentence being read, or -1. */
  index: number;
  isSlow: boolean;
}

export type ReadAloudEvent =
  /** The tablet's voice list, now: whether any voice speaks the screen's language. */
  | { type: 'voices'; hasVoice: boolean }
  | { type: 'play'; sentences: readonly string[] }
  | { type: 'pause' }
  | { type: 'resume' }
  | { type: 'stop' }
  | { type: 'slow'; isSlow: boolean }
  /** A sentence finished; `index` says which, so a sentence silenced by a pause does not move on. */
  | { type: 'sentence.ended'; index: number }
  | { type: 'speech.failed'; index: number };

/**
 * How long the screen waits for the voice list before telling the machine there is no voice (it may still
 * arrive later). The wait is the screen's, so the machine has no timers and is model-tested whole.
 */
export const VOICE_WAIT_MS = 3000;

export const readAloudMachine = setup({
  types: { context: {} as ReadAloudContext, events: {} as ReadAloudEvent },
  actions: {
    /** Says one sentence at the chosen rate (provided by the screen). */
    speak: (_, _params: { text: string; isSlow: boolean; index: number }) => {},
    /** Stops whatever is being said (provided by the screen). */
    silence: () => {},
  },
  guards: {
    hasVoice: ({ event }) => event.type === 'voices' && event.hasVoice,
    hasNoVoice: ({ event }) => event.type === 'voices' && !event.hasVoice,
    isThisSentence: ({ context, event }) =>
      (event.type === 'sentence.ended' || event.type === 'speech.failed') && event.index === context.index,
    hasNext: ({ context, event }) =>
      event.type === 'sentence.ended' &&
      event.index === context.index &&
      context.index + 1 < context.sentences.length,
  },
}).createMachine({
  id: 'readAloud',
  initial: 'checking',
  context: { sentences: [], index: -1, isSlow: false },
  on: {
    slow: { actions: assign({ isSlow: ({ event }) => event.isSlow }) },
  },
  states: {
    checking: {
      on: {
        voices: [
          { guard: 'hasVoice', target: 'idle' },
          { guard: 'hasNoVoice', target: 'noVoice' },
        ],
      },
    },
    noVoice: {
      on: { voices: { guard: 'hasVoice', target: 'idle' } },
    },
    idle: {
      entry: assign({ index: -1 }),
      on: {
        voices: { guard: 'hasNoVoice', target: 'noVoice' },
        play: {
          guard: ({ event }) => event.sentences.length > 0,
          target: 'speaking',
          actions: assign({ sentences: ({ event }) => event.sentences, index: 0 }),
        },
      },
    },
    speaking: {
      entry: {
        type: 'speak',
        params: ({ context }) => ({
          text: context.sentences[context.index] ?? '',
          isSlow: context.isSlow,
          index: context.index,
        }),
      },
      on: {
        'sentence.ended': [
          {
            guard: 'hasNext',
            target: 'speaking',
            reenter: true,
            actions: assign({ index: ({ context }) => context.index + 1 }),
          },
          { guard: 'isThisSentence', target: 'idle' },
        ],
        'speech.failed': { guard: 'isThisSentence', target: 'idle' },
        pause: { target: 'paused', actions: 'silence' },
        stop: { target: 'idle', actions: 'silence' },
        // The same sentence again at the new rate.
        slow: {
          target: 'speaking',
          reenter: true,
          actions: ['silence', assign({ isSlow: ({ event }) => event.isSlow })],
        },
        voices: { guard: 'hasNoVoice', target: 'noVoice', actions: 'silence' },
      },
    },
    paused: {
      on: {
        resume: 'speaking',
        stop: 'idle',
        voices: { guard: 'hasNoVoice', target: 'noVoice' },
      },
    },
  },
});

export type ReadAloudState = 'checking' | 'noVoice' | 'idle' | 'speaking' | 'paused';

/**
 * Made once per language: a sentence segmenter, a language's name, a date or number format (in
 * attendeeLanguage.tsx). Making any loads the language's data, which cost a slow tablet tens of
 * milliseconds each time (bench/interaction.ts: the tap that handed the tablet to the signer spent most of
 * its frame making one segmenter per block of the undertaking).
 */
export function perLanguage<T>(make: (lang: string) => T): (lang: string) => T {
  const made = new Map<string, T>();
  return (lang) => {
    let value = made.get(lang);
    if (value === undefined) {
      value = make(lang);
      made.set(lang, value);
    }
    return value;
  };
}

const segmenterFor = perLanguage((lang) => new Intl.Segmenter(lang, { granularity: 'sentence' }));

/** "British English" for en-GB, in that language. */
export const languageName = perLanguage(
  (lang) => new Intl.DisplayNames([lang], { type: 'language' }).of(lang) ?? lang,
);

/**
 * Makes the language's segmenter and name while the tablet is idle (the chair setting up), so that the first
 * screen read aloud (an attendee's question, the undertaking) does not pay for them in the frame of the tap
 * that opened it.
 */
export function prepareSentences(lang: string): () => void {
  return whenIdle(() => {
    segmenterFor(lang);
    languageName(lang);
  });
}

/** Splits text into sentences the way the language does (Intl.Segmenter), dropping empty ones. */
export function sentencesOf(text: string, lang: string): string[] {
  return Array.from(segmenterFor(lang).segment(text), (s) => s.segment.trim()).filter((s) => s !== '');
}
