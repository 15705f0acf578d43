import { expect, inOwnBrowser, test, type SeededAccount } from '../fixtures/test';
import { BulkOperationsPage } from '../pages/BulkOperationsPage';
import { ChangeRequestsPage } from '../pages/ChangeRequestsPage';
import { MyRequestsPage } from '../pages/MyRequestsPage';

/** Ids no account has, sorting after every real one, so the real accounts lead the item table. */
const missingIds = (n: number) =>
  Array.from({ length: n }, (_, i) => `ffffffff-ffff-4fff-8fff-${String(i).padStart(12, '0')}`);

test.use({ role: 'engineer', staffEmail: 'engineer@demo.test' });

test('a bulk credit requested by the engineer is approved by the supervisor and applied', async ({
  page,
  request,
  browser,
  baseURL,
}) => {
  const response = await request.get('/api/accounts?limit=2&status=active');
  expect(response.status(), await response.text()).toBe(200);
  const accounts = ((await response.json()) as { data: SeededAccount[] }).data;
  expect(accounts).toHaveLength(2);

  const bulk = new BulkOperationsPage(page);
  await bulk.goto();

  // The first id twice and a blank line: read as two ids; 199 ids of no account are skipped.
  await bulk.fillCredit({
    ticket: 'SUP-4242',
    idsText: `${accounts[0]!.id}\n\n${accounts[1]!.id}\n${accounts[0]!.id}\n${missingIds(199).join('\n')}\n`,
  });
  await expect(page.getByTestId('ids-count')).toContainText('201 account ids read');

  await page.getByRole('button', { name: 'Preview' }).click();
  await expect(page.getByTestId('bulk-summary')).toHaveText(/Total 201 · 2 applicable · 199 skipped/);
  await expect(page.getByText('Showing the first 200 of 201 accounts.')).toBeVisible();
  await expect(bulk.items.getByTestId('diff-table')).toHaveCount(2);
  // Balances read as money, as on the account page, not as raw cents.
  await expect(page.getByTestId('bulk-items').getByTestId('diff-table').first()).toContainText(
    /Credit balance\s*\$[\d,]+\.\d\d\s*\$[\d,]+\.\d\d/,
  );

  await page.getByRole('button', { name: 'Request' }).click();
  await expect(bulk.headline).toHaveText(/^Waiting for approval \(change request [0-9a-f-]{36}\)$/);
  const requestId = await bulk.requestId();
  await expect(bulk.status).toHaveText('Status: pending');
  // Skipped accounts never run: nothing has run before approval.
  await expect(bulk.progressBar).toHaveAttribute('aria-valuenow', '0');
  // The filed request lists no items here, so no line about the first 200 of them.
  await expect(page.getByText(/Showing the first/)).toHaveCount(0);

  // Leaving the page and coming back shows the request, not an empty form.
  await page.goto('/#/accounts');
  await bulk.goto();
  await expect(bulk.headline).toContainText(requestId);

  // The supervisor, in a browser of their own, reads each account's diff and approves it; the
  // request's page then says it was applied. (Two accounts are applied before the page asks
  // again, so this does not show the page polling while a larger bulk runs.)
  await inOwnBrowser(browser, baseURL, 'supervisor@demo.test', async (supervisorPage) => {
    const requests = new ChangeRequestsPage(supervisorPage);
    await requests.open(requestId);
    await expect(supervisorPage.getByTestId('bulk-items').getByTestId('diff-table')).toHaveCount(2);
    await expect(supervisorPage.getByTestId('bulk-items')).toContainText(
      'Not changed: the account does not exist',
    );
    await expect(supervisorPage.getByTestId('bulk-items')).toContainText('Credit balance');
    await requests.approve('Checked the outage list');
    await expect(
      supervisorPage.locator('.RaLabeled-label', { hasText: /^Status$/ }).locator('..'),
    ).toContainText('Applied', { timeout: 30_000 });
    // Once it ran, the supervisor reads how it went, under a heading in the past.
    await expect(supervisorPage.getByTestId('bulk-counts')).toContainText('Applied 2');
    await expect(supervisorPage.getByTestId('changes-heading')).toHaveText('What approving changed');
  });

  // The engineer's page follows the progress until every item is applied.
  await expect(bulk.status).toHaveText('Status: applied', { timeout: 30_000 });
  await expect(bulk.counts).toContainText('Applied 2');
  await expect(bulk.counts).toContainText('Pending 0');
  await expect(bulk.progressBar).toHaveAttribute('aria-valuenow', '100');
  // The header follows the status: no longer waiting.
  await expect(bulk.headline).toHaveText(`Applied (change request ${requestId})`);
  await expect(page.getByText('Nothing changes until then')).toHaveCount(0);

  // Under My requests, the applied accounts read as changed, with a link to their history.
  await page.getByRole('link', { name: 'My requests' }).last().click();
  await expect(page).toHaveURL(new RegExp(`#/my-change-requests/${requestId}/show`));
  await expect(new MyRequestsPage(page).fact('Status')).toContainText('Applied');
  const changed = bulk.items.getByTestId('bulk-item-changed');
  await expect(changed).toHaveCount(2);
  await expect(changed.first()).toHaveText("Changed — see the account's history");
  await expect(bulk.items).not.toContainText('Not changed: applied');
  // The table lists the first 200 accounts: the 2 changed and 198 of no account.
  await expect(bulk.items.getByText('Not changed: the account does not exist')).toHaveCount(198);
  await changed.first().getByRole('link').click();
  await expect(page).toHaveURL(/#\/accounts\/[0-9a-f-]{36}\/show\/history$/);
});

test('a parameter or reason edited after the preview drops it, so Request files what the form shows', async ({
  page,
  request,
}) => {
  const response = await request.get('/api/accounts?limit=1&status=active');
  expect(response.status(), await response.text()).toBe(200);
  const [account] = ((await response.json()) as { data: SeededAccount[] }).data;

  const bulk = new BulkOperationsPage(page);
  await bulk.goto();
  await bulk.fillCredit({ idsText: account!.id });
  await bulk.previewButton.click();
  await expect(bulk.summary).toHaveText(/Total 1 · 1 applicable · 0 skipped/);
  await expect(bulk.requestButton).toBeEnabled();

  // The amount changes after the preview: the preview of 100 cents no longer stands.
  await page.getByLabel('Amount (cents)').fill('250');
  await expect(bulk.summary).toHaveCount(0);
  await expect(bulk.requestButton).toBeDisabled();

  await bulk.previewButton.click();
  await expect(bulk.summary).toBeVisible();
  // So does an edited reason.
  await page.getByLabel('Reason').fill('Goodwill credit after the second outage');
  await expect(bulk.requestButton).toBeDisabled();

  await bulk.previewButton.click();
  await expect(bulk.summary).toBeVisible();
  await bulk.requestButton.click();
  await expect(bulk.headline).toContainText('Waiting for approval');
  const filed = await request.get(`/api/change-requests/${await bulk.requestId()}`);
  expect(filed.status(), await filed.text()).toBe(200);
  expect(await filed.json()).toMatchObject({
    params: { amountCents: 250 },
    reason: 'Goodwill credit after the second outage',
  });
});

test('a preview in which no account would change leaves nothing to request', async ({ page }) => {
  const bulk = new BulkOperationsPage(page);
  await bulk.goto();
  await bulk.fillCredit({ idsText: missingIds(3).join('\n') });

  await bulk.previewButton.click();
  await expect(bulk.summary).toHaveText(/Total 3 · 0 applicable · 3 skipped/);
  await expect(page.getByTestId('nothing-applies')).toHaveText(
    'None of these accounts would change: there is nothing to request.',
  );
  await expect(bulk.requestButton).toBeDisabled();
});
