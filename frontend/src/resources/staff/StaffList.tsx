import { DataTable, List, SearchInput, SelectInput, useCanAccess } from 'react-admin';
import type { StaffMember } from '@custodian/shared';
import { RowLink } from '../../layout/RowLink';
import { formatDateTimeOrDash } from '../accounts/format';
import { ActiveField, MfaField, RolesField } from './fields';

const Column = DataTable.Col<StaffMember>;
const NO_WRAP = { whiteSpace: 'nowrap' } as const;

const staffFilters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Search by name or email" />,
  <SelectInput
    key="active"
    source="active"
    label="State"
    alwaysOn
    choices={[
      { id: true, name: 'Active' },
      { id: false, name: 'Deactivated' },
    ]}
  />,
];

/** Every staff member with their roles, state and second factor; admins open one to edit it. */
export const StaffList = () => {
  const { canAccess: canEdit } = useCanAccess({ resource: 'staff', action: 'edit' });
  return (
    <List
      title="Staff"
      filters={staffFilters}
      sort={{ field: 'displayName', order: 'ASC' }}
      perPage={50}
      exporter={false}
    >
      <DataTable rowClick={canEdit ? 'edit' : false} bulkActionButtons={false}>
        <Column
          source="displayName"
          label="Name"
          render={(person) =>
            canEdit ? (
              <RowLink href={`#/staff/${encodeURIComponent(person.id)}`}>{person.displayName}</RowLink>
            ) : (
              person.displayName
            )
          }
        />
        <Column source="email" />
        <Column source="roles" disableSort>
          <RolesField />
        </Column>
        <Column source="active" label="State">
          <ActiveField />
        </Column>
        <Column source="mfaEnabled" label="MFA">
          <MfaField />
        </Column>
        <Column
          source="lastLoginAt"
          label="Last sign-in"
          sortByOrder="DESC"
          sx={NO_WRAP}
          render={(person) => formatDateTimeOrDash(person.lastLoginAt)}
        />
      </DataTable>
    </List>
  );
};
