import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, inOwnBrowser, test } from '../fixtures/test';
import { ChangeRequestsPage } from '../pages/ChangeRequestsPage';
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
  let accountHandle: string;
  try {
    const account = await engineer.activeAccount(23);
    accountHandle = account.handle;
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
  const row = mine.row(accountHandle);
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Change email');
  await expect(row).toContainText('Pending');
  await page.screenshot({ path: join(SHOTS, 'my-requests.png'), animations: 'disabled' });

  await row.getByRole('cell').first().click();
  await expect(page).toHaveURL(new RegExp(`#/my-change-requests/${requestId}/show`));
  await expect(mine.fact('Status')).toContainText('Pending');
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

    const mine = new MyRequestsPage(page);
    await mine.goto();
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

test.describe('a request whose account changed before anyone decided it', () => {
  test.use({ role: 'support' });

  test('the reviewer is told it cannot apply; its failed approval keeps the decision; the requester is told to file it again', async ({
    page,
    baseURL,
    browser,
  }) => {
    // Support files a credit above their cap; an engineer then changes the plan.
    const support = await CustodianApi.signIn(baseURL!, 'support@demo.test');
    const engineer = await CustodianApi.signIn(baseURL!, 'engineer@demo.test');
    let requestId: string;
    let accountHandle: string;
    try {
      const account = await support.activeAccount(25);
      accountHandle = account.handle;
      const credit = {
        amountCents: 9_000,
        reason: 'Refund of the double charge',
        expectedVersion: account.version,
      };
      ({ changeRequestId: requestId } = await support.post<{ changeRequestId: string }>(
        `/accounts/${account.id}/operations/issue-credit`,
        credit,
        202,
      ));
      // Filing it again while it waits is refused, naming the waiting request.
      const again = await support.post<{ message: string }>(
        `/accounts/${account.id}/operations/issue-credit`,
        credit,
        409,
      );
      expect(again.message).toContain(requestId);
      await engineer.post(`/accounts/${account.id}/operations/change-plan`, {
        plan: account.plan === 'pro' ? 'plus' : 'pro',
        reason: 'Customer upgraded on the phone',
        expectedVersion: account.version,
      });
    } finally {
      await support.dispose();
      await engineer.dispose();
    }

    await inOwnBrowser(browser, baseURL, 'supervisor@demo.test', async (supervisorPage) => {
      const requests = new ChangeRequestsPage(supervisorPage);
      await requests.goto();
      const row = requests.row(accountHandle);
      await expect(row.getByTestId('not-applicable')).toHaveText('Cannot apply');
      await expect(row).toContainText('Pending');
      await requests.open(requestId);
      await expect(supervisorPage.getByTestId('not-applicable-notice')).toHaveText(
        'The account changed since this was requested (it was at version 1, it is now at 2): approving will fail; reject it or ask for a new request.',
      );
      await expect(fact(supervisorPage, 'Expires')).toHaveCount(1);
      // The refused approval fails the request; the page then shows it failed, with the decision.
      await requests.approve('Verified the double charge');
      // The dialog goes with the decision it offered; the answer stays on screen.
      await expect(
        supervisorPage.getByText(/^Not done: the account changed since this was requested/),
      ).toBeVisible();
      await expect(fact(supervisorPage, 'Status')).toContainText('Failed');
      await expect(fact(supervisorPage, 'Decided by')).toContainText('supervisor@demo.test');
      await expect(fact(supervisorPage, 'Comment')).toContainText('Verified the double charge');
      await expect(supervisorPage.getByTestId('changes-heading')).toHaveText('What approving was to change');
      // An empty filter says so in words.
      await supervisorPage.goto('/#/change-requests?filter=%7B%22status%22%3A%22expired%22%7D');
      await expect(supervisorPage.getByTestId('empty-queue')).toHaveText('No expired requests.');
    });

    // The requester reads who decided, and what to do now.
    const mine = new MyRequestsPage(page);
    await mine.goto();
    const row = mine.row(accountHandle);
    await expect(row).toContainText('Failed');
    await expect(row).toContainText('supervisor@demo.test');
    await row.getByRole('cell').first().click();
    await expect(page.getByTestId('failure-notice')).toContainText(
      'file the operation again from the account page',
    );
    await expect(page.getByTestId('failure-notice')).not.toContainText('reload');
    await expect(mine.fact('Expires')).toHaveCount(0);
    await expect(mine.fact('Comment')).toContainText('Verified the double charge');
  });
});

/** A fact of an opened request ("Status", "Decided by", ...) with its value. */
function fact(page: Page, label: string) {
  return page.locator('.RaLabeled-label', { hasText: new RegExp(`^${label}$`) }).locator('..');
}
