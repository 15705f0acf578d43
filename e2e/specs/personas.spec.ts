import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '../fixtures/test';
import { CustodianApi } from '../pages/CustodianApi';

const SHOTS = join(__dirname, '..', 'test-results');

test.describe('support', () => {
  test.use({ role: 'support' });

  test('finds an account by exact email, sees it masked and reveals the phone with a reason', async ({
    page,
    baseURL,
    accountsList,
    accountPage,
  }) => {
    // Someone else looks the clear email up, so the support session holds no grant on it.
    const engineer = await CustodianApi.signIn(baseURL!, 'engineer@demo.test');
    const account = await engineer.activeAccountByConversations(3);
    const { values } = await engineer.post<{ values: { email: string } }>(`/accounts/${account.id}/reveal`, {
      fields: ['email'],
      reason: 'e2e: find the address support searches by',
    });
    await engineer.dispose();

    await accountsList.goto();
    await accountsList.search(values.email);
    await expect(accountsList.row(account.handle)).toBeVisible();
    await accountsList.open(account.handle);
    await accountPage.expectLoaded(account.handle);

    const email = accountPage.field('Email');
    const phone = accountPage.field('Phone');
    await expect(email).toContainText('*');
    await expect(email).not.toContainText(values.email);
    await expect(email).toContainText('masked');
    await expect(phone).toContainText('*******');
    await expect(accountPage.revealButton('phone')).toBeVisible();

    await accountPage.revealButton('phone').click();
    await expect(accountPage.revealDialog).toBeVisible();
    // Too short a reason is refused before anything is sent.
    await accountPage.submitReveal('because');
    await expect(accountPage.revealDialog.getByText('Say why in at least 10 characters')).toBeVisible();
    await accountPage.revealDialog.getByLabel('Ticket (optional)').fill('SUP-4711');
    await accountPage.revealDialog.getByLabel('Reason').fill('Caller verified identity, wants SMS fixed');
    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(SHOTS, 'personas-reveal-dialog.png'), animations: 'disabled' });
    await accountPage.revealDialog.getByRole('button', { name: 'Reveal', exact: true }).click();
    await expect(accountPage.revealDialog).toBeHidden();

    await expect(phone).toContainText(/\+\d{7,15}/);
    await expect(phone).not.toContainText('*******');
    const countdown = accountPage.countdownIn(phone);
    await expect(countdown).toHaveText(/Revealed · 1[45]:\d\d/);
    const before = await countdown.textContent();
    await expect(countdown).not.toHaveText(before ?? '', { timeout: 3_000 });
    // The email stays masked: a reveal opens one field only.
    await expect(email).toContainText('masked');
    // After a reload the grant still holds, and the value still says it is revealed.
    await page.reload();
    await accountPage.expectLoaded(account.handle);
    await expect(phone).toContainText(/\+\d{7,15}/);
    await expect(phone.getByTestId('revealed-marker')).toBeVisible();
    await expect(email.getByTestId('revealed-marker')).toHaveCount(0);

    await page.mouse.move(0, 0);
    await page.screenshot({
      path: join(SHOTS, 'personas-revealed.png'),
      fullPage: true,
      animations: 'disabled',
    });

    // Conversations are hidden as a whole until revealed the same way.
    await accountPage.openTab('Conversations');
    await page.getByRole('button', { name: 'Reveal conversations' }).click();
    await accountPage.submitReveal('Customer reports harassment in a chat', 'SUP-4712');
    await expect(accountPage.revealDialog).toBeHidden();
    const bar = page.getByText('Conversations revealed').locator('..');
    await expect(accountPage.countdownIn(bar)).toHaveText(/Revealed · 1[45]:\d\d/);
    await page.screenshot({
      path: join(SHOTS, 'personas-conversations.png'),
      fullPage: true,
      animations: 'disabled',
    });
  });
});

test.describe('support on an account without conversations', () => {
  test.use({ role: 'support' });

  test('is offered no reveal of conversations: there is nothing to reveal', async ({
    page,
    baseURL,
    accountPage,
  }) => {
    const support = await CustodianApi.signIn(baseURL!, 'support@demo.test');
    const account = await support.activeAccountByConversations(0, false);
    await support.dispose();

    await page.goto(`/#/accounts/${account.id}/show`);
    await accountPage.expectLoaded(account.handle);
    await accountPage.openTab('Conversations');
    await expect(page.getByText('No conversations.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Reveal conversations' })).toHaveCount(0);
  });
});

test.describe('auditor', () => {
  test.use({ role: 'auditor' });

  test('sees personal data masked and is offered no reveal and no operation', async ({
    page,
    baseURL,
    accountPage,
  }) => {
    const auditor = await CustodianApi.signIn(baseURL!, 'auditor@demo.test');
    const account = await auditor.activeAccountByConversations(0);
    await auditor.dispose();

    await page.goto(`/#/accounts/${account.id}/show`);
    await accountPage.expectLoaded(account.handle);
    await expect(accountPage.field('Email')).toContainText('masked');
    await expect(accountPage.field('Phone')).toContainText('*******');
    await expect(accountPage.revealButtons).toHaveCount(0);
    await expect(page.getByRole('region', { name: 'Operations' }).getByRole('button')).toHaveCount(0);

    await accountPage.openTab('Conversations');
    await expect(page.getByText('Subjects, participants and messages are private.')).toBeVisible();
    await expect(accountPage.revealButtons).toHaveCount(0);
  });

  test('reviews who holds which role on the policy page and exports it as CSV', async ({ page }) => {
    await page.goto('/#/policy');
    const review = page.getByRole('region', { name: 'Access review' });
    await expect(review.getByRole('row').filter({ hasText: 'auditor@demo.test' })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Roles and permissions' })).toContainText('audit.verify');
    await expect(page.getByRole('table', { name: 'Fields and roles' })).toContainText('account.phone');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      review.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split('\r\n')[0]).toBe(
      'email,displayName,active,support,engineer,supervisor,auditor,admin,permissions',
    );
    expect(csv).toMatch(/^auditor@demo\.test,[^,]+,yes,,,,yes,,account\.read /m);

    await page.mouse.move(0, 0);
    await page.screenshot({ path: join(SHOTS, 'policy.png'), fullPage: true, animations: 'disabled' });
  });
});

test.describe('support on the policy page', () => {
  test.use({ role: 'support' });

  test('reads the matrices but is offered no access review', async ({ page }) => {
    await page.goto('/#/policy');
    await expect(page.getByRole('table', { name: 'Roles and permissions' })).toBeVisible();
    await expect(page.getByRole('region', { name: 'Access review' })).toHaveCount(0);
  });
});

test.describe('support on pages their permissions do not open', () => {
  test.use({ role: 'support' });

  test('sees "Access denied" without the console asking the API for the data', async ({ page }) => {
    const asked: string[] = [];
    page.on('request', (request) => {
      const path = new URL(request.url()).pathname;
      if (/^\/api\/(audit-events|staff)/.test(path)) asked.push(`${request.method()} ${path}`);
    });
    for (const route of ['/#/audit-events', '/#/staff', '/#/staff/create']) {
      await page.goto(route);
      await expect(page.getByText(/access denied|not authorized|unauthorized/i).first()).toBeVisible();
    }
    await page.waitForTimeout(1_000); // past any request a page would make after it renders
    expect(asked).toEqual([]);
  });
});
