/**
 * Page model of the records service's admin area, by role and accessible name, as an admin would use it.
 * The admin pages are server-rendered English (no i18n resource), so their names are written here once.
 */
import type { Locator, Page } from 'playwright-core';

export class AdminPage {
  constructor(
    readonly page: Page,
    readonly base: string,
  ) {}

  heading(name: string | RegExp): Locator {
    return this.page.getByRole('heading', { name, exact: typeof name === 'string', level: 1 });
  }

  async open(path = '/admin') {
    return this.page.goto(`${this.base}${path}`);
  }

  async signIn(username: string, password: string) {
    await this.page.getByLabel('Username').fill(username);
    await this.page.getByLabel('Password', { exact: true }).fill(password);
    await this.page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await this.page.waitForLoadState();
  }

  /** Follows a link of the admin navigation. */
  async goTo(
    name:
      | 'Meetings'
      | 'Figures'
      | 'Verify a record'
      | 'Subject access'
      | 'Devices and codes'
      | 'Accounts'
      | 'Audit trail'
      | 'Sealing keys'
      | 'Your password',
  ) {
    await this.page
      .getByRole('navigation', { name: 'Admin' })
      .getByRole('link', { name, exact: true })
      .click();
    await this.page.waitForLoadState();
  }

  async createEnrolmentCode(): Promise<string> {
    await this.page.getByRole('button', { name: 'Create an enrolment code' }).click();
    await this.page.getByRole('heading', { name: 'New enrolment code' }).waitFor();
    return (await this.page.getByRole('status').first().textContent())?.trim() ?? '';
  }

  /** From the devices list, the PIN reset page of the tablet whose label starts with `label`. */
  async openPinReset(label: string) {
    await this.page.getByRole('link', { name: new RegExp(`^PIN reset code for ${label}`) }).click();
    await this.heading('PIN reset code').waitFor();
  }

  /** Issues the tablet's next reset code and reads it off the page, as the admin reads it to the chair. */
  async issuePinResetCode(): Promise<string> {
    await this.page.getByRole('button', { name: 'Issue a PIN reset code' }).click();
    await this.page.getByRole('heading', { name: 'Read this code to the chair' }).waitFor();
    return (await this.page.getByRole('status', { name: /^Reset code/ }).textContent())?.trim() ?? '';
  }

  /** On the meetings list: fills the filters given (by label: the text, or a list's option) and shows them. */
  async filterMeetings(filters: Record<string, string>) {
    const form = this.page.getByRole('search', { name: 'Find meetings' });
    for (const [label, value] of Object.entries(filters)) {
      const field = form.getByLabel(label, { exact: true });
      if ((await field.evaluate((el) => el.tagName)) === 'SELECT') await field.selectOption(value);
      else await field.fill(value);
    }
    await form.getByRole('button', { name: 'Show meetings', exact: true }).click();
    await this.page.waitForLoadState();
  }

  /** On the verify page: types the meeting id and the head hash from the printed record, and verifies. */
  async verify(meetingId: string, hash: string) {
    await this.page.getByLabel(/^Meeting id/).fill(meetingId);
    await this.page.getByLabel(/^Head hash/).fill(hash);
    await this.page.getByRole('button', { name: 'Verify', exact: true }).click();
    await this.page.waitForLoadState();
  }
}
