/**
 * Page model of the requester's signing screen: the undertaking's text area (plain words, full wording or
 * Easy read), the signature box and the Sign and decline buttons, by role and accessible name.
 */
import type { Locator, Page } from 'playwright-core';
import { PROFILES } from '../../../src/domain/profiles';
import { enGB } from '../../../src/shared/i18n/en-GB';

const QUESTIONS = Object.values(PROFILES).flatMap((p) => p.undertaking.versions.questions ?? []);

export type TextShown = 'plain' | 'full' | 'easy';

const REGION_NAME: Record<TextShown, string> = {
  plain: enGB.undertaking.textPlain,
  full: enGB.undertaking.textFull,
  easy: enGB.undertaking.textEasy,
};

export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export class UndertakingPage {
  constructor(readonly page: Page) {}

  /** The scrolling area that holds the version of the text now shown. */
  text(shown: TextShown): Locator {
    return this.page.getByRole('region', { name: REGION_NAME[shown], exact: true });
  }

  signatureCanvas(): Locator {
    return this.page.getByRole('group', { name: enGB.undertaking.signatureLabel }).locator('canvas');
  }

  /** The check of understanding, shown in place of the signature until every question is answered rightly. */
  checkTitle(): Locator {
    return this.page.getByRole('heading', { name: enGB.understanding.title, exact: true });
  }

  /** The question being asked now (its words, beside its picture). */
  question(): Locator {
    return this.page.locator('#check-question');
  }

  /** Taps one of the big answers and waits for the screen to take it (the next question, or the same again). */
  async answer(text: string) {
    const before = await this.page.evaluate(
      () => document.querySelectorAll('#check-question, .understanding-again').length,
    );
    const asked = await this.question().textContent();
    await this.page.getByRole('button', { name: text, exact: true }).click();
    await this.page.waitForFunction(
      ([q, n]) =>
        document.querySelector('#check-question')?.textContent !== q ||
        document.querySelectorAll('#check-question, .understanding-again').length !== n,
      [asked, before] as const,
    );
  }

  /** Answers every question rightly, if the check is shown, so that the signature box appears. */
  async passUnderstandingCheck() {
    await this.signatureCanvas().or(this.checkTitle()).first().waitFor();
    while (await this.checkTitle().isVisible()) {
      const asked = (await this.question().textContent())?.trim();
      const right = QUESTIONS.find((q) => q.question === asked)?.answers.find((a) => a.isRight);
      if (!right) throw new Error(`no right answer known for "${asked}"`);
      await this.answer(right.text);
    }
    await this.signatureCanvas().waitFor();
  }

  /** Gives a wrong answer to the question asked now, so that the check shows that part of the promise again. */
  async answerWrongly() {
    const asked = (await this.question().textContent())?.trim();
    const wrong = QUESTIONS.find((q) => q.question === asked)?.answers.find((a) => !a.isRight);
    if (!wrong) throw new Error(`no wrong answer known for "${asked}"`);
    await this.answer(wrong.text);
  }

  signButton(): Locator {
    return this.page.getByRole('button', { name: new RegExp(enGB.undertaking.sign) });
  }

  declineButton(): Locator {
    return this.page.getByRole('button', { name: enGB.undertaking.decline, exact: true });
  }

  async readFullWording() {
    await this.page.getByRole('button', { name: enGB.undertaking.showFull, exact: true }).click();
    await this.text('full').waitFor();
  }

  async backToPlainWords() {
    await this.page.getByRole('button', { name: enGB.undertaking.showPlain, exact: true }).click();
    await this.text('plain').waitFor();
  }

  async switchEasyRead() {
    await this.page.getByRole('button', { name: enGB.answer.easyRead }).click();
    await this.text('easy').waitFor();
  }

  /** The Easy read lines, each an item with its words (the picture beside them is hidden from screen readers). */
  easyReadLine(text: string): Locator {
    return this.text('easy').getByRole('listitem').filter({ hasText: text });
  }

  /**
   * The picture drawn beside an Easy read line: which one, and where. The picture is aria-hidden (the
   * words say the same), so it has no role to find it by; it is found inside its line.
   */
  async pictureBeside(text: string): Promise<{ id: string | null; picture: Box | null; words: Box | null }> {
    const line = this.easyReadLine(text);
    const picture = line.locator('svg');
    return {
      id: await picture.getAttribute('data-picture'),
      picture: await picture.boundingBox(),
      words: await line.getByText(text, { exact: true }).boundingBox(),
    };
  }

  /** How far the page itself (not the text area) is scrolled, and whether it could scroll at all. */
  pageScroll(): Promise<{ y: number; overflow: number }> {
    return this.page.evaluate(() => ({
      y: window.scrollY,
      overflow: document.documentElement.scrollHeight - window.innerHeight,
    }));
  }
}
