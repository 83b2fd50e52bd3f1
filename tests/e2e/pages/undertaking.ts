/**
 * Page model of the requester's signing screen: the undertaking's text area (plain words, full wording or
 * Easy read), the signature box and the Sign and decline buttons, by role and accessible name.
 */
import type { Locator, Page } from 'playwright-core';
import { enGB } from '../../../src/shared/i18n/en-GB';

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
