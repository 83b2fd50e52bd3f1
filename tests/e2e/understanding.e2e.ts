/**
 * Every person in the room can take part (issue 18): the undertaking and the attendee's question read aloud
 * with the tablet's voices (a stubbed speechSynthesis and voice list: voices differ per device), and the check
 * of understanding before signing, with its minute lines on the minute screen.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { HERTFORDSHIRE } from '../../src/domain/profiles';
import { enGB } from '../../src/shared/i18n/en-GB';
import { KioskPage } from './pages/kiosk';
import { UndertakingPage } from './pages/undertaking';
import { expectNoAxeViolations } from './support/axe';
import { assertNoPageErrors, launchBrowser, newTabletPage } from './support/browser';

const baseURL = inject('baseURL');
let browser: Browser;

beforeAll(async () => {
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
});

const CHILD = 'Jamie Doe';
const mother = { name: 'Sarah Doe', role: 'parent-carer', prFor: [CHILD] } as const;
const chair = { name: 'Priya Shah', role: 'chair', agency: "Children's Services" } as const;
const socialWorker = { name: 'Tom Reid', role: 'social-worker', agency: "Children's Services" } as const;
const QUESTIONS = HERTFORDSHIRE.undertaking.versions.questions ?? [];

/**
 * A speechSynthesis that records what it is asked to say and finishes a sentence only when the test says so
 * (`__speech.finish()`), with the voice list given. It replaces the browser's before the app loads.
 */
function stubSpeech(voices: Array<{ name: string; lang: string }>) {
  const w = window as unknown as Record<string, unknown>;
  const spoken: Array<{ text: string; rate: number; lang: string }> = [];
  let current: { onend?: () => void } | null = null;
  let cancels = 0;
  const listeners = new Set<() => void>();
  class Utterance {
    text: string;
    lang = '';
    rate = 1;
    voice: unknown = null;
    onend?: () => void;
    onerror?: (e: { error: string }) => void;
    constructor(text: string) {
      this.text = text;
    }
  }
  const synth = {
    getVoices: () => voices.map((v) => ({ ...v, default: false, localService: true, voiceURI: v.name })),
    speak(u: Utterance) {
      spoken.push({ text: u.text, rate: u.rate, lang: u.lang });
      current = u;
    },
    cancel() {
      cancels += 1;
      current = null;
    },
    pause() {},
    resume() {},
    addEventListener: (_: string, f: () => void) => listeners.add(f),
    removeEventListener: (_: string, f: () => void) => listeners.delete(f),
  };
  Object.defineProperty(window, 'speechSynthesis', { value: synth, configurable: true });
  w.SpeechSynthesisUtterance = Utterance;
  w.__speech = {
    spoken,
    cancels: () => cancels,
    finish: () => {
      const u = current;
      current = null;
      u?.onend?.();
    },
  };
}

const spoken = (page: Page) =>
  page.evaluate(
    () =>
      (window as unknown as { __speech: { spoken: Array<{ text: string; rate: number }> } }).__speech.spoken,
  );
const finishSentence = (page: Page) =>
  page.evaluate(() => (window as unknown as { __speech: { finish: () => void } }).__speech.finish());

async function startKiosk(voices: Array<{ name: string; lang: string }>) {
  const page = await newTabletPage(browser, { width: 1024, height: 768 });
  await page.addInitScript(stubSpeech, voices);
  await page.goto(baseURL);
  const kiosk = new KioskPage(page);
  await kiosk.heading(enGB.pin.setTitle).waitFor();
  await kiosk.choosePin();
  await kiosk.setUpMeeting({ title: 'Review for Jamie', children: [CHILD] });
  for (const p of [chair, mother, socialWorker]) await kiosk.addAttendee(p);
  await kiosk.recordRequest({
    requester: mother.name,
    reasons: ['memory'],
    purpose: 'To listen again later.',
  });
  await kiosk.confirmEligible(mother.name);
  return kiosk;
}

/** After signing: everyone agrees, the meeting begins and is closed, and the minute entry is shown. */
async function agreeAndClose(kiosk: KioskPage) {
  await kiosk.chairTakesBack();
  await kiosk.heading(enGB.round.title).waitFor();
  for (const name of [chair.name, socialWorker.name]) await kiosk.askAndAnswer(name, 'yes');
  await kiosk.finishScreening();
  await kiosk.heading(enGB.ready.title).waitFor();
  await kiosk.beginDiscussion();
  await kiosk.closeMeeting();
  return kiosk.minuteText();
}

