// @vitest-environment jsdom
/**
 * Read aloud speaks in the language of the words on screen now (issue 18): after the signer changes language,
 * or opens the council's full wording (in English), the next sentence is said in that language's voice, and
 * reading in the old language ends with the controls saying so. Before, the voice was the one of the first
 * language the screen opened in (the machine's actions were made once), and a change of language while
 * reading left the controls on "reading" with nothing heard.
 */
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useReader } from '../../src/meeting/ReadAloud';

interface Spoken {
  text: string;
  lang: string;
  voice: { lang: string } | null;
}

let spoken: Spoken[] = [];

/** A tablet with a Polish and an English voice; speaking records the utterance and never ends by itself. */
function installVoices() {
  spoken = [];
  const voices = [
    { name: 'Zosia', lang: 'pl-PL', default: false, localService: true, voiceURI: 'Zosia' },
    { name: 'Daniel', lang: 'en-GB', default: true, localService: true, voiceURI: 'Daniel' },
  ];
  (globalThis as Record<string, unknown>).SpeechSynthesisUtterance = class {
    lang = '';
    rate = 1;
    voice: { lang: string } | null = null;
    constructor(readonly text: string) {}
  };
  Object.defineProperty(window, 'speechSynthesis', {
    configurable: true,
    value: {
      getVoices: () => voices,
      speak: (u: Spoken) => spoken.push({ text: u.text, lang: u.lang, voice: u.voice }),
      cancel() {},
      pause() {},
      resume() {},
      addEventListener() {},
      removeEventListener() {},
    },
  });
}

function Probe({ lang, text }: { lang: string; text: string }) {
  const reader = useReader([text], lang);
  return (
    <div>
      <output aria-label="state">{reader.state}</output>
      <button type="button" onClick={() => reader.send({ type: 'play', sentences: reader.sentences })}>
        play
      </button>
    </div>
  );
}

const state = () => screen.getByLabelText('state').textContent;

beforeEach(installVoices);
afterEach(() => {
  cleanup();
  Reflect.deleteProperty(window, 'speechSynthesis');
});

describe('read aloud follows the language on screen', () => {
  it('after a change from Polish to English, the next reading is in the English voice', async () => {
    const { rerender } = render(<Probe lang="pl" text="Dzień dobry." />);
    await waitFor(() => expect(state()).toBe('idle'), { timeout: 3_000 });
    fireEvent.click(screen.getByRole('button', { name: 'play' }));
    expect(spoken.at(-1)).toMatchObject({ lang: 'pl', voice: { lang: 'pl-PL' } });
    expect(state()).toBe('speaking');

    // The language changes while Polish is being read: the reading ends, and the controls say so.
    rerender(<Probe lang="en-GB" text="Good morning." />);
    await waitFor(() => expect(state()).toBe('idle'));
    await act(() => new Promise((done) => setTimeout(done, 600)));
    fireEvent.click(screen.getByRole('button', { name: 'play' }));
    expect(spoken.at(-1)).toMatchObject({ text: 'Good morning.', lang: 'en-GB', voice: { lang: 'en-GB' } });
  });
});
