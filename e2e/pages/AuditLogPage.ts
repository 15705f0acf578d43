import { expect, type Locator, type Page } from '@playwright/test';

/** The audit log: filters, chain badge, export links and the event grid. */
export class AuditLogPage {
  readonly grid: Locator;
  readonly chainStatus: Locator;
  /** The app bar's refresh button (react-admin's), which reloads every query of the page. */
  readonly refreshButton: Locator;
  /** Said beside the filters while one is refused and no change of them applies. */
  readonly refusedFilterNotice: Locator;

  constructor(private readonly page: Page) {
    this.grid = page.getByRole('table');
    this.chainStatus = page.getByTestId('chain-status');
    this.refreshButton = page.locator('header').getByRole('button', { name: 'Refresh' });
    this.refusedFilterNotice = page.getByTestId('refused-filter-notice');
  }

  /** The sequence number the chain badge says it verified up to. */
  async verifiedUpTo(): Promise<number> {
    await expect(this.chainStatus).toHaveText(/^Verified up to #\d+ · checked \d\d:\d\d:\d\d$/);
    return Number(/#(\d+)/.exec((await this.chainStatus.textContent()) ?? '')![1]);
  }

  /** The sequence number of the newest event the list shows (newest first). */
  async newestSeq(): Promise<number> {
    return Number(await this.eventRows.first().getByRole('cell').nth(1).textContent());
  }

  async goto(): Promise<void> {
    await this.page.goto('/#/audit-events');
    await expect(this.page.getByLabel('Actor email')).toBeVisible();
  }

  /** Picks a staff member in the actor filter (an autocomplete of staff emails). */
  async filterByActor(email: string): Promise<void> {
    const input = this.page.getByLabel('Actor email');
    await input.fill(email);
    await this.page.getByRole('option', { name: email, exact: true }).click();
    await expect(this.page).toHaveURL(
      new RegExp(`actorEmail.*${encodeURIComponent(email).replace(/\./g, '\\.')}`),
    );
  }

  /** Picks an action in the action filter (the catalogue's actions), found by typing `typed`. */
  async filterByAction(typed: string, action: string): Promise<void> {
    // By role: once open, the list of choices is labelled 'Action' too.
    await this.page.getByRole('combobox', { name: 'Action', exact: true }).fill(typed);
    await this.page.getByRole('option').filter({ hasText: action }).first().click();
    await expect(this.page).toHaveURL(
      new RegExp(`action.*${encodeURIComponent(action).replace(/\./g, '\\.')}`),
    );
  }

  /** Sets the date range, both ends as `YYYY-MM-DD` (the last day included). */
  async filterByDates(from: string, to: string): Promise<void> {
    await this.page.getByLabel('From', { exact: true }).fill(from);
    await this.page.getByLabel('To (inclusive)').fill(to);
    await expect(this.page).toHaveURL(/%22to%22/);
  }

  /** Types into a text filter ("Target id", "Reason contains") and leaves it, as a person does. */
  async typeFilter(label: string, value: string): Promise<void> {
    const input = this.page.getByLabel(label, { exact: true });
    await input.fill(value);
    await input.blur();
  }

  row(text: string | RegExp): Locator {
    return this.grid.getByRole('row').filter({ hasText: text });
  }

  /** The event rows of the grid (without the hidden rows that hold each one's expanded diff). */
  get eventRows(): Locator {
    return this.grid.locator('tbody tr.RaDataTable-row');
  }

  exportLink(name: 'Export CSV' | 'Export JSON lines'): Locator {
    return this.page.getByRole('link', { name });
  }
}
