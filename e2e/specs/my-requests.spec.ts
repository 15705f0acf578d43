import { join } from 'node:path';
import { expect, test } from '../fixtures/test';
import { CustodianApi } from '../pages/CustodianApi';
import { MyRequestsPage } from '../pages/MyRequestsPage';

const SHOTS = join(__dirname, '..', 'test-results');

test.use({ role: 'engineer' });

test('an engineer follows their own change request under My requests, with no decision to take', async ({
  page,
  baseURL,
  appBar,
}) => {
  const engineer = await CustodianApi.signIn(baseURL!, 'engineer@demo.test');
  let requestId: string;
  let accountId: string;
  try {
    const account = await engineer.activeAccount(23);
    accountId = account.id;
    const reason = `Customer moved mailbox, ticket ${Date.now()}`;
    ({ changeRequestId: requestId } = await engineer.post<{ changeRequestId: string }>(
      `/accounts/${account.id}/operations/change-email`,
      { email: `moved${Date.now()}@example.com`, reason, expectedVersion: account.version },
      202,
    ));
  } finally {
    await engineer.dispose();
  }

  await page.goto('/');
  // An engineer reviews no change requests, but follows their own.
  await expect(appBar.menuItem('My requests')).toBeVisible();
  await expect(appBar.menuItem('Change requests')).toHaveCount(0);
  await appBar.menuItem('My requests').click();
  const mine = new MyRequestsPage(page);
  await mine.expectListed();
  await expect(mine.grid).toBeVisible();
  const row = mine.row(accountId);
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Change email');
  await expect(row).toContainText('pending');
  await page.screenshot({ path: join(SHOTS, 'my-requests.png'), animations: 'disabled' });

  await row.click();
  await expect(page).toHaveURL(new RegExp(`#/my-change-requests/${requestId}/show`));
  await expect(mine.fact('Status')).toContainText('pending');
  await expect(mine.ownNotice).toContainText('someone else must approve or reject it');
  await expect(page.getByRole('button', { name: 'Approve', exact: true })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Reject', exact: true })).toHaveCount(0);
  // The diff as the engineer's roles read it: the new email masked.
  const email = mine.diff.getByRole('row').filter({ hasText: 'Email' });
  await expect(email).toContainText('m***@example.com');
  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(SHOTS, 'my-request.png'), fullPage: true, animations: 'disabled' });
});

test.describe('someone else’s request', () => {
  test.use({ role: 'support' });

  test('is neither listed nor opened under My requests', async ({ page, baseURL }) => {
    const engineer = await CustodianApi.signIn(baseURL!, 'engineer@demo.test');
    let requestId: string;
    try {
      const account = await engineer.activeAccount(24);
      ({ changeRequestId: requestId } = await engineer.post<{ changeRequestId: string }>(
        `/accounts/${account.id}/operations/close`,
        { reason: 'Customer asked to close the account', expectedVersion: account.version },
        202,
      ));
    } finally {
      await engineer.dispose();
    }

    await page.goto('/#/my-change-requests');
    const mine = new MyRequestsPage(page);
    await mine.expectListed();
    // Wait for the list's answer before looking for what must not be in it.
    await expect(page.getByTestId('no-requests').or(mine.grid)).toBeVisible();
    await expect(page.getByText('Close account')).toHaveCount(0);

    const response = page.waitForResponse((r) => r.url().includes(`/api/change-requests/${requestId}`));
    await page.goto(`/#/my-change-requests/${requestId}/show`);
    expect((await response).status()).toBe(404);
    await expect(mine.ownNotice).toHaveCount(0);
    await expect(page.getByText('Customer asked to close the account')).toHaveCount(0);
  });
});
