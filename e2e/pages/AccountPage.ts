import { expect, type Locator, type Page } from '@playwright/test';

export const ACCOUNT_TABS = [
  'Profile',
  'Payment methods',
  'Conversations',
  'Notes',
  'Sessions',
  'History',
] as const;
export type AccountTab = (typeof ACCOUNT_TABS)[number];

/** One account: its title, its tabs, reveal-by-reason and the operations bar. */
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

  /** Every Reveal button on the page (fields and conversations). */
  get revealButtons(): Locator {
    return this.page.getByRole('button', { name: /^Reveal/ });
  }

  revealButton(field: 'email' | 'phone' | 'date of birth' | 'address'): Locator {
    return this.page.getByRole('button', { name: `Reveal ${field}`, exact: true });
  }

  get revealDialog(): Locator {
    return this.page.getByRole('dialog', { name: /^Reveal / });
  }

  /** The "Revealed · mm:ss" countdown of a field or of the conversations. */
  countdownIn(scope: Locator): Locator {
    return scope.getByTestId('reveal-countdown');
  }

  /** Fills the reveal dialog that is open and submits it. */
  async submitReveal(reason: string, ticket?: string): Promise<void> {
    const dialog = this.revealDialog;
    await dialog.getByLabel('Reason').fill(reason);
    if (ticket) await dialog.getByLabel('Ticket (optional)').fill(ticket);
    await dialog.getByRole('button', { name: 'Reveal', exact: true }).click();
  }

  operationButton(label: string): Locator {
    return this.page
      .getByRole('region', { name: 'Operations' })
      .getByRole('button', { name: label, exact: true });
  }

  get operationDialog(): Locator {
    return this.page.getByRole('dialog');
  }

  /** The History tab's rows whose action is `action`. */
  historyRows(action: string): Locator {
    return this.page.locator('.show-page').getByRole('row').filter({ hasText: action });
  }
}
