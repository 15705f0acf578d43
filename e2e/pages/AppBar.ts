import { expect, type Locator, type Page } from '@playwright/test';

/** The console's top bar: the signed-in person's name, in a menu that holds "Logout". */
export class AppBar {
  readonly userMenu: Locator;
  readonly signOutItem: Locator;

  constructor(private readonly page: Page) {
    // react-admin labels the button "Profile" and shows the display name as its text.
    this.userMenu = page.locator('header').getByRole('button', { name: 'Profile' });
    this.signOutItem = page.getByRole('menuitem', { name: 'Logout' });
  }

  async expectSignedInAs(displayName: string): Promise<void> {
    await expect(this.userMenu).toHaveText(displayName);
  }

  async signOut(): Promise<void> {
    await this.userMenu.click();
    await this.signOutItem.click();
    await expect(this.page).toHaveURL(/#\/login/);
  }

  /** The sidebar's entry for a page, by its label. */
  menuItem(label: string): Locator {
    return this.page.getByRole('menuitem', { name: label, exact: true });
  }
}
