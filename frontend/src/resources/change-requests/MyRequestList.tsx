import { Typography } from '@mui/material';
import { DataTable, List } from 'react-admin';
import type { ChangeRequest } from '../../providers/contracts';
import { CursorPagination } from '../../layout/CursorPagination';
import { formatDateTime } from '../accounts/format';
import { ChangeRequestStatusField } from './ChangeRequestStatusField';
import { RequestColumns, requestFilters } from './listParts';

const Column = DataTable.Col<ChangeRequest>;

/** When it was decided, or until when it waits: what a requester asks of a request. */
function outcomeTime(request: ChangeRequest): string {
  if (request.decidedAt) return formatDateTime(request.decidedAt);
  return request.status === 'pending' ? `waits until ${formatDateTime(request.expiresAt)}` : '—';
}

const NoRequests = () => (
  <Typography variant="body2" color="text.secondary" sx={{ p: 2 }} data-testid="no-requests">
    No change requests of yours here. Operations that need a second person&apos;s approval are listed here
    once you request them.
  </Typography>
);

/**
 * The change requests the signed-in person filed, newest first and in every status (a requester
 * wants to know how theirs ended, not only what still waits); a row opens the request.
 */
export const MyRequestList = () => (
  <List
    empty={false}
    filters={requestFilters}
    perPage={25}
    pagination={<CursorPagination rowsPerPageOptions={[25, 50, 100]} />}
    exporter={false}
    actions={false}
    title="My requests"
  >
    <DataTable rowClick="show" bulkActionButtons={false} empty={<NoRequests />}>
      <RequestColumns />
      <Column source="reason" disableSort />
      <Column source="status" disableSort>
        <ChangeRequestStatusField />
      </Column>
      <Column label="Decided by" disableSort render={(request) => request.decidedBy?.email ?? '—'} />
      <Column
        label="Decided or expires"
        disableSort
        sx={{ whiteSpace: 'nowrap' }}
        render={(request) => outcomeTime(request)}
      />
    </DataTable>
  </List>
);
