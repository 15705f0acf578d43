import { expect, type Locator, type Page } from '@playwright/test';

/** "My requests": the change requests the signed-in person filed, and one of them opened. */
export class MyRequestsPage {
  readonly grid: Locator;
  readonly diff: Locator;
  readonly ownNotice: Locator;

  constructor(private readonly page: Page) {
    this.grid = page.getByRole('table').first();
    this.diff = page.getByTestId('diff-table');
    this.ownNotice = page.getByTestId('own-request');
  }

  /** Opens the list by its address and waits until it is the page shown. */
  async goto(): Promise<void> {
    await this.page.goto('/#/my-change-requests');
    await this.expectListed();
  }

  async expectListed(): Promise<void> {
    await expect(this.page).toHaveURL(/#\/my-change-requests$/);
    await expect(this.page.locator('#react-admin-title')).toContainText('My requests');
  }

  row(text: string | RegExp): Locator {
    return this.grid.getByRole('row').filter({ hasText: text });
  }

  /** A fact of the opened request ("Status", "Reason", ...) with its value. */
  fact(label: string): Locator {
    return this.page.locator('.RaLabeled-label', { hasText: new RegExp(`^${label}$`) }).locator('..');
  }
}
