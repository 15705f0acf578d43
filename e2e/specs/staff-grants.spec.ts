import { expect, test } from '../fixtures/test';

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
