import { join } from 'node:path';
import { expect, firstAccountByHandle, test } from '../fixtures/test';

test('finds a seeded account by handle and reads every tab', async ({
  page,
  request,
  accountsList,
  accountPage,
}) => {
  const account = await firstAccountByHandle(request);

  await accountsList.goto();
  await accountsList.search(account.handle);
  await expect(accountsList.row(account.handle)).toBeVisible();

  await accountsList.open(account.handle);
  await accountPage.expectLoaded(account.handle);
  await expect(accountPage.field('Handle')).toContainText(account.handle);

  await accountPage.openTab('Payment methods');
  await expect(accountPage.relatedContent).toBeVisible();

  await accountPage.openTab('Conversations');
  await expect(accountPage.relatedContent).toBeVisible();

  await accountPage.openTab('Notes');
  await expect(accountPage.relatedContent).toBeVisible();

  await accountPage.openTab('Sessions');
  await expect(accountPage.relatedContent).toBeVisible();

  await accountPage.openTab('Profile');
  await expect(accountPage.field('Handle')).toContainText(account.handle);
  // Park the pointer and settle transitions so the picture shows the page, not a hover or ripple.
  await page.mouse.move(0, 0);
  await page.screenshot({
    path: join(__dirname, '..', 'test-results', 'smoke-account.png'),
    fullPage: true,
    animations: 'disabled',
  });
});
