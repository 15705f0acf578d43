import { Link, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import { DiffTable } from '../audit-events/DiffTable';
import { BULK_PREVIEW_ROWS } from './bulkForm';
import { bulkItemOutcome, type BulkItemRow } from './bulkItems';
import { accountHref } from '../accounts/format';

/** One account's cell: its diff, that it changed, that it failed, or why it does not run. */
const ItemOutcome = ({ item }: { item: BulkItemRow }) => {
  const outcome = bulkItemOutcome(item);
  switch (outcome.kind) {
    case 'diff':
      return <DiffTable changes={outcome.changes} />;
    case 'changed':
      return (
        <>
          <Typography variant="body2" data-testid="bulk-item-changed">
            Changed — see the{' '}
            <Link href={`${accountHref(item.accountId)}/history`}>account&apos;s history</Link>
          </Typography>
          {outcome.changes && <DiffTable changes={outcome.changes} />}
        </>
      );
    case 'failed':
      return (
        <Typography variant="body2" color="error">
          Failed: {outcome.reason}
        </Typography>
      );
    case 'not-changed':
      return (
        <Typography variant="body2" color="text.secondary">
          Not changed: {outcome.reason}
        </Typography>
      );
  }
};

/**
 * The accounts of a bulk operation, the first BULK_PREVIEW_ROWS of them, each with what happened
 * or would happen to it. The same table on the preview and on the change request page.
 */
export const BulkItemsTable = ({
  items,
  linkAccounts = false,
}: {
  items: BulkItemRow[];
  /** Link each account to its page (once requested; a preview may list ids that do not exist). */
  linkAccounts?: boolean;
}) => (
  <Table size="small" aria-label="Accounts" data-testid="bulk-items">
    <TableHead>
      <TableRow>
        <TableCell sx={{ width: '30%' }}>Account</TableCell>
        <TableCell>Change, or why it does not run</TableCell>
      </TableRow>
    </TableHead>
    <TableBody>
      {items.slice(0, BULK_PREVIEW_ROWS).map((item) => (
        <TableRow key={item.accountId}>
          <TableCell sx={{ fontFamily: 'monospace', fontSize: '0.8rem', verticalAlign: 'top' }}>
            {linkAccounts ? <Link href={accountHref(item.accountId)}>{item.accountId}</Link> : item.accountId}
          </TableCell>
          <TableCell>
            <ItemOutcome item={item} />
          </TableCell>
        </TableRow>
      ))}
    </TableBody>
  </Table>
);
