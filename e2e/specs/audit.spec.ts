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
  // Plans read as the profile shows them: "Free", not "free".
  const label = (p: string) => p.charAt(0).toUpperCase() + p.slice(1);
  const planRow = diff.getByRole('row').filter({ hasText: 'plan' });
  await expect(planRow).toContainText(`${label(previous)}${label(target)}`);
  await expect(page.getByText('e2e: customer asked to move plans')).toBeVisible();
  // The target opens the account the change was made to.
  await expect(page.getByRole('link', { name: `account ${account.id}` })).toHaveAttribute(
    'href',
    `#/accounts/${account.id}/show`,
  );

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

test('says why a filter cannot match instead of showing an empty log', async ({ page }) => {
  const log = new AuditLogPage(page);
  await log.goto();
  await expect(log.eventRows.first()).toBeVisible();

  // A range that ends before it starts is refused where it is typed; the log stays as it was.
  await log.typeFilter('From', '2026-03-02');
  await log.typeFilter('To (inclusive)', '2026-03-01');
  await expect(page.getByText('From is after To: no event can match').first()).toBeVisible();
  await expect(page).not.toHaveURL(/%22to%22/);
  await expect(log.eventRows.first()).toBeVisible();
  // Moving either end so the range holds clears the message from both ends.
  await log.typeFilter('From', '2026-02-28');
  await expect(page.getByText('From is after To')).toHaveCount(0);
  await expect(page).toHaveURL(/%22to%22/);
  // Back to the whole log (the list remembers its last filters).
  await page.goto(`/#/audit-events?filter=${encodeURIComponent('{}')}`);

  // The log matches a target by its whole id: a fragment is refused and says so.
  await log.typeFilter('Target id', '2b6be577');
  await expect(page.getByText(/Enter the whole id/)).toBeVisible();
  await expect(page).not.toHaveURL(/targetId/);
  await expect(log.eventRows.first()).toBeVisible();

  // A whole id that nothing names: the empty log says that no event matches.
  await log.typeFilter('Target id', '2b6be577-1c2d-4e5f-8a9b-0c1d2e3f4a5b');
  await expect(page).toHaveURL(/targetId/);
  await expect(page.getByTestId('audit-empty')).toContainText('No events match these filters.');
  await expect(page.getByText(/No Audit log found/)).toHaveCount(0);
});

test('says that a filter chosen beside a refused one is not applied yet', async ({ page }) => {
  const log = new AuditLogPage(page);
  await log.goto();
  await expect(log.eventRows.first()).toBeVisible();
  await expect(log.refusedFilterNotice).toHaveCount(0);

  await log.typeFilter('Target id', '2b6be577');
  await expect(page.getByText(/Enter the whole id/)).toBeVisible();
  // The outcome reads as chosen, but react-admin applies nothing while the target id is refused.
  await page.getByRole('combobox', { name: 'Outcome' }).click();
  await page.getByRole('option', { name: 'denied', exact: true }).click();
  await expect(log.refusedFilterNotice).toHaveText(
    'No filter change applies while a filter is marked in red: the list still shows the earlier filters. Correct or clear that one.',
  );
  await expect(page).not.toHaveURL(/outcome/);

  // Cleared, the target id no longer holds the others back: the outcome applies, the notice goes.
  await log.typeFilter('Target id', '');
  await expect(page).toHaveURL(/outcome.*denied/);
  await expect(log.refusedFilterNotice).toHaveCount(0);
});
