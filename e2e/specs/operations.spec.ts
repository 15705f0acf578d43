import { join } from 'node:path';
import { expect, inOwnBrowser, test } from '../fixtures/test';
import { ChangeRequestsPage } from '../pages/ChangeRequestsPage';
import { CustodianApi } from '../pages/CustodianApi';
import { AccountPage } from '../pages/AccountPage';

const SHOTS = join(__dirname, '..', 'test-results');

test.use({ role: 'engineer' });

test('an email change requested by the engineer waits for, and is applied by, the supervisor', async ({
  page,
  baseURL,
  browser,
  accountPage,
}) => {
  const setup = await CustodianApi.signIn(baseURL!, 'supervisor@demo.test');
  const account = await setup.activeAccount(11);
  await setup.dispose();
  const newEmail = `ops${Date.now()}@example.com`;

  // The engineer asks for the change through the form: preview, then confirm.
  await page.goto(`/#/accounts/${account.id}/show`);
  await accountPage.expectLoaded(account.handle);
  await accountPage.operationButton('Change email').click();
  const dialog = accountPage.operationDialog;
  await expect(dialog).toContainText('needs a second person');
  // Starts empty: not prefilled with the masked address the page shows, a well-formed one.
  await expect(dialog.getByLabel('New email')).toHaveValue('');
  await dialog.getByLabel('New email').fill(newEmail);
  await dialog.getByLabel('Reason').fill('Customer lost access to the old mailbox');
  await dialog.getByLabel('Ticket (optional)').fill('SUP-2024');
  await dialog.getByRole('button', { name: 'Preview' }).click();
  await expect(dialog.getByTestId('diff-table').getByRole('row').filter({ hasText: 'email' })).toBeVisible();
  await page.screenshot({ path: join(SHOTS, 'operation-preview.png'), animations: 'disabled' });
  await dialog.getByRole('button', { name: 'Request approval' }).click();
  const waiting = dialog.getByRole('status');
  await expect(waiting).toHaveText(/^Waiting for approval \(request [0-9a-f-]{36}\)$/);
  const requestId = /request ([0-9a-f-]{36})/.exec((await waiting.textContent()) ?? '')![1]!;
  await dialog.getByRole('button', { name: 'Close' }).click();

  // The supervisor, in a browser of their own, approves it.
  await inOwnBrowser(browser, baseURL, 'supervisor@demo.test', async (supervisorPage) => {
    const requests = new ChangeRequestsPage(supervisorPage);
    await requests.goto();
    await expect(requests.row('engineer@demo.test').filter({ hasText: account.handle })).toBeVisible();
    await requests.row(account.handle).first().getByRole('cell').first().click();
    await expect(supervisorPage).toHaveURL(new RegExp(`#/change-requests/${requestId}/show`));
    await expect(requests.diff.getByRole('row').filter({ hasText: 'email' })).toBeVisible();
    await supervisorPage.mouse.move(0, 0);
    await supervisorPage.screenshot({
      path: join(SHOTS, 'change-request.png'),
      fullPage: true,
      animations: 'disabled',
    });
    await requests.approve('Checked with the customer on the phone');
    await expect(supervisorPage.getByText('Approved and applied')).toBeVisible();
    await expect(
      supervisorPage.locator('.RaLabeled-label', { hasText: /^Status$/ }).locator('..'),
    ).toContainText('Applied');
  });

  // Back with the engineer: the new email shows, masked, and History has both steps.
  await page.reload();
  const reloaded = new AccountPage(page);
  await reloaded.expectLoaded(account.handle);
  const email = reloaded.field('Email');
  await expect(email).toContainText('@example.com');
  await expect(email).toContainText(`${newEmail[0]}*`);
  await expect(email).toContainText('masked');

  await reloaded.openTab('History');
  const steps = reloaded.historyRows('account.operation.change-email');
  await expect(steps.filter({ hasText: 'pending' })).toHaveCount(1);
  await expect(steps.filter({ hasText: 'success' })).toHaveCount(1);
  await expect(steps.filter({ hasText: 'engineer@demo.test' })).toHaveCount(1);
  await expect(steps.filter({ hasText: 'supervisor@demo.test' })).toHaveCount(1);

  // A row expands to its before/after diff.
  await steps.filter({ hasText: 'pending' }).click();
  await expect(page.getByTestId('diff-table').first()).toContainText('Email');
  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(SHOTS, 'account-history.png'), fullPage: true, animations: 'disabled' });
});

