import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { DEMO_STAFF, expect, signIn, test, type DemoRole } from '../fixtures/test';
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

/** The main lists, each as the persona who works in it (an engineer's accounts have checkboxes). */
const LISTS: { name: string; path: string; role: DemoRole }[] = [
  { name: 'accounts', path: '/#/accounts', role: 'engineer' },
  { name: 'audit-log', path: '/#/audit-events', role: 'auditor' },
  { name: 'change-requests', path: '/#/change-requests', role: 'supervisor' },
  { name: 'staff', path: '/#/staff', role: 'admin' },
];

const WIDTHS = [1280, 1024];

test('the main lists have no page-level horizontal scrollbar at 1280 px and narrower', async ({
  browser,
  baseURL,
}) => {
  await fileRequest(baseURL!);
  const overflow: Record<string, number> = {};
  for (const list of LISTS) {
    const context = await browser.newContext({ baseURL, viewport: { width: WIDTHS[0]!, height: 800 } });
    try {
      const page = await context.newPage();
      await signIn(page.request, DEMO_STAFF[list.role].email);
      for (const width of WIDTHS) {
        await page.setViewportSize({ width, height: 800 });
        await page.goto(list.path);
        await expect(page.getByRole('table').first().getByRole('row').nth(1)).toBeVisible();
        await page.mouse.move(0, 0);
        await page.screenshot({
          path: join(SHOTS, `layout-${list.name}-${width}.png`),
          animations: 'disabled',
        });
        overflow[`${list.name} at ${width} px`] = await pageOverflow(page);
      }
    } finally {
      await context.close();
    }
  }
  const none = Object.fromEntries(Object.keys(overflow).map((key) => [key, 0]));
  expect(overflow).toEqual(none);
});
