/**
 * A tablet with one English voice (voices differ per device; Polish and Urdu have none here, so their
 * read-aloud buttons say so). Speaking does nothing and never ends, so the read-aloud controls show Pause and
 * Stop. Add with `page.addInitScript(oneEnglishVoice)`: it runs in the page, so it is self-contained.
 */
export function oneEnglishVoice() {
  const voice = { name: 'Daniel', lang: 'en-GB', default: true, localService: true, voiceURI: 'Daniel' };
  // The browser's own utterance takes only its own voices: a plain one that takes this one.
  (window as unknown as Record<string, unknown>).SpeechSynthesisUtterance = class {
    lang = '';
    rate = 1;
    voice: unknown = null;
    constructor(readonly text: string) {}
  };
  const synth = {
    getVoices: () => [voice],
    speak() {},
    cancel() {},
    pause() {},
    resume() {},
    addEventListener() {},
    removeEventListener() {},
  };
  Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
}
