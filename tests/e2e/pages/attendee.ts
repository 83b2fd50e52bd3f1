/**
 * Page model of an attendee's own screens in their language (issue 18): the language list, the answer
 * buttons and the signing screen, by role and accessible name in that language. Where the council has not
 * approved the translation, each name also holds the English beside it, so names are matched by their start.
 */
import type { Locator, Page } from 'playwright-core';
import type { TranslatedLanguage } from '../../../src/domain/languages';
import { PROFILES, undertakingTranslationOf } from '../../../src/domain/profiles';
import { ATTENDEE_MESSAGES } from '../../../src/shared/i18n/attendee';
import type { AttendeeMessages } from '../../../src/shared/i18n/attendee/en-GB';
import { enGB } from '../../../src/shared/i18n/en-GB';

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** An accessible name that begins with these words (the English may follow). */
const startingWith = (text: string) => new RegExp(`^${escapeRegExp(text)}`);

export class AttendeePage {
  private constructor(
    readonly page: Page,
    readonly language: TranslatedLanguage,
    readonly words: AttendeeMessages,
  ) {}

  static async of(page: Page, language: TranslatedLanguage): Promise<AttendeePage> {
    return new AttendeePage(page, language, await ATTENDEE_MESSAGES[language]());
  }

  /** The list of languages on the attendee's own screen, labelled in English until another is chosen. */
  languageList(): Locator {
    return this.page.getByRole('combobox', {
      name: new RegExp(
        `^(${enGB.attendeeScreen.language}|${escapeRegExp(this.words.attendeeScreen.language)})`,
      ),
    });
  }

  async chooseLanguage(ownName: string) {
    await this.languageList().selectOption({ label: ownName });
    await this.page.locator(`main[lang="${this.language}"]`).waitFor();
  }

  /** The region of the screen in the attendee's language. */
  region(): Locator {
    return this.page.locator(`main[lang="${this.language}"]`);
  }

  questionHeading(): Locator {
    return this.page.getByRole('heading', { level: 2 });
  }

  button(text: string): Locator {
    return this.page.getByRole('button', { name: startingWith(text) });
  }

  async answerYes() {
    await this.button(this.words.answer.yes).click();
  }

  /** On the answer screen, in the attendee's language: the answer is given through this interpreter present. */
  async throughInterpreter(interpreter: string) {
    const { interpreterChoice } = this.words;
    await this.page.getByRole('checkbox', { name: startingWith(interpreterChoice.through) }).check();
    await this.page
      .getByRole('combobox', { name: startingWith(interpreterChoice.interpreter) })
      .selectOption({ label: interpreter });
  }

  /** The list of languages an interpreter may interpret, named in the attendee's language. */
  languageInterpreted(): Locator {
    return this.page.getByRole('combobox', { name: startingWith(this.words.interpreterChoice.language) });
  }

  signingTitle(): Locator {
    return this.page.getByRole('heading', { name: startingWith(this.words.undertaking.title) });
  }

  signatureCanvas(): Locator {
    return this.page
      .getByRole('group', { name: startingWith(this.words.undertaking.signatureLabel) })
      .locator('canvas');
  }

  /** Answers the check of understanding rightly, in the attendee's language, until the signature box shows. */
  async passUnderstandingCheck() {
    const english = PROFILES.hertfordshire.undertaking.versions.questions ?? [];
    const translated = undertakingTranslationOf(PROFILES.hertfordshire, this.language)?.questions ?? [];
    const checkTitle = this.page.getByRole('heading', { name: startingWith(this.words.understanding.title) });
    await this.signatureCanvas().or(checkTitle).first().waitFor();
    while (await checkTitle.isVisible()) {
      const asked = (await this.page.locator('#check-question').textContent()) ?? '';
      const q = translated.find((t) => asked.startsWith(t.question));
      const rightId = english.find((e) => e.id === q?.id)?.answers.find((a) => a.isRight)?.id;
      const right = q?.answers.find((a) => a.id === rightId);
      const rightInEnglish = english.find((e) => e.id === q?.id)?.answers.find((a) => a.isRight);
      if (!right || !rightInEnglish) throw new Error(`no right answer known for "${asked}"`);
      // The translation, then the English beside it (not yet approved).
      await this.page
        .getByRole('button', { name: `${right.text} ${rightInEnglish.text}`, exact: true })
        .click();
      await this.page.waitForFunction(
        (before) =>
          document.querySelector('#check-question')?.textContent !== before ||
          !document.querySelector('#check-question'),
        asked,
      );
    }
    await this.signatureCanvas().waitFor();
  }

  async drawSignature() {
    const box = await this.signatureCanvas().boundingBox();
    if (!box) throw new Error('signature pad not visible');
    const y = box.y + box.height / 2;
    await this.page.mouse.move(box.x + box.width * 0.1, y);
    await this.page.mouse.down();
    for (let i = 1; i <= 30; i++)
      await this.page.mouse.move(
        box.x + box.width * (0.1 + 0.025 * i),
        y + Math.sin(i / 2) * box.height * 0.3,
      );
    await this.page.mouse.up();
  }

  async sign() {
    await this.button(this.words.undertaking.sign).click();
  }

  /** Whether the page as a whole scrolls (the signing screen must not). */
  pageScrolls(): Promise<boolean> {
    return this.page.evaluate(
      () =>
        document.documentElement.scrollHeight > window.innerHeight ||
        document.documentElement.scrollWidth > window.innerWidth,
    );
  }
}
