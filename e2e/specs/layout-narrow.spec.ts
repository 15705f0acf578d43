import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expect, test, type DemoRole } from '../fixtures/test';
import { CustodianApi } from '../pages/CustodianApi';

const SHOTS = join(__dirname, '..', 'test-results');

/** How far the page itself scrolls sideways (0: it does not); a table may scroll in its own box. */
function pageOverflow(page: Page): Promise<number> {
  return page.evaluate(() => {
    const root = document.scrollingElement ?? document.documentElement;
    return root.scrollWidth - root.clientWidth;
  });
}

/** A pending request with a long reason, so that the queue has a row to lay out. */
async function fileRequest(baseURL: string): Promise<void> {
  const engineer = await CustodianApi.signIn(baseURL, 'engineer@demo.test');
  try {
    const account = await engineer.activeAccount(62);
    await engineer.post(
      `/accounts/${account.id}/operations/change-email`,
      {
        email: `layout${Date.now()}@example.com`,
        reason: 'The customer wrote from a new address and confirmed the change on the phone',
        ticket: 'SUP-1280',
        expectedVersion: account.version,
      },
      202,
    );
  } finally {
    await engineer.dispose();
  }
}

const LISTS: { name: string; path: string; role: DemoRole; setup?: (baseURL: string) => Promise<void> }[] = [
  // An engineer's accounts list has the selection checkboxes too.
  { name: 'accounts', path: '/#/accounts', role: 'engineer' },
  { name: 'audit-log', path: '/#/audit-events', role: 'auditor' },
  { name: 'change-requests', path: '/#/change-requests', role: 'supervisor', setup: fileRequest },
  { name: 'staff', path: '/#/staff', role: 'admin' },
];

for (const list of LISTS) {
  test.describe(`the ${list.name} list`, () => {
    test.use({ role: list.role });
    test.beforeAll(async ({ baseURL }) => list.setup?.(baseURL!));

    for (const width of [1280, 1024]) {
      test(`has no page-level horizontal scrollbar at ${width} px`, async ({ page }) => {
        await page.setViewportSize({ width, height: 800 });
        await page.goto(list.path);
        const table = page.getByRole('table').first();
        await expect(table.getByRole('row').nth(1)).toBeVisible();
        await page.mouse.move(0, 0);
        await page.screenshot({
          path: join(SHOTS, `layout-${list.name}-${width}.png`),
          animations: 'disabled',
        });
        expect(await pageOverflow(page)).toBe(0);
      });
    }
  });
}
