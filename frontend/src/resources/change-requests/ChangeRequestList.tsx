import { DataTable, List, SelectInput } from 'react-admin';
import { CHANGE_REQUEST_STATUSES } from '@custodian/shared';
import type { ChangeRequest } from '../../providers/contracts';
import { CursorPagination } from '../../layout/CursorPagination';
import { formatDateTime } from '../accounts/format';
import { ChangeRequestStatusField } from './ChangeRequestStatusField';

const Column = DataTable.Col<ChangeRequest>;

const STATUS_CHOICES = CHANGE_REQUEST_STATUSES.map((status) => ({ id: status, name: status }));

const filters = [
  <SelectInput key="status" source="status" choices={STATUS_CHOICES} alwaysOn emptyText="Any status" />,
];

/** Change requests, pending ones first by default; a row opens the request and its diff. */
export const ChangeRequestList = () => (
  <List
    filters={filters}
    filterDefaultValues={{ status: 'pending' }}
    perPage={25}
    pagination={<CursorPagination rowsPerPageOptions={[25, 50, 100]} />}
    exporter={false}
    actions={false}
    title="Change requests"
  >
    <DataTable rowClick="show" bulkActionButtons={false}>
      <Column
        source="createdAt"
        label="Requested"
        disableSort
        sx={{ whiteSpace: 'nowrap' }}
        render={(request) => formatDateTime(request.createdAt)}
      />
      <Column source="operation" disableSort />
      <Column label="Account" disableSort render={(request) => request.targetId} />
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
        render={(request) => formatDateTime(request.expiresAt)}
      />
    </DataTable>
  </List>
);
