import { request as playwrightRequest } from '@playwright/test';
import { expect, signIn, test, type SeededAccount } from '../fixtures/test';

test.use({ role: 'engineer', staffEmail: 'engineer@demo.test' });

test('a bulk credit requested by the engineer is approved by the supervisor and applied', async ({
  page,
  request,
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

  // The supervisor approves it through the API, in a session of their own.
  const supervisor = await playwrightRequest.newContext({ baseURL });
  try {
    const { csrfToken } = await signIn(supervisor, 'supervisor@demo.test', 'demo-password');
    const approved = await supervisor.post(`/api/change-requests/${requestId}/approve`, {
      headers: { 'X-CSRF-Token': csrfToken },
      data: { comment: 'Checked the outage list' },
    });
    expect(approved.status(), await approved.text()).toBeLessThan(300);
  } finally {
    await supervisor.dispose();
  }

  // The engineer's page follows the progress until every item is applied.
  await expect(page.getByTestId('bulk-status')).toHaveText('Status: applied', { timeout: 30_000 });
  await expect(page.getByTestId('bulk-counts')).toContainText('Applied 2');
  await expect(page.getByTestId('bulk-counts')).toContainText('Pending 0');
});
