import type { Locator } from '@playwright/test';
import { expect, inOwnBrowser, test } from '../fixtures/test';
import { ChangeRequestsPage } from '../pages/ChangeRequestsPage';
import { CustodianApi, type AccountRecord } from '../pages/CustodianApi';
import { MyRequestsPage } from '../pages/MyRequestsPage';

/** A target account reads as its handle, linked to its page; its uuid is not shown. */
async function expectAccountTarget(row: Locator, account: AccountRecord): Promise<void> {
  const link = row.getByRole('link', { name: account.handle, exact: true });
  await expect(link).toBeVisible();
  await expect(link).toHaveAttribute('href', `#/accounts/${account.id}/show`);
  await expect(row).not.toContainText(account.id);
}

test.describe('change request lists', () => {
  test.use({ role: 'engineer' });

  test('name a target account by its handle, linked to it, on its request page too, and a bulk target as before', async ({
    page,
    baseURL,
    browser,
  }) => {
    const stamp = Date.now();
    const emailReason = `Customer moved mailbox, ticket T-${stamp}`;
    const bulkReason = `Plan migration of two accounts, ticket T-${stamp}`;
    const engineer = await CustodianApi.signIn(baseURL!, 'engineer@demo.test');
    let account: AccountRecord;
    try {
      account = await engineer.activeAccount(60);
      const other = await engineer.activeAccount(61);
      await engineer.post(
        `/accounts/${account.id}/operations/change-email`,
        { email: `moved${stamp}@example.com`, reason: emailReason, expectedVersion: account.version },
        202,
      );
      await engineer.post(
        '/bulk-operations',
        {
          operation: 'change-plan',
          accountIds: [account.id, other.id],
          params: { plan: 'pro' },
          reason: bulkReason,
        },
        202,
      );
    } finally {
      await engineer.dispose();
    }

    // The requester's own list.
    const mine = new MyRequestsPage(page);
    await mine.goto();
    await expectAccountTarget(mine.row(emailReason), account);
    await expect(mine.row(bulkReason)).toContainText('several accounts');

    // The request's own page names its account the same way.
    await mine.row(emailReason).getByRole('link', { name: 'Change email', exact: true }).click();
    await expectAccountTarget(mine.fact('Account'), account);

    // The reviewers' queue; the handle opens the account, not the request.
    await inOwnBrowser(browser, baseURL, 'supervisor@demo.test', async (supervisorPage) => {
      const requests = new ChangeRequestsPage(supervisorPage);
      await requests.goto();
      const row = requests.row(emailReason);
      await expectAccountTarget(row, account);
      await expect(requests.row(bulkReason)).toContainText('several accounts');
      await row.getByRole('link', { name: account.handle, exact: true }).click();
      await expect(supervisorPage).toHaveURL(new RegExp(`#/accounts/${account.id}/show$`));
    });
  });

  test('name by its id, unlinked, a target account that cannot be read, and the others by handle', async ({
    page,
    baseURL,
  }) => {
    const stamp = Date.now();
    const readableReason = `Customer moved mailbox, ticket R-${stamp}`;
    const unreadableReason = `Customer changed provider, ticket U-${stamp}`;
    const engineer = await CustodianApi.signIn(baseURL!, 'engineer@demo.test');
    let readable: AccountRecord;
    let unreadable: AccountRecord;
    try {
      readable = await engineer.activeAccount(63);
      unreadable = await engineer.activeAccount(64);
      for (const [index, account, reason] of [
        [1, readable, readableReason],
        [2, unreadable, unreadableReason],
      ] as const) {
        await engineer.post(
          `/accounts/${account.id}/operations/change-email`,
          { email: `moved${stamp}-${index}@example.com`, reason, expectedVersion: account.version },
          202,
        );
      }
    } finally {
      await engineer.dispose();
    }

    // One account of the page answers as one the reader may not see (no such record for them).
    await page.route(
      (url) => url.pathname === `/api/accounts/${unreadable.id}`,
      (route) =>
        route.fulfill({
          status: 404,
          contentType: 'application/json',
          body: JSON.stringify({ statusCode: 404, error: 'Not Found', message: 'No such account' }),
        }),
    );

    const mine = new MyRequestsPage(page);
    await mine.goto();
    await expectAccountTarget(mine.row(readableReason), readable);
    const row = mine.row(unreadableReason);
    await expect(row).toContainText(`account ${unreadable.id}`);
    // Its operation opens the request; nothing links to the account.
    await expect(row.getByRole('link', { name: new RegExp(unreadable.id) })).toHaveCount(0);
  });
});
