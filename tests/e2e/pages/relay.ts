/**
 * Page model of issue 18 on the kiosk: asking someone taking part by phone or video (the chair keeps the
 * tablet and records their answer as relayed), an answer given through an interpreter, and a change of how
 * someone takes part. By role and accessible name, from the British English resource file.
 */
import type { Locator } from 'playwright-core';
import { enGB } from '../../../src/shared/i18n/en-GB';
import type { KioskPage } from './kiosk';

const fill = (template: string, values: Record<string, string>) =>
  template.replace(/\{\{(\w+)\}\}/g, (_, key: string) => values[key] ?? '');

type Way = keyof typeof enGB.relay.wayShort;

export class RelayPage {
  constructor(readonly kiosk: KioskPage) {}

  /** The round's button for someone not in the room: "Ask Anna Webb (by phone)". */
  askButton(name: string, way: Way): Locator {
    return this.kiosk.button(fill(enGB.relay.askBy, { name, way: enGB.relay.wayShort[way] }));
  }

  /** The chair asks someone by phone or video and stays on the relay screen, holding the tablet. */
  async askRemote(name: string, way: Way) {
    await this.kiosk.tap(this.askButton(name, way));
    await this.kiosk.page
      .getByText(fill(enGB.relay.title, { name, way: enGB.relay.wayShort[way] }), { exact: true })
      .waitFor();
  }

  /** On an answer screen: the answer is given through this interpreter, in this language (its name shown). */
  async throughInterpreter(interpreter: string, languageName: string) {
    const { page } = this.kiosk;
    await this.kiosk.tick(page.getByLabel(enGB.interpreterChoice.through, { exact: true }));
    await this.kiosk.choose(
      page.getByLabel(enGB.interpreterChoice.interpreter, { exact: true }),
      interpreter,
    );
    await this.kiosk.choose(page.getByLabel(enGB.interpreterChoice.language, { exact: true }), languageName);
  }

  /** Someone present moved between the room and the phone or video. */
  async changeHowTheyTakePart(name: string, way: keyof typeof enGB.relay.ways) {
    const { page } = this.kiosk;
    await this.kiosk.tap(this.kiosk.button(enGB.relay.change));
    await this.kiosk.choose(page.getByLabel(enGB.relay.changeWho, { exact: true }), name);
    await this.kiosk.choose(page.getByLabel(enGB.relay.takesPartBy, { exact: true }), enGB.relay.ways[way]);
    await this.kiosk.tap(this.kiosk.button(enGB.relay.changeSubmit));
  }
}
