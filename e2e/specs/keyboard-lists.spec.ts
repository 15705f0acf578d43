import type { Locator, Page } from '@playwright/test';
import { expect, test } from '../fixtures/test';
import { ChangeRequestsPage } from '../pages/ChangeRequestsPage';
import { CustodianApi } from '../pages/CustodianApi';

/**
 * A row's link is reached and followed the way a keyboard user does: it takes the focus, and
 * Enter opens the record. The rows themselves take no focus, so without the link nothing would.
 */
async function openWithKeyboard(page: Page, link: Locator): Promise<void> {
  await expect(link).toBeVisible();
  await link.focus();
  await expect(link).toBeFocused();
  await page.keyboard.press('Enter');
}

test.describe('support', () => {
  test.use({ role: 'support' });

  test('opens an account from the list with the keyboard', async ({ page, baseURL, accountsList }) => {
    const support = await CustodianApi.signIn(baseURL!, 'support@demo.test');
    const account = await support.activeAccount(70);
    await accountsList.goto();
    await accountsList.search(account.handle);
    await openWithKeyboard(
      page,
      accountsList.row(account.handle).getByRole('link', { name: account.handle }),
    );
    await expect(page).toHaveURL(`/#/accounts/${account.id}/show`);
  });
});

test.describe('supervisor', () => {
  test.use({ role: 'supervisor' });

  test('opens a pending change request from the queue with the keyboard', async ({ page, baseURL }) => {
    const reason = `Customer moved mailbox, ticket T-${Date.now()}`;
    const engineer = await CustodianApi.signIn(baseURL!, 'engineer@demo.test');
    const account = await engineer.activeAccount(71);
    const { changeRequestId } = await engineer.post<{ changeRequestId: string }>(
      `/accounts/${account.id}/operations/change-email`,
      { email: `moved${Date.now()}@example.com`, reason, expectedVersion: account.version },
      202,
    );

    const queue = new ChangeRequestsPage(page);
    await queue.goto();
    await openWithKeyboard(page, queue.row(reason).getByRole('link', { name: 'Change email' }));
    await expect(page).toHaveURL(`/#/change-requests/${changeRequestId}/show`);
  });
});

test.describe('admin', () => {
  test.use({ role: 'admin' });

  test('opens a staff member from the list with the keyboard', async ({ page, staffList }) => {
    await staffList.goto();
    await openWithKeyboard(
      page,
      staffList.row('support@demo.test').getByRole('link', { name: 'Sam Support' }),
    );
    await expect(page).toHaveURL(/#\/staff\/[0-9a-f-]{36}$/);
    await expect(page.locator('#react-admin-title')).toContainText('Sam Support');
  });
});
