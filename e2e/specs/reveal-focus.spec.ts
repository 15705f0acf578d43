import { expect, test } from '../fixtures/test';
import { CustodianApi } from '../pages/CustodianApi';

test.use({ role: 'support' });

test('after a reveal the focus is on the clear value, not lost to the top of the page', async ({
  page,
  baseURL,
  accountPage,
}) => {
  const support = await CustodianApi.signIn(baseURL!, 'support@demo.test');
  const account = await support.activeAccount(72);
  await support.dispose();

  await page.goto(`/#/accounts/${account.id}/show`);
  await accountPage.expectLoaded(account.handle);
  await accountPage.revealButton('phone').focus();
  await page.keyboard.press('Enter');
  await expect(accountPage.revealDialog).toBeVisible();
  await accountPage.revealDialog.getByLabel('Reason').fill('Caller verified identity, wants SMS fixed');
  await accountPage.revealDialog.getByRole('button', { name: 'Reveal', exact: true }).click();
  await expect(accountPage.revealDialog).toBeHidden();

  const phone = accountPage.field('Phone');
  await expect(phone).toContainText(/\+\d{7,15}/);
  // Focus within the field (before, it fell to the page's body).
  await expect.poll(() => phone.evaluate((field) => field.contains(document.activeElement))).toBe(true);
});
