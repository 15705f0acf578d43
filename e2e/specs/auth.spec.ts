import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { DEMO_PASSWORD, DEMO_ROLES, DEMO_STAFF, expect, signIn, test, totp } from '../fixtures/test';
import type { LoginPage } from '../pages/LoginPage';

/** A full-page picture in the run's output folder (`--output` moves it), named for a reviewer. */
const screenshot = (page: Page, name: string) =>
  page.screenshot({
    path: join(test.info().project.outputDir, name),
    fullPage: true,
    animations: 'disabled',
  });

/**
 * Signs support in through the sign-in page on the browser's fake clock, and waits until no answer
 * is in flight, so that nothing arriving later counts as activity.
 */
async function signInOnFakeClock(page: Page, loginPage: LoginPage): Promise<void> {
  await page.clock.install();
  await loginPage.goto();
  await loginPage.signIn(DEMO_STAFF.support.email, DEMO_PASSWORD);
  await expect(page.getByRole('table')).toBeVisible();
  await page.waitForLoadState('networkidle');
}

/** The sign-in page's word on a session that ended by itself. */
const sessionEndedNotice = (page: Page, minutes: number) =>
  page
    .getByRole('status')
    .filter({ hasText: `Your session ended after ${minutes} minutes without activity; sign in again.` });

/** Data pages: a successful answer from one of these after sign-out would mean data came back. */
const DATA_API = /\/api\/(accounts|staff|audit-events|change-requests)\b/;

