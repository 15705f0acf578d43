import type { Locator, Page } from '@playwright/test';

/** The bulk operations page: the form, the preview, and the request filed from it. */
export class BulkOperationsPage {
  readonly headline: Locator;
  readonly status: Locator;
  readonly counts: Locator;
  readonly progressBar: Locator;
  readonly items: Locator;
  /** "Total n · n applicable · n skipped" of the preview on the screen. */
  readonly summary: Locator;
  readonly previewButton: Locator;
  readonly requestButton: Locator;

  constructor(private readonly page: Page) {
    this.headline = page.getByTestId('bulk-headline');
    this.status = page.getByTestId('bulk-status');
    this.counts = page.getByTestId('bulk-counts');
    this.progressBar = page.getByRole('progressbar', { name: 'Bulk operation progress' });
    this.items = page.getByTestId('bulk-items');
    this.summary = page.getByTestId('bulk-summary');
    this.previewButton = page.getByRole('button', { name: 'Preview', exact: true });
    this.requestButton = page.getByRole('button', { name: 'Request', exact: true });
  }

  async goto(): Promise<void> {
    await this.page.goto('/#/bulk-operations');
  }

  /** Fills the form for a bulk credit: the amount, the reason, an optional ticket and the ids' text. */
  async fillCredit(form: { idsText: string; amountCents?: number; reason?: string; ticket?: string }) {
    await this.page.getByRole('combobox', { name: 'Operation' }).click();
    await this.page.getByRole('option', { name: 'Issue credit' }).click();
    await this.page.getByLabel('Amount (cents)').fill(String(form.amountCents ?? 100));
    await this.page.getByLabel('Reason').fill(form.reason ?? 'Goodwill credit after the outage');
    if (form.ticket) await this.page.getByLabel('Ticket (optional)').fill(form.ticket);
    await this.page.getByLabel('Account ids').fill(form.idsText);
  }

  /** The id of the change request the page says it filed. */
  async requestId(): Promise<string> {
    return /change request ([0-9a-f-]{36})/.exec((await this.headline.textContent()) ?? '')![1]!;
  }
}
