/**
 * Model-based tests of read aloud (issue 18): xstate/graph takes the shortest path to every state of the
 * read-aloud statechart under every event, and each path is run on a live actor with a recording stand-in
 * for the speech, checking what a listener is owed: the sentence highlighted is the one last said; nothing
 * is said while paused, stopped or without a voice; resuming says the paused sentence again; and a sentence
 * silenced by a pause never moves the reading on.
 */
import { describe, expect, it } from 'vitest';
import { createActor } from 'xstate';
import { createTestModel } from 'xstate/graph';
import { type ReadAloudEvent, readAloudMachine, sentencesOf } from '../../src/meeting/readAloudMachine';

const SENTENCES = ['You want to record this meeting.', 'You must not put it online.'];
const EVENTS: ReadAloudEvent[] = [
  { type: 'voices', hasVoice: true },
  { type: 'voices', hasVoice: false },
  { type: 'play', sentences: SENTENCES },
  { type: 'pause' },
  { type: 'resume' },
  { type: 'stop' },
  { type: 'slow', isSlow: true },
  { type: 'slow', isSlow: false },
  { type: 'sentence.ended', index: 0 },
  { type: 'sentence.ended', index: 1 },
  { type: 'speech.failed', index: 0 },
];

describe('read aloud, on every shortest path', () => {
  const model = createTestModel(readAloudMachine, {
    events: EVENTS,
    serializeState: (s) => JSON.stringify([s.value, s.context.index, s.context.isSlow]),
  });
  const paths = model.getShortestPaths();

  it('reaches every state: checking, no voice, idle, speaking and paused', () => {
    const reached = new Set(paths.flatMap((p) => p.steps.map((s) => JSON.stringify(s.state.value))));
    expect([...reached].sort()).toEqual(
      ['"checking"', '"idle"', '"noVoice"', '"paused"', '"speaking"'].sort(),
    );
  });

  for (const path of paths) {
    it(path.description, () => {
      const said: Array<{ text: string; index: number; isSlow: boolean }> = [];
      let silenced = 0;
      const actor = createActor(
        readAloudMachine.provide({
          actions: {
            speak: (_, params) => void said.push(params),
            silence: () => {
              silenced += 1;
            },
          },
        }),
      ).start();
      for (const { event } of path.steps.slice(1)) {
        const before = actor.getSnapshot();
        const saidBefore = said.length;
        actor.send(event);
        const after = actor.getSnapshot();
        if (after.matches('speaking')) {
          // What is highlighted is what was last said, at the rate chosen.
          const last = said.at(-1);
          expect(last?.index).toBe(after.context.index);
          expect(last?.text).toBe(after.context.sentences[after.context.index]);
          expect(last?.isSlow).toBe(after.context.isSlow);
        } else {
          expect(said.length, `nothing is said on ${event.type} in ${JSON.stringify(after.value)}`).toBe(
            saidBefore,
          );
        }
        if (before.matches('speaking') && (event.type === 'pause' || event.type === 'stop'))
          expect(silenced).toBeGreaterThan(0);
        if (before.matches('paused') && event.type === 'resume')
          expect(said.at(-1)?.index).toBe(before.context.index);
        // A sentence that is not the one being read (silenced earlier) never moves the reading on.
        if (event.type === 'sentence.ended' && event.index !== before.context.index)
          expect(after.context.index).toBe(before.context.index);
      }
      actor.stop();
    });
  }

  it('an empty screen is not "played" (nothing to say)', () => {
    const actor = createActor(readAloudMachine).start();
    actor.send({ type: 'voices', hasVoice: true });
    actor.send({ type: 'play', sentences: [] });
    expect(actor.getSnapshot().value).toBe('idle');
  });
});

describe('sentences', () => {
  it('splits the undertaking’s words into sentences, keeping each whole', () => {
    expect(
      sentencesOf(
        'If you share it and it harms the child, the council can go to court. This is called an injunction.',
        'en-GB',
      ),
    ).toEqual([
      'If you share it and it harms the child, the council can go to court.',
      'This is called an injunction.',
    ]);
    expect(sentencesOf('', 'en-GB')).toEqual([]);
  });
});
