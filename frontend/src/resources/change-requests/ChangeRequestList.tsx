import { Alert, Typography } from '@mui/material';
import { DataTable, List, useListContext, usePermissions } from 'react-admin';
import { Permission } from '@custodian/shared';
import type { ChangeRequest } from '../../providers/contracts';
import { CursorPagination } from '../../layout/CursorPagination';
import { formatDateTime } from '../accounts/format';
import { ChangeRequestStatusField } from './ChangeRequestStatusField';
import { RequestColumns, requestFilters } from './listParts';
import { emptyQueueText, expiresLabel } from './requestState';

const Column = DataTable.Col<ChangeRequest>;

/**
 * Said above the list to whoever may read role grants but not account changes (an auditor, an
 * admin): the server lists only those, and an empty queue must not read as "nothing is pending".
 */
const RoleGrantsOnly = () => {
  const { permissions } = usePermissions<Permission[]>();
  if (!permissions || permissions.includes(Permission.ChangeRequestRead)) return null;
  return (
    <Alert severity="info" sx={{ mb: 1 }}>
      You see role grants only. Account changes are decided by supervisors.
    </Alert>
  );
};

/** An empty queue, in words that fit its status filter (not react-admin's "clear filters"). */
const EmptyQueue = () => {
  const { filterValues } = useListContext();
  return (
    <Typography variant="body2" color="text.secondary" sx={{ p: 2 }} data-testid="empty-queue">
      {emptyQueueText((filterValues as { status?: string }).status)}
    </Typography>
  );
};

/** Change requests, pending ones first by default; a row opens the request and its diff. */
export const ChangeRequestList = () => (
  <List
    empty={false}
    filters={requestFilters}
    filterDefaultValues={{ status: 'pending' }}
    perPage={25}
    pagination={<CursorPagination rowsPerPageOptions={[25, 50, 100]} />}
    exporter={false}
    actions={false}
    title="Change requests"
  >
    <RoleGrantsOnly />
    <DataTable rowClick="show" bulkActionButtons={false} empty={<EmptyQueue />}>
      <RequestColumns />
      <Column label="Requested by" disableSort render={(request) => request.requestedBy.email} />
      <Column source="reason" disableSort />
      <Column source="status" disableSort>
        <ChangeRequestStatusField />
      </Column>
      <Column
        source="expiresAt"
        label="Expires"
        disableSort
        sx={{ whiteSpace: 'nowrap' }}
        render={(request) => {
          const expires = expiresLabel(request);
          return expires ? formatDateTime(expires) : '—';
        }}
      />
    </DataTable>
  </List>
);
