import { join } from 'node:path';
import { expect, test } from '../fixtures/test';
import { AuditLogPage } from '../pages/AuditLogPage';
import { CustodianApi, type AccountRecord } from '../pages/CustodianApi';

const SHOTS = join(__dirname, '..', 'test-results');

/** Today in the browser's (and this machine's) time zone, as a date input wants it. */
function today(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

test.use({ role: 'auditor' });

test("filters the log by an engineer and a date range and opens a change's before/after diff", async ({
  page,
  baseURL,
}) => {
  // The engineer changes a plan: an applied operation with a before/after diff. The date range is
  // the days before and after it, so a change made as midnight passes still lies inside it.
  const from = today();
  const engineer = await CustodianApi.signIn(baseURL!, 'engineer@demo.test');
  const account = await engineer.activeAccount(7);
  const plan = account.version % 2 === 0 ? 'pro' : 'plus';
  const previous = (await engineer.get<AccountRecord & { plan: string }>(`/accounts/${account.id}`)).plan;
  const target = previous === plan ? 'free' : plan;
  await engineer.post(`/accounts/${account.id}/operations/change-plan`, {
    reason: 'e2e: customer asked to move plans',
    ticket: 'OPS-1',
    expectedVersion: account.version,
    plan: target,
  });
  await engineer.dispose();
  const to = today();

  const log = new AuditLogPage(page);
  await log.goto();
  await log.verifiedUpTo();
  await log.filterByActor('engineer@demo.test');
  await log.filterByDates(from, to);
  await log.filterByAction('plan', 'account.operation.change-plan');

  const row = log.row('account.operation.change-plan').filter({ hasText: account.id });
  await expect(row).toBeVisible();
  // Every row left is the engineer's, and a plan change (retried until the filtered page is in).
  await expect(log.eventRows.filter({ hasNotText: 'engineer@demo.test' })).toHaveCount(0);
  await expect(log.eventRows.filter({ hasNotText: 'account.operation.change-plan' })).toHaveCount(0);
  await expect(log.exportLink('Export CSV')).toHaveAttribute(
    'href',
    /actorEmail=engineer%40demo\.test&action=account\.operation\.change-plan.*format=csv$/,
  );

  await row.getByRole('cell', { name: 'account.operation.change-plan' }).click();
  await expect(page).toHaveURL(/#\/audit-events\/[^/]+\/show/);
  const diff = page.getByTestId('diff-table');
  await expect(diff).toBeVisible();
  await expect(diff.getByRole('row').filter({ hasText: 'plan' })).toContainText(previous);
  await expect(diff.getByRole('row').filter({ hasText: 'plan' })).toContainText(target);
  await expect(page.getByText('e2e: customer asked to move plans')).toBeVisible();

  await page.mouse.move(0, 0);
  await page.screenshot({ path: join(SHOTS, 'audit-diff.png'), fullPage: true, animations: 'disabled' });

  await page.goBack();
  await expect(row).toBeVisible();
  await page.screenshot({ path: join(SHOTS, 'audit-list.png'), fullPage: true, animations: 'disabled' });
});

test("the chain badge verifies again on the app bar's refresh and on a click, and says when", async ({
  page,
  baseURL,
}) => {
  const log = new AuditLogPage(page);
  await log.goto();
  const first = await log.verifiedUpTo();

  // A sign-in is an event: the list's top row moves past the badge until both are refreshed.
  const signIn = async () => (await CustodianApi.signIn(baseURL!, 'engineer@demo.test')).dispose();
  await signIn();
  await log.refreshButton.click();
  await expect.poll(() => log.newestSeq()).toBeGreaterThan(first);
  await expect.poll(() => log.verifiedUpTo()).toBeGreaterThanOrEqual(await log.newestSeq());

  const second = await log.verifiedUpTo();
  await signIn();
  await log.chainStatus.click();
  await expect.poll(() => log.verifiedUpTo()).toBeGreaterThan(second);
});
