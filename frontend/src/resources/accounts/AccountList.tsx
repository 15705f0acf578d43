import { DataTable, List, SearchInput, SelectInput } from 'react-admin';
import type { AccountSummary } from '@custodian/shared';
import { CursorPagination } from '../../layout/CursorPagination';
import { RedactedField } from './RedactedField';
import { StatusField } from './StatusField';
import { PLAN_CHOICES, REGION_CHOICES, STATUS_CHOICES } from './choices';
import { capitalize, formatDateTime, formatDateTimeOrDash } from './format';

// Timestamps stay on one line.
const NO_WRAP = { whiteSpace: 'nowrap' } as const;

const Column = DataTable.Col<AccountSummary>;

const accountFilters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Search by id, handle, name, email or phone" />,
  <SelectInput key="status" source="status" choices={STATUS_CHOICES} alwaysOn />,
  <SelectInput key="plan" source="plan" choices={PLAN_CHOICES} alwaysOn />,
  <SelectInput key="region" source="region" choices={REGION_CHOICES} alwaysOn />,
];

const AccountPagination = () => <CursorPagination rowsPerPageOptions={[10, 25, 50, 100]} />;

export const AccountList = () => (
  <List
    filters={accountFilters}
    sort={{ field: 'createdAt', order: 'DESC' }}
    perPage={25}
    pagination={<AccountPagination />}
    exporter={false}
    // Nothing to create or export, and every filter is always shown: no toolbar buttons.
    actions={false}
  >
    <DataTable rowClick="show" bulkActionButtons={false}>
      <Column source="handle" />
      <Column source="displayName" label="Display name" disableSort />
      <Column source="email" disableSort>
        <RedactedField source="email" />
      </Column>
      <Column source="region" disableSort />
      <Column source="status" disableSort>
        <StatusField />
      </Column>
      <Column source="plan" disableSort render={(record) => capitalize(record.plan)} />
      <Column
        source="createdAt"
        label="Created"
        sx={NO_WRAP}
        render={(record) => formatDateTime(record.createdAt)}
      />
      <Column
        source="lastLoginAt"
        label="Last login"
        sortByOrder="DESC"
        sx={NO_WRAP}
        render={(record) => formatDateTimeOrDash(record.lastLoginAt)}
      />
    </DataTable>
  </List>
);
