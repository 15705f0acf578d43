import { expect, type Locator, type Page } from '@playwright/test';

export const ACCOUNT_TABS = ['Profile', 'Payment methods', 'Conversations', 'Notes', 'Sessions'] as const;
export type AccountTab = (typeof ACCOUNT_TABS)[number];

/** One account: its title and its five tabs. */
export class AccountPage {
  readonly title: Locator;
  /** What a related tab shows once loaded: its grid, or its empty message ("No notes yet."). */
  readonly relatedContent: Locator;

  constructor(private readonly page: Page) {
    this.title = page.locator('#react-admin-title');
    this.relatedContent = page
      .locator('.show-page')
      .getByRole('table')
      .or(page.locator('.show-page').getByText(/^No [a-z ]+\.$/));
  }

  tab(name: AccountTab): Locator {
    return this.page.getByRole('tab', { name, exact: true });
  }

  async expectLoaded(handle: string): Promise<void> {
    await expect(this.page).toHaveURL(/#\/accounts\/[^/]+\/show/);
    await expect(this.title).toContainText(handle);
    for (const name of ACCOUNT_TABS) await expect(this.tab(name)).toBeVisible();
  }

  async openTab(name: AccountTab): Promise<void> {
    await this.tab(name).click();
    await expect(this.tab(name)).toHaveAttribute('aria-selected', 'true');
  }

  field(label: string): Locator {
    return this.page.locator('.RaLabeled-label', { hasText: new RegExp(`^${label}$`) }).locator('..');
  }
}
