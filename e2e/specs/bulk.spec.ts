import { expect, signIn, test, type SeededAccount } from '../fixtures/test';
import { ChangeRequestsPage } from '../pages/ChangeRequestsPage';

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

  await page.goto('/#/bulk-operations');

  await page.getByRole('combobox', { name: 'Operation' }).click();
  await page.getByRole('option', { name: 'Issue credit' }).click();
  await page.getByLabel('Amount (cents)').fill('100');
  await page.getByLabel('Reason').fill('Goodwill credit after the outage');
  await page.getByLabel('Ticket (optional)').fill('SUP-4242');
  // The first id twice and a blank line: read as two ids.
  await page.getByLabel('Account ids').fill(`${accounts[0]!.id}\n\n${accounts[1]!.id}\n${accounts[0]!.id}\n`);
  await expect(page.getByTestId('ids-count')).toContainText('2 account ids read');

  await page.getByRole('button', { name: 'Preview' }).click();
  await expect(page.getByTestId('bulk-summary')).toHaveText(/Total 2 · 2 applicable · 0 skipped/);
  await expect(page.getByTestId('bulk-items').getByTestId('diff-table')).toHaveCount(2);
  // Balances read as money, as on the account page, not as raw cents.
  await expect(page.getByTestId('bulk-items').getByTestId('diff-table').first()).toContainText(
    /Credit balance\s*\$[\d,]+\.\d\d\s*\$[\d,]+\.\d\d/,
  );

  await page.getByRole('button', { name: 'Request' }).click();
  const waiting = page.getByRole('status').filter({ hasText: 'Waiting for approval' });
  await expect(waiting).toHaveText(/change request [0-9a-f-]{36}/);
  const requestId = /change request ([0-9a-f-]{36})/.exec((await waiting.textContent()) ?? '')![1]!;
  await expect(page.getByTestId('bulk-status')).toHaveText('Status: pending');

  // The supervisor, in a browser of their own, reads each account's diff and approves it; the
  // request's page then says it was applied. (Two accounts are applied before the page asks
  // again, so this does not show the page polling while a larger bulk runs.)
  const supervisorContext = await browser.newContext({ baseURL });
  try {
    const supervisorPage = await supervisorContext.newPage();
    await signIn(supervisorPage.request, 'supervisor@demo.test');
    const requests = new ChangeRequestsPage(supervisorPage);
    await requests.open(requestId);
    await expect(supervisorPage.getByTestId('bulk-items').getByTestId('diff-table')).toHaveCount(2);
    await expect(supervisorPage.getByTestId('bulk-items')).toContainText('Credit balance');
    await requests.approve('Checked the outage list');
    await expect(
      supervisorPage.locator('.RaLabeled-label', { hasText: /^Status$/ }).locator('..'),
    ).toContainText('applied', { timeout: 30_000 });
  } finally {
    await supervisorContext.close();
  }

  // The engineer's page follows the progress until every item is applied.
  await expect(page.getByTestId('bulk-status')).toHaveText('Status: applied', { timeout: 30_000 });
  await expect(page.getByTestId('bulk-counts')).toContainText('Applied 2');
  await expect(page.getByTestId('bulk-counts')).toContainText('Pending 0');
});
