import type { APIRequestContext } from '@playwright/test';
import { DEMO_STAFF, expect, inOwnBrowser, test, type SeededAccount } from '../fixtures/test';
import { AccountsListPage } from '../pages/AccountsListPage';
import { BulkOperationsPage } from '../pages/BulkOperationsPage';

/** The list's first page as the console asks for it (newest first, 25 a page). */
async function newestAccounts(request: APIRequestContext, limit: number): Promise<SeededAccount[]> {
  const response = await request.get(`/api/accounts?sort=createdAt&order=desc&limit=${limit}`);
  expect(response.status(), await response.text()).toBe(200);
  return ((await response.json()) as { data: SeededAccount[] }).data;
}

test.describe('an engineer', () => {
  test.use({ role: 'engineer' });

  test('selects accounts on two pages, copies their ids and opens the bulk form with them filled in; support sees no checkboxes', async ({
    page,
    context,
    request,
    accountsList,
    browser,
    baseURL,
  }) => {
    const accounts = await newestAccounts(request, 26);
    const [first, second] = accounts;
    const onPageTwo = accounts[25]!;

    await accountsList.goto();
    await accountsList.row(first!.handle).getByRole('checkbox').check();
    await accountsList.row(second!.handle).getByRole('checkbox').check();
    const bar = page.locator('[data-test="bulk-actions-toolbar"]');
    await expect(bar).toContainText('2 accounts selected (kept across pages)');

    // Copy ids: one a line, in the order they were selected.
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await bar.getByRole('button', { name: 'Copy ids' }).click();
    await expect(page.getByText('Copied 2 account ids')).toBeVisible();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${first!.id}\n${second!.id}`);

    // Paging on (by cursor) keeps the selection.
    await page.getByRole('button', { name: 'Go to next page' }).click();
    await expect(accountsList.row(onPageTwo.handle)).toBeVisible();
    await expect(accountsList.rangeLabel).toHaveText(/^26-/);
    await accountsList.row(onPageTwo.handle).getByRole('checkbox').check();
    await expect(bar).toContainText('3 accounts selected');

    await bar.getByRole('button', { name: 'Bulk operation…' }).click();
    await expect(page).toHaveURL(/#\/bulk-operations$/);
    await expect(page.getByLabel('Account ids')).toHaveValue(
      [first!.id, second!.id, onPageTwo.id].join('\n'),
    );
    await expect(page.getByTestId('ids-count')).toHaveText('3 account ids read');

    // The form still checks what it was given: a preview of the three accounts.
    await page.getByRole('combobox', { name: 'Operation' }).click();
    await page.getByRole('option', { name: 'Change plan' }).click();
    await page.getByRole('combobox', { name: 'Plan' }).click();
    await page.getByRole('option', { name: /^pro$/i }).click();
    await page.getByLabel('Reason').fill('Plan migration of the selected accounts');
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect(page.getByTestId('bulk-summary')).toContainText('Total 3');

    // Support may not request bulk operations: the same list, without checkboxes.
    await inOwnBrowser(browser, baseURL, DEMO_STAFF.support.email, async (supportPage) => {
      const supportList = new AccountsListPage(supportPage);
      await supportList.goto();
      await expect(supportList.row(first!.handle)).toBeVisible();
      await expect(supportList.grid.getByRole('checkbox')).toHaveCount(0);
    });
  });

  test('who filed a bulk request, then sent a selection to the bulk form, finds a fresh form when opening the page from the menu', async ({
    page,
    request,
    accountsList,
    appBar,
  }) => {
    const [filedFor, selected] = await newestAccounts(request, 2);
    const bulk = new BulkOperationsPage(page);
    const idsBox = page.getByLabel('Account ids');

    // A request filed from the form, which the page remembers in this tab.
    await bulk.goto();
    await page.getByRole('combobox', { name: 'Operation' }).click();
    await page.getByRole('option', { name: 'Change plan' }).click();
    await page.getByRole('combobox', { name: 'Plan' }).click();
    await page.getByRole('option', { name: /^pro$/i }).click();
    await page.getByLabel('Reason').fill('Plan migration filed before the selection');
    await idsBox.fill(filedFor!.id);
    await page.getByRole('button', { name: 'Preview' }).click();
    await expect(page.getByTestId('bulk-summary')).toContainText('Total 1');
    await page.getByRole('button', { name: 'Request' }).click();
    await expect(bulk.headline).toContainText('Waiting for approval');

    // A selection sent from the accounts list starts a new one.
    await accountsList.goto();
    await accountsList.row(selected!.handle).getByRole('checkbox').check();
    await page
      .locator('[data-test="bulk-actions-toolbar"]')
      .getByRole('button', { name: 'Bulk operation…' })
      .click();
    await expect(idsBox).toHaveValue(selected!.id);
    await expect(bulk.headline).toHaveCount(0);

    // The menu's link, clicked on that form, opens the page afresh too.
    await appBar.menuItem('Bulk operations').click();
    await expect(idsBox).toHaveValue('');

    // Left unfiled, it does not bring the earlier request back: the page opened later from the
    // menu is an empty form.
    await appBar.menuItem('Accounts').click();
    await expect(accountsList.grid).toBeVisible();
    await appBar.menuItem('Bulk operations').click();
    await expect(page).toHaveURL(/#\/bulk-operations$/);
    await expect(page.getByTestId('ids-count')).toHaveText('0 account ids read');
    await expect(idsBox).toHaveValue('');
    await expect(bulk.headline).toHaveCount(0);
  });
});
