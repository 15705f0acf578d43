import { expect, type Locator, type Page } from '@playwright/test';

/** The staff list of admins and auditors, and the create form behind "Create". */
export class StaffListPage {
  readonly grid: Locator;
  readonly createButton: Locator;

  constructor(private readonly page: Page) {
    this.grid = page.getByRole('table');
    this.createButton = page.getByRole('link', { name: 'Create', exact: true });
  }

  async goto(): Promise<void> {
    await this.page.goto('/#/staff');
    await expect(this.grid).toBeVisible();
  }

  row(text: string): Locator {
    return this.grid.getByRole('row').filter({ hasText: text });
  }

  /** Fills the create form; returns the initial password the API shows once. */
  async create(person: { email: string; displayName: string; roles: string[] }): Promise<string> {
    await this.createButton.click();
    await expect(this.page).toHaveURL(/#\/staff\/create/);
    // Exact text boxes: while the list fades out, its "Sort by email" header also matches a loose label.
    await this.page.getByRole('textbox', { name: 'Email', exact: true }).fill(person.email);
    await this.page.getByRole('textbox', { name: 'Name', exact: true }).fill(person.displayName);
    for (const role of person.roles) {
      await this.page.getByRole('checkbox', { name: new RegExp(`^${role} —`) }).check();
    }
    await this.page.getByRole('button', { name: 'Save' }).click();
    const secret = this.page.getByRole('dialog').getByTestId('show-once-value');
    await expect(secret).toBeVisible();
    return (await secret.textContent())?.trim() ?? '';
  }
}
