import { expect, type Locator, type Page } from '@playwright/test';

/** Change requests: the list (pending by default) and one request with its diff and decisions. */
export class ChangeRequestsPage {
  readonly grid: Locator;
  readonly diff: Locator;

  constructor(private readonly page: Page) {
    this.grid = page.getByRole('table').first();
    this.diff = page.getByTestId('diff-table');
  }

  async goto(): Promise<void> {
    await this.page.goto('/#/change-requests');
    await expect(this.grid).toBeVisible();
  }

  async open(id: string): Promise<void> {
    await this.page.goto(`/#/change-requests/${id}/show`);
    await expect(this.page.locator('#react-admin-title')).toContainText('Change request');
  }

  row(text: string | RegExp): Locator {
    return this.grid.getByRole('row').filter({ hasText: text });
  }

  async approve(comment?: string): Promise<void> {
    await this.page.getByRole('button', { name: 'Approve', exact: true }).click();
    const dialog = this.page.getByRole('dialog', { name: 'Approve this change' });
    if (comment) await dialog.getByLabel('Comment (optional)').fill(comment);
    await dialog.getByRole('button', { name: 'Approve', exact: true }).click();
    await expect(dialog).toBeHidden();
  }
}