test('a Confirm refused for a stale version offers a fresh preview and never resends the old version', async ({
  page,
  baseURL,
  accountPage,
}) => {
  const setup = await CustodianApi.signIn(baseURL!, 'engineer@demo.test');
  const account = await setup.activeAccount(41);
  await page.goto(`/#/accounts/${account.id}/show`);
  await accountPage.expectLoaded(account.handle);
  await accountPage.operationButton('Change plan').click();
  const dialog = accountPage.operationDialog;
  const target = account.plan === 'pro' ? 'Plus' : 'Pro';
  await dialog.getByLabel('Plan').click();
  await page.getByRole('option', { name: target }).click();
  await dialog.getByLabel('Reason').fill('Customer upgraded on the phone');
  await dialog.getByRole('button', { name: 'Preview' }).click();
  // The profile calls plans "Free", "Plus", "Pro": so does the preview.
  await expect(dialog.getByTestId('diff-table')).toContainText(target);

  // Meanwhile, someone else changes the account.
  await setup.post(`/accounts/${account.id}/operations/issue-credit`, {
    reason: 'Credit from another session',
    expectedVersion: account.version,
    amountCents: 100,
  });

  const sent: number[] = [];
  page.on('request', (request) => {
    if (request.method() === 'POST' && request.url().includes('/operations/change-plan')) {
      sent.push((request.postDataJSON() as { expectedVersion: number }).expectedVersion);
    }
  });
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(dialog).toContainText('changed since you loaded it');
  await expect(dialog.getByRole('button', { name: 'Confirm' })).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Preview again with the latest version' }).click();
  await expect(dialog.getByRole('button', { name: 'Confirm' })).toBeEnabled();
  await expect(dialog).not.toContainText('changed since you loaded it');
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(dialog).toHaveCount(0);
  expect(sent).toEqual([account.version, account.version + 1, account.version + 1]);

  // Back after a refusal leaves the form without the stale error.
  await setup.post(`/accounts/${account.id}/operations/issue-credit`, {
    reason: 'Credit from another session',
    expectedVersion: account.version + 2,
    amountCents: 100,
  });
  await page.reload();
  await accountPage.expectLoaded(account.handle);
  await accountPage.operationButton('Add note').click();
  await dialog.getByLabel('Note').fill('Second note');
  await dialog.getByLabel('Reason').fill('Stale version test again');
  await dialog.getByRole('button', { name: 'Preview' }).click();
  await expect(dialog).toContainText('Adds this note to the account: "Second note"');
  await setup.post(`/accounts/${account.id}/operations/issue-credit`, {
    reason: 'Credit from another session',
    expectedVersion: account.version + 3,
    amountCents: 100,
  });
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  await expect(dialog).toContainText('changed since you loaded it');
  await dialog.getByRole('button', { name: 'Back' }).click();
  await expect(dialog.getByLabel('Reason')).toBeVisible();
  await expect(dialog).not.toContainText('changed since you loaded it');
  await setup.dispose();
});

test('previews say what they do, and disabled operations say why', async ({ page, baseURL, accountPage }) => {
  const setup = await CustodianApi.signIn(baseURL!, 'supervisor@demo.test');
  const account = await setup.activeAccount(42);
  await setup.dispose();
  await page.goto(`/#/accounts/${account.id}/show`);
  await accountPage.expectLoaded(account.handle);

  await accountPage.operationButton('Revoke sessions').click();
  const dialog = accountPage.operationDialog;
  await dialog.getByLabel('Reason').fill('Customer lost a phone');
  await dialog.getByRole('button', { name: 'Preview' }).click();
  // The sessions it would end, live now and none after.
  const sessions = dialog.getByTestId('diff-table').getByRole('row', { name: /Active sessions/ });
  await expect(sessions).toContainText(/Active sessions\s*\d+\s*0/);
  await dialog.getByRole('button', { name: 'Back' }).click();
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // The engineer's cap is $500.00: more is a request for approval, said plainly.
  await accountPage.operationButton('Issue credit').click();
  await dialog.getByLabel('Amount (cents)').fill('60000');
  await dialog.getByLabel('Reason').fill('Goodwill for the long outage');
  await dialog.getByRole('button', { name: 'Preview' }).click();
  await expect(dialog).toContainText('$600.00 is above your cap of $500.00');
  await expect(dialog.getByRole('button', { name: 'Request approval' })).toBeVisible();
  await dialog.getByRole('button', { name: 'Back' }).click();
  await dialog.getByLabel('Amount (cents)').fill('10000001');
  await dialog.getByRole('button', { name: 'Preview' }).click();
  await expect(dialog).toContainText('At most $100,000.00');
  await dialog.getByRole('button', { name: 'Cancel' }).click();

  // Reactivate fits only a suspended account: its tooltip says so.
  const reactivate = accountPage.operationButton('Reactivate');
  await expect(reactivate).toBeDisabled();
  await reactivate.locator('..').hover();
  await expect(page.getByRole('tooltip')).toHaveText('Only for suspended accounts');
});
