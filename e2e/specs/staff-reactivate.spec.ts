import { CustodianApi } from '../pages/CustodianApi';
import { DEMO_STAFF, expect, test } from '../fixtures/test';

test.use({ role: 'admin' });

interface StaffAnswer {
  id: string;
  roles: string[];
  pendingChangeRequestId?: string;
}

test('reactivating someone gives no role back: the form says their former role waits for a second admin, who then grants it', async ({
  page,
  staffList,
  baseURL,
}) => {
  // A person who held a role, granted the four-eyes way: filed by one admin, approved by the other.
  const admin = await CustodianApi.signIn(baseURL!, DEMO_STAFF.admin.email);
  const second = await CustodianApi.signIn(baseURL!, 'admin2@demo.test');
  const email = `riley-${Date.now()}@demo.test`;
  const created = await admin.post<StaffAnswer>(
    '/staff',
    { email, displayName: 'Riley Returning', roles: ['engineer'] },
    202,
  );
  await second.post(`/change-requests/${created.pendingChangeRequestId}/approve`, {});

  await staffList.goto();
  await expect(staffList.row(email)).toContainText('engineer');
  await staffList.row(email).click();
  await page.getByRole('button', { name: 'Deactivate' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Deactivate' }).click();
  await expect(staffList.row(email)).toContainText('deactivated');

  // Before: the admin is told the role will not come back on their say alone.
  await staffList.row(email).click();
  await page.getByRole('button', { name: 'Reactivate' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog).toContainText('They come back with no roles');
  await expect(dialog).toContainText('engineer will wait for a second admin to approve it');
  await dialog.getByRole('button', { name: 'Reactivate' }).click();

  // After: said in the notification, and shown in the form, which stays open.
  await expect(
    page.getByText('Riley Returning is active again, with no roles. engineer waits'),
  ).toBeVisible();
  await expect(page.getByTestId('pending-grants')).toContainText(
    'engineer: requested by admin@demo.test, waiting for a second admin',
  );
  const engineer = page.getByRole('checkbox', { name: /^engineer —.*grant waits for a second admin/ });
  await expect(engineer).toBeDisabled();
  await expect(engineer).not.toBeChecked();
  await expect(page.getByRole('button', { name: 'Deactivate' })).toBeVisible();
  const back = await second.get<StaffAnswer & { pendingGrants: { changeRequestId: string }[] }>(
    `/staff/${created.id}`,
  );
  expect(back.roles).toEqual([]);

  // The second admin approves the grant; the role is theirs again.
  await second.post(`/change-requests/${back.pendingGrants[0]!.changeRequestId}/approve`, {});
  await page.reload();
  await expect(page.getByRole('checkbox', { name: /^engineer —/ })).toBeChecked();
  await expect(page.getByTestId('pending-grants')).toHaveCount(0);

  await admin.dispose();
  await second.dispose();
});
