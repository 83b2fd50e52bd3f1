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
    name: 'Meetings' | 'Devices and codes' | 'Accounts' | 'Audit trail' | 'Your password' | 'Verify a record',
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
}