describe('read aloud', { timeout: 180_000 }, () => {
  it('reads the undertaking sentence by sentence, highlighting the one being read; pauses, resumes, and reads slower', async () => {
    const kiosk = await startKiosk([{ name: 'Daniel', lang: 'en-GB' }]);
    const { page } = kiosk;
    await kiosk.handOverToSign(mother.name);
    const reading = page.locator('mark.reading');

    await page.getByRole('button', { name: enGB.readAloud.play }).click();
    const intro = enGB.undertaking.intro.replace('{{name}}', mother.name).split(/(?<=\.)\s/)[0] ?? '';
    await expect.poll(async () => (await spoken(page)).map((s) => s.text)).toEqual([intro]);
    await expect.poll(() => reading.textContent()).toBe(intro);

    // The sentence ends: the next is said and the highlight moves to it.
    await finishSentence(page);
    await expect.poll(async () => (await spoken(page)).length).toBe(2);
    const second = (await spoken(page))[1]?.text ?? '';
    expect(second).not.toBe(intro);
    await expect.poll(() => reading.textContent()).toBe(second);
    expect(await reading.count()).toBe(1);

    // Pause: nothing more is said, the place is kept; resume says that sentence again.
    await page.getByRole('button', { name: enGB.readAloud.pause }).click();
    await page.getByRole('button', { name: enGB.readAloud.resume }).waitFor();
    expect(await reading.textContent()).toBe(second);
    await page.getByRole('button', { name: enGB.readAloud.resume }).click();
    await expect.poll(async () => (await spoken(page)).map((s) => s.text)).toEqual([intro, second, second]);

    // Slower on request: the same sentence again, at a slower rate.
    await page.getByRole('button', { name: enGB.readAloud.slower }).click();
    await expect.poll(async () => (await spoken(page)).length).toBe(4);
    const last = (await spoken(page)).at(-1);
    expect(last?.text).toBe(second);
    expect(last?.rate ?? 1).toBeLessThan(1);
    expect(await page.getByRole('button', { name: enGB.readAloud.slower }).getAttribute('aria-pressed')).toBe(
      'true',
    );

    await page.getByRole('button', { name: enGB.readAloud.stop }).click();
    await page.getByRole('button', { name: enGB.readAloud.play }).waitFor();
    expect(await reading.count()).toBe(0);
    await expectNoAxeViolations(page, 'undertaking with read aloud');
    assertNoPageErrors(page);
    await page.context().close();
  });

  it('says so, instead of failing silently, when the tablet has no voice for the language', async () => {
    const kiosk = await startKiosk([{ name: 'Amélie', lang: 'fr-FR' }]);
    const { page } = kiosk;
    await kiosk.handOverToSign(mother.name);
    // The button says it cannot, and its description says why and what to do instead.
    const play = page.getByRole('button', { name: enGB.readAloud.noVoiceShort });
    await play.waitFor();
    expect(await play.isDisabled()).toBe(true);
    const why = page.getByText(/This tablet has no voice for British English/);
    expect(await why.getAttribute('id')).toBe(await play.getAttribute('aria-describedby'));
    assertNoPageErrors(page);
    await page.context().close();
  });
});

describe('the check of understanding before signing', { timeout: 240_000 }, () => {
  it('a wrong answer shows the point again and asks again; the minute says at which try each point was understood', async () => {
    const kiosk = await startKiosk([{ name: 'Daniel', lang: 'en-GB' }]);
    const { page } = kiosk;
    await kiosk.handOverToSign(mother.name);
    const screen = new UndertakingPage(page);
    const [first] = QUESTIONS;
    if (!first) throw new Error('no questions');
    await screen.checkTitle().waitFor();
    expect(await screen.question().textContent()).toBe('Can you put the recording on Facebook?');
    // No signature box until the check is done.
    expect(await screen.signatureCanvas().count()).toBe(0);

    await screen.answer('Yes');
    const again = page.getByRole('status').filter({ hasText: enGB.understanding.notQuite });
    await again.waitFor();
    expect(await again.textContent()).toContain(first.explanation);
    expect(await screen.question().textContent()).toBe(first.question);
    await expectNoAxeViolations(page, 'the check of understanding, after a wrong answer');

    await screen.answer('No');
    expect(await screen.question().textContent()).not.toBe(first.question);
    await screen.passUnderstandingCheck();
    await kiosk.sign();
    const minutes = await agreeAndClose(kiosk);
    expect(minutes).toContain(
      'The chair checked that Sarah Doe (parent or carer) understood the undertaking (version hcs-2026-3), with three questions on the tablet before signing: point 1 (not putting the recording online) was understood at the second try, after it was explained again; point 2 (giving a copy to anyone at the meeting who asks) was understood at the first try;',
    );
    assertNoPageErrors(page);
    await page.context().close();
  });

  it('the chair skips the check only with a reason, and the minute says it was not checked and why', async () => {
    const kiosk = await startKiosk([{ name: 'Daniel', lang: 'en-GB' }]);
    const { page } = kiosk;
    await page.getByRole('button', { name: enGB.understanding.skip }).click();
    const reason = page.getByLabel(enGB.understanding.skipReason);
    await page.getByRole('button', { name: enGB.understanding.skipConfirm }).click();
    await page.getByRole('alert').filter({ hasText: enGB.common.required }).waitFor();
    await reason.fill('Sarah went through the promise with her advocate.');
    await page.getByRole('button', { name: enGB.understanding.skipConfirm }).click();
    await page.getByRole('button', { name: enGB.understanding.skip }).waitFor({ state: 'detached' });

    await kiosk.handOverToSign(mother.name);
    const screen = new UndertakingPage(page);
    await screen.signatureCanvas().waitFor();
    expect(await screen.checkTitle().count()).toBe(0);
    await kiosk.sign();
    const minutes = await agreeAndClose(kiosk);
    expect(minutes).toContain(
      'The chair did not check that Sarah Doe (parent or carer) understood the undertaking: “Sarah went through the promise with her advocate.”',
    );
    expect(minutes).not.toMatch(/understood at the/);
    assertNoPageErrors(page);
    await page.context().close();
  });
});
