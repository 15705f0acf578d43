import { expect, test } from '../fixtures/test';

// The API matches an email filter only exactly and answers part of an address with a 400.
const EMAIL_HINT = 'Email must be a whole address, such as jo@example.com';
const INPUT_HINT = 'A whole address only';
const SERVER_SENTENCE = 'email must be a complete email address';

test('a link filtering by part of an email says what to do, counts nothing, and can be corrected', async ({
  page,
  accountsList,
}) => {
  await accountsList.gotoFiltered({ email: 'jo' });

  await expect(page.getByRole('alert').filter({ hasText: EMAIL_HINT })).toBeVisible();
  await expect(page.getByText(SERVER_SENTENCE)).toHaveCount(0);
  await expect(accountsList.rangeLabel).toHaveCount(0);
  await expect(accountsList.grid).toHaveCount(0);

  // The filter the link set is shown, and an address still incomplete is not sent.
  const email = accountsList.filterInput('Exact email');
  await expect(email).toHaveValue('jo');
  await email.fill('jo@example');
  await expect(page.getByText(INPUT_HINT)).toBeVisible();
  await page.waitForTimeout(1_000); // past the filter form's debounce
  expect(decodeURIComponent(page.url())).toContain('"email":"jo"');

  // A whole address is sent: no account has it, and the list says so without a count.
  await email.fill('nobody@example.com');
  await expect(page).toHaveURL(/nobody%40example\.com|nobody@example\.com/);
  await expect(page.getByText(EMAIL_HINT)).toHaveCount(0);
  await expect(page.getByText(INPUT_HINT)).toHaveCount(0);
  await expect(page.getByText(/No Accounts? found/i)).toBeVisible();
  await expect(accountsList.rangeLabel).toHaveCount(0);

  // Removing the filter brings every account back.
  await page.getByTitle('Remove this filter').click();
  await expect(accountsList.grid.getByRole('row').nth(1)).toBeVisible();
  await expect(accountsList.rangeLabel).toHaveText(/^1-25 of more than 25$/);
});

test('a search that cannot find anything as typed says why', async ({ page, accountsList }) => {
  await accountsList.goto();
  await accountsList.search('ia');
  await expect(page.getByText(/^Type at least 3 characters/)).toBeVisible();
  await expect(page.getByText(/No Accounts? found/i)).toBeVisible();

  await accountsList.search('4915112345678');
  await expect(
    page.getByText(/^Phone numbers need the international format, e\.g\. \+4915112345678/),
  ).toBeVisible();
  await expect(page.getByText(/^Type at least 3 characters/)).toHaveCount(0);
});
