import { expect, test } from '../fixtures/test';
import { CustodianApi } from '../pages/CustodianApi';

test.use({ role: 'admin' });

test('the new staff form’s help follows the password switch; a grant that waits shows in the staff form until the person is deactivated', async ({
  page,
  staffList,
}) => {
  await staffList.goto();
  await staffList.createButton.click();
  await expect(page).toHaveURL(/#\/staff\/create/);
  const passwordSwitch = page.getByRole('switch', { name: 'Password sign-in' });
  await expect(passwordSwitch).toBeChecked();
  await expect(page.getByText(/^On: this person signs in with a password/)).toBeVisible();
  await passwordSwitch.uncheck();
  await expect(page.getByText(/^Off: this person signs in through single sign-on only/)).toBeVisible();
  await passwordSwitch.check();

  const email = `gale-${Date.now()}@demo.test`;
  await page.getByRole('textbox', { name: 'Email', exact: true }).fill(email);
  await page.getByRole('textbox', { name: 'Name', exact: true }).fill('Gale Granted');
  await page.getByRole('checkbox', { name: /^auditor —/ }).check();
  await page.getByRole('button', { name: 'Save' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Done' }).click();

  // The grant waits for a second admin: the form says so, and the role cannot be asked twice.
  await staffList.row(email).click();
  await expect(page.getByTestId('pending-grants')).toContainText(
    'auditor: requested by admin@demo.test, waiting for a second admin',
  );
  const auditor = page.getByRole('checkbox', { name: /^auditor —.*grant waits for a second admin/ });
  await expect(auditor).toBeDisabled();
  await expect(auditor).not.toBeChecked();

  // Deactivating the person withdraws the grant: nothing is left to approve.
  await page.getByRole('button', { name: 'Deactivate' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Deactivate' }).click();
  await expect(staffList.row(email)).toContainText('deactivated');
  await staffList.row(email).click();
  await expect(page.getByRole('checkbox', { name: /^auditor —/ })).toBeEnabled();
  await expect(page.getByTestId('pending-grants')).toHaveCount(0);
});

test('the staff list shows the roles a person holds and, marked as waiting, those a second admin has yet to approve', async ({
  page,
  baseURL,
  staffList,
}) => {
  const email = `wren-${Date.now()}@demo.test`;
  const admin = await CustodianApi.signIn(baseURL!, 'admin@demo.test');
  const admin2 = await CustodianApi.signIn(baseURL!, 'admin2@demo.test');
  try {
    // support is granted (a second admin approves it); auditor is asked for after and still waits.
    const created = await admin.post<{ id: string; pendingChangeRequestId: string }>(
      '/staff',
      { email, displayName: 'Wren Waiting', roles: ['support'] },
      202,
    );
    await admin2.post(`/change-requests/${created.pendingChangeRequestId}/approve`, {});
    await admin.patch(`/staff/${created.id}`, { roles: ['support', 'auditor'] }, 202);
  } finally {
    await admin.dispose();
    await admin2.dispose();
  }

  // The list's answer carries every person's waiting grants: no request per row.
  const perPerson: string[] = [];
  page.on('request', (request) => {
    if (/\/api\/(staff\/[^/?]+|change-requests)/.test(new URL(request.url()).pathname)) {
      perPerson.push(request.url());
    }
  });
  await staffList.goto();
  const row = staffList.row(email);
  await expect(row.getByText('support', { exact: true })).toBeVisible();
  await expect(row.getByText('auditor (grant waits for a second admin)', { exact: true })).toBeVisible();
  expect(perPerson).toEqual([]);
});
