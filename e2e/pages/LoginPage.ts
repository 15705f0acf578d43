import { expect, type Locator, type Page } from '@playwright/test';

/** The sign-in page: email and password, then a one-time code when the account has MFA. */
export class LoginPage {
  readonly email: Locator;
  readonly password: Locator;
  readonly code: Locator;
  readonly signInButton: Locator;
  readonly verifyButton: Locator;
  readonly ssoButton: Locator;
  readonly error: Locator;

  constructor(private readonly page: Page) {
    this.email = page.getByLabel('Email');
    this.password = page.getByLabel('Password');
    this.code = page.getByLabel('Code');
    this.signInButton = page.getByRole('button', { name: 'Sign in', exact: true });
    this.verifyButton = page.getByRole('button', { name: 'Verify', exact: true });
    this.ssoButton = page.getByRole('link', { name: /^Sign in with / });
    this.error = page.getByRole('alert');
  }

  async goto(search = ''): Promise<void> {
    await this.page.goto(`/#/login${search}`);
    await this.expectShown();
  }

  async expectShown(): Promise<void> {
    await expect(this.page).toHaveURL(/#\/login/);
    await expect(this.email).toBeVisible();
    await expect(this.password).toBeVisible();
  }

  /** Fills in the first step and submits it; what follows is up to the test. */
  async submitPassword(email: string, password: string): Promise<void> {
    await this.email.fill(email);
    await this.password.fill(password);
    await this.signInButton.click();
  }

  async submitCode(code: string): Promise<void> {
    await expect(this.code).toBeVisible();
    await this.code.fill(code);
    await this.verifyButton.click();
  }

  /** Signs in and waits until the console has left the sign-in page. */
  async signIn(email: string, password: string, code?: string): Promise<void> {
    await this.submitPassword(email, password);
    if (code !== undefined) await this.submitCode(code);
    await expect(this.page).not.toHaveURL(/#\/login/);
  }
}
