import { DataTable, SelectInput } from 'react-admin';
import { CHANGE_REQUEST_STATUSES } from '@custodian/shared';
import type { ChangeRequest } from '../../providers/contracts';
import { formatDateTime } from '../accounts/format';
import { requestLabel, requestTarget } from './requestLabel';
import { statusLabel } from './requestState';

/*
 * What the reviewers' queue and a requester's own list show alike: the status filter and the
 * columns that say when a request was made and what it would do.
 */

const Column = DataTable.Col<ChangeRequest>;

const STATUS_CHOICES = CHANGE_REQUEST_STATUSES.map((status) => ({ id: status, name: statusLabel(status) }));

export const requestFilters = [
  <SelectInput key="status" source="status" choices={STATUS_CHOICES} alwaysOn emptyText="Any status" />,
];

/** Requested, operation and target: the first columns of both lists. */
export const RequestColumns = () => (
  <>
    <Column
      source="createdAt"
      label="Requested"
      disableSort
      sx={{ whiteSpace: 'nowrap' }}
      render={(request) => formatDateTime(request.createdAt)}
    />
    <Column source="operation" disableSort render={(request) => requestLabel(request)} />
    <Column label="Target" disableSort render={(request) => requestTarget(request)} />
  </>
);
