import { join } from 'node:path';
import { expect, signIn, test } from '../fixtures/test';
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
  await dialog.getByRole('button', { name: 'Confirm' }).click();
  const waiting = dialog.getByRole('status');
  await expect(waiting).toHaveText(/^Waiting for approval \(request [0-9a-f-]{36}\)$/);
  const requestId = /request ([0-9a-f-]{36})/.exec((await waiting.textContent()) ?? '')![1]!;
  await dialog.getByRole('button', { name: 'Close' }).click();

  // The supervisor, in a browser of their own, approves it.
  const supervisorContext = await browser.newContext({ baseURL });
  try {
    const supervisorPage = await supervisorContext.newPage();
    await signIn(supervisorPage.request, 'supervisor@demo.test');
    const requests = new ChangeRequestsPage(supervisorPage);
    await requests.goto();
    await expect(requests.row('engineer@demo.test').filter({ hasText: account.id })).toBeVisible();
    await requests.row(account.id).first().click();
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
    ).toContainText('applied');
  } finally {
    await supervisorContext.close();
  }

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
