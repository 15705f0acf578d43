import { expect, type Locator, type Page } from '@playwright/test';

/** The accounts list: search box, filters and the result grid. */
export class AccountsListPage {
  readonly searchBox: Locator;
  readonly grid: Locator;

  constructor(private readonly page: Page) {
    this.searchBox = page.getByPlaceholder('Search by id, handle, name, email or phone');
    this.grid = page.getByRole('table');
  }

  /** Opens the list through a link that carries filters, as another page or a colleague sends. */
  async gotoFiltered(filter: Record<string, string>): Promise<void> {
    await this.page.goto(`/#/accounts?filter=${encodeURIComponent(JSON.stringify(filter))}`);
    await expect(this.searchBox).toBeVisible();
  }

  /** A filter input by its label, e.g. "Exact email" (shown when the filter is set). */
  filterInput(label: string): Locator {
    return this.page.getByLabel(label, { exact: true });
  }

  /** The pagination's "1-25 of …" label. */
  get rangeLabel(): Locator {
    return this.page.getByText(/^\d+-\d+ of /);
  }

  async goto(): Promise<void> {
    await this.page.goto('/#/accounts');
    await expect(this.searchBox).toBeVisible();
    await expect(this.grid).toBeVisible();
  }

  /** Types into the search box; react-admin applies the filter after a short debounce. */
  async search(text: string): Promise<void> {
    await this.searchBox.fill(text);
    await expect(this.page).toHaveURL(/filter=/);
  }

  row(text: string): Locator {
    return this.grid.getByRole('row').filter({ hasText: text });
  }

  async open(handle: string): Promise<void> {
    await this.row(handle).getByRole('cell', { name: handle, exact: true }).click();
  }
}