test.describe('signing in through the sign-in page', () => {
  test.use({ signInVia: 'none' });

  for (const role of DEMO_ROLES) {
    test(`${role}: sees their name, signs out, and Back shows no data`, async ({
      page,
      loginPage,
      appBar,
    }) => {
      const person = DEMO_STAFF[role];
      await loginPage.goto();
      await loginPage.signIn(person.email, DEMO_PASSWORD);
      await appBar.expectSignedInAs(person.displayName);

      // A page of data this role may read: customer accounts, or the staff list for an admin.
      const dataPage = role === 'admin' ? '/#/staff' : '/#/accounts';
      await page.goto(dataPage);
      const rows = page.getByRole('table').locator('tbody tr');
      await expect(rows.first()).toBeVisible();

      await appBar.signOut();
      const dataAfterSignOut: string[] = [];
      page.on('response', (response) => {
        if (DATA_API.test(response.url()) && response.ok()) dataAfterSignOut.push(response.url());
      });

      await page.goBack();
      await loginPage.expectShown();
      await expect(page.getByRole('table')).toHaveCount(0);
      expect(dataAfterSignOut).toEqual([]);
      // The session ended on the server too, not only in the console.
      expect((await page.request.get('/api/auth/me')).status()).toBe(401);
    });
  }

  test('a wrong password shows the API’s message and stays on the sign-in page', async ({
    page,
    loginPage,
  }) => {
    await loginPage.goto();
    await loginPage.submitPassword(DEMO_STAFF.auditor.email, 'not-the-password');
    await expect(loginPage.error).toHaveText(/the email or password is wrong/i);
    await loginPage.expectShown();
    await expect(loginPage.code).toHaveCount(0);
    // The focus is back in the password field, so the password can be typed again at once.
    await expect(loginPage.password).toBeFocused();
    await page.keyboard.type(DEMO_PASSWORD);
    await page.keyboard.press('Enter');
    await expect(page).not.toHaveURL(/#\/login/);
  });

  test('shows the error a failed single sign-on sends back', async ({ page, loginPage }) => {
    await loginPage.goto(`?error=${encodeURIComponent('single sign-on failed; try again')}`);
    await expect(loginPage.error).toHaveText(/^single sign-on failed; try again\.?$/i);
    await page.mouse.move(0, 0);
    await screenshot(page, 'login-page.png');
  });

  test('a session that idled out says so on the sign-in page', async ({
    page,
    context,
    loginPage,
    appBar,
  }) => {
    await signInOnFakeClock(page, loginPage);
    await expect(appBar.menuItem('Accounts')).toBeVisible();
    // Sixteen quiet minutes later the server has ended the session (its idle timeout is 15).
    await context.clearCookies();
    await page.clock.fastForward('16:00');
    await page.goto('/#/policy');
    await loginPage.expectShown();
    await expect(sessionEndedNotice(page, 16)).toBeVisible();
    // Signing in again starts afresh.
    await loginPage.signIn(DEMO_STAFF.support.email, DEMO_PASSWORD);
    await expect(appBar.menuItem('Accounts')).toBeVisible();
  });

  test('a minute before an idle session ends, the console warns; staying keeps the session', async ({
    page,
    loginPage,
    appBar,
  }) => {
    await signInOnFakeClock(page, loginPage);
    const warning = page.getByRole('dialog', { name: 'Are you still there?' });
    await page.clock.fastForward('13:50');
    await expect(warning).toBeHidden();
    await page.clock.fastForward('00:15');
    await expect(warning).toContainText(/signed out in 0:[45]\d, as a session ends after 15 minutes/);
    await screenshot(page, 'idle-warning.png');
    await warning.getByRole('button', { name: 'Stay signed in' }).click();
    await expect(warning).toBeHidden();
    await expect(page.getByRole('table')).toBeVisible();
    // Staying renewed the session: fourteen more quiet minutes bring the warning back, not the end.
    await page.clock.fastForward('14:05');
    await expect(warning).toBeVisible();
    await warning.getByRole('button', { name: 'Sign out' }).click();
    await loginPage.expectShown();
    await expect(page.getByRole('status').filter({ hasText: 'without activity' })).toHaveCount(0);
    await expect(appBar.menuItem('Accounts')).toBeHidden();
  });

  test('an idle session is signed out when the warning runs out, on the server too', async ({
    page,
    loginPage,
  }) => {
    await signInOnFakeClock(page, loginPage);
    await page.clock.fastForward('14:30');
    await expect(page.getByRole('dialog', { name: 'Are you still there?' })).toBeVisible();
    await page.clock.fastForward('00:31');
    await loginPage.expectShown();
    await expect(sessionEndedNotice(page, 15)).toBeVisible();
    // Real time has hardly passed, so only the console's sign-out can have ended it.
    expect((await page.request.get('/api/auth/me')).status()).toBe(401);
  });

  test('an admin without account access sees only the pages their permissions allow', async ({
    loginPage,
    appBar,
  }) => {
    await loginPage.goto();
    await loginPage.signIn(DEMO_STAFF.admin.email, DEMO_PASSWORD);
    await expect(appBar.menuItem('Staff')).toBeVisible();
    await expect(appBar.menuItem('My tokens')).toBeVisible();
    await expect(appBar.menuItem('Accounts')).toHaveCount(0);
  });
});

test.describe('staff admin', () => {
  test.use({ role: 'admin', signInVia: 'ui' });

  test('creates a staff member, sees the first password once, and deactivates them', async ({
    page,
    staffList,
  }) => {
    await staffList.goto();
    for (const person of Object.values(DEMO_STAFF)) await expect(staffList.row(person.email)).toBeVisible();
    await page.mouse.move(0, 0);
    await screenshot(page, 'staff-list.png');

    const email = `casey-${Date.now()}@demo.test`;
    const initialPassword = await staffList.create({
      email,
      displayName: 'Casey Created',
      roles: ['support'],
    });
    expect(initialPassword.length).toBeGreaterThanOrEqual(12);
    // The role ticked is not granted yet: a second admin must approve it, and the admin is told so.
    await expect(page.getByRole('dialog').getByTestId('created-roles')).toHaveText(
      /^Roles: none yet\. support must be approved by a second admin/,
    );
    await page.getByRole('button', { name: 'Done' }).click();
    await expect(staffList.row(email)).toBeVisible();
    // Not held: the list shows it as waiting, as the staff form does.
    await expect(staffList.row(email).getByText('support', { exact: true })).toHaveCount(0);
    await expect(staffList.row(email)).toContainText('support (grant waits for a second admin)');

    await staffList.row(email).click();
    await page.getByRole('button', { name: 'Deactivate' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Deactivate' }).click();
    await expect(staffList.row(email)).toContainText('deactivated');
  });
});

test.describe('own account', () => {
  test.use({ signInVia: 'none' });

  test('a new person enrols MFA, then signs in with a code and with a recovery code', async ({
    page,
    request,
    loginPage,
    appBar,
  }) => {
    // An admin invites them through the API; the sign-in of the invitee is what is tested.
    const { csrfToken } = await signIn(request, DEMO_STAFF.admin.email);
    const email = `morgan-${Date.now()}@demo.test`;
    const created = await request.post('/api/staff', {
      headers: { 'X-CSRF-Token': csrfToken },
      data: { email, displayName: 'Morgan Mfa', roles: ['support'] },
    });
    // The role waits for a second admin (four eyes), who approves it here through the API too.
    expect(created.status(), await created.text()).toBe(202);
    const { initialPassword, pendingChangeRequestId } = (await created.json()) as {
      initialPassword: string;
      pendingChangeRequestId: string;
    };
    const second = await signIn(request, 'admin2@demo.test');
    const approved = await request.post(`/api/change-requests/${pendingChangeRequestId}/approve`, {
      headers: { 'X-CSRF-Token': second.csrfToken },
      data: {},
    });
    expect(approved.status(), await approved.text()).toBe(200);

    await loginPage.goto();
    await loginPage.signIn(email, initialPassword);
    await appBar.expectSignedInAs('Morgan Mfa');

    await appBar.menuItem('Two-factor').click();
    await page.getByRole('button', { name: 'Set up two-factor authentication' }).click();
    await expect(page.getByRole('img', { name: 'QR code for your authenticator app' })).toBeVisible();
    const secret = (await page.getByTestId('mfa-secret').textContent())?.trim() ?? '';
    await page.getByLabel('Code').fill(totp(secret));
    await page.getByRole('button', { name: 'Confirm' }).click();
    const codes = page.getByTestId('show-once-value');
    await expect(codes).toBeVisible();
    const recoveryCodes = ((await codes.textContent()) ?? '').trim().split(/\s+/);
    expect(recoveryCodes).toHaveLength(10);
    await page.getByRole('button', { name: 'I have saved my recovery codes' }).click();
    await appBar.expectSignedInAs('Morgan Mfa');
    await expect(appBar.menuItem('Two-factor')).toHaveCount(0);

    await appBar.signOut();
    await loginPage.submitPassword(email, initialPassword);
    // The code of the current step was spent on enrolment; the next step's is accepted too.
    await loginPage.submitCode(totp(secret, 1));
    await appBar.expectSignedInAs('Morgan Mfa');

    await appBar.signOut();
    await loginPage.submitPassword(email, initialPassword);
    await loginPage.submitCode(recoveryCodes[0]!);
    await appBar.expectSignedInAs('Morgan Mfa');
  });

  test('creates a personal access token, shown once, and revokes it', async ({
    page,
    playwright,
    baseURL,
    loginPage,
    appBar,
  }) => {
    await loginPage.goto();
    await loginPage.signIn(DEMO_STAFF.auditor.email, DEMO_PASSWORD);
    await appBar.menuItem('My tokens').click();
    await expect(page.getByText(/^You have no tokens yet/)).toBeVisible();
    // Changing the password is the person's own business: their menu, not the tokens page.
    await expect(page.getByRole('button', { name: 'Change password' })).toHaveCount(0);
    await appBar.userMenu.click();
    await expect(page.getByRole('menuitem', { name: 'Change password' })).toBeVisible();
    await page.keyboard.press('Escape');

    await page.getByRole('button', { name: 'New token' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('nightly export');
    // Nothing is ticked to begin with, and a token needs at least one permission.
    for (const box of await dialog.getByRole('checkbox').all()) await expect(box).not.toBeChecked();
    await dialog.getByRole('button', { name: 'Create token' }).click();
    await expect(dialog.getByText('Choose at least one permission')).toBeVisible();
    // Only audit.read: the token must not carry the owner's other permissions.
    await dialog.getByRole('checkbox', { name: 'audit.read' }).check();
    await dialog.getByRole('button', { name: 'Create token' }).click();
    const token = ((await dialog.getByTestId('show-once-value').textContent()) ?? '').trim();
    expect(token.length).toBeGreaterThan(20);

    // A script's view: no browser cookies, only the token.
    const script = await playwright.request.newContext({
      baseURL,
      extraHTTPHeaders: { Authorization: `Bearer ${token}` },
    });
    expect((await script.get('/api/audit-events?limit=1')).status()).toBe(200);
    expect((await script.get('/api/staff')).status()).toBe(403);

    await dialog.getByRole('button', { name: 'Done' }).click();
    const row = page.getByRole('table').getByRole('row').filter({ hasText: 'nightly export' });
    await expect(row).toContainText('active');
    await row.getByRole('button', { name: 'Revoke' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revoke' }).click();
    await expect(row).toContainText('revoked');
    expect((await script.get('/api/audit-events?limit=1')).status()).toBe(401);
    await script.dispose();
  });
});
