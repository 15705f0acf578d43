import { expect, test } from '../fixtures/test';
import { ChangeRequestsPage } from '../pages/ChangeRequestsPage';
import { CustodianApi } from '../pages/CustodianApi';

test.use({ role: 'supervisor' });

test('after approving, the focus is on the request status, not lost to the top of the page', async ({
  page,
  baseURL,
}) => {
  const support = await CustodianApi.signIn(baseURL!, 'support@demo.test');
  const account = await support.activeAccount(73);
  // Above support's credit cap: a change request for the supervisor.
  const { changeRequestId } = await support.post<{ changeRequestId: string }>(
    `/accounts/${account.id}/operations/issue-credit`,
    { amountCents: 9000, reason: 'Goodwill credit after the outage', expectedVersion: account.version },
    202,
  );
  await support.dispose();

  const requests = new ChangeRequestsPage(page);
  await requests.open(changeRequestId);
  await requests.approve();
  const status = page.locator('.RaLabeled-label', { hasText: /^Status$/ }).locator('..');
  await expect(status).toContainText('Applied');
  // Focus within the status (before, it fell to the page's body with the Approve button).
  await expect.poll(() => status.evaluate((field) => field.contains(document.activeElement))).toBe(true);
});
