import { Link, Table, TableBody, TableCell, TableHead, TableRow, Typography } from '@mui/material';
import type { BulkItem } from '../../providers/dataProvider';
import { DiffTable } from '../audit-events/DiffTable';
import { BULK_PREVIEW_ROWS } from './bulkForm';

/**
 * The accounts of a bulk operation, the first BULK_PREVIEW_ROWS of them: each one's diff, or why
 * it does not run. The same table on the preview and on the change request an approver reads.
 */
export const BulkItemsTable = ({
  items,
  linkAccounts = false,
}: {
  items: Array<BulkItem & { status?: string }>;
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
            {linkAccounts ? (
              <Link href={`#/accounts/${encodeURIComponent(item.accountId)}/show`}>{item.accountId}</Link>
            ) : (
              item.accountId
            )}
          </TableCell>
          <TableCell>
            {item.changes ? (
              <DiffTable changes={item.changes} />
            ) : (
              <Typography variant="body2" color="text.secondary">
                Not changed: {item.skip ?? item.status ?? 'not applicable'}
              </Typography>
            )}
          </TableCell>
        </TableRow>
      ))}
    </TableBody>
  </Table>
);
