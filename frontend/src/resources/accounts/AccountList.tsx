import { Alert } from '@mui/material';
import {
  DataTable,
  List,
  ListNoResults,
  SearchInput,
  SelectInput,
  TextInput,
  useListContext,
} from 'react-admin';
import { Permission, type AccountSummary } from '@custodian/shared';
import { CursorPagination } from '../../layout/CursorPagination';
import { RefusedFilterNotice } from '../../layout/RefusedFilterNotice';
import { RowLink } from '../../layout/RowLink';
import { statusOf } from '../../providers/http';
import { usePermission } from '../policy/usePermission';
import { AccountBulkActions } from './AccountBulkActions';
import { accountFilterProblem, searchHint, validateEmailFilter, validatePhoneFilter } from './filters';
import { RedactedField } from './RedactedField';
import { StatusField } from './StatusField';
import { PLAN_CHOICES, REGION_CHOICES, STATUS_CHOICES, planLabel } from './choices';
import { accountHref, formatDateTime, formatDateTimeOrDash } from './format';

// Timestamps stay on one line.
const NO_WRAP = { whiteSpace: 'nowrap' } as const;

const Column = DataTable.Col<AccountSummary>;

// The filter form hides helper texts, and with them why a value is not applied; this shows the
// error (doubled class: more specific than the form's rule).
const SHOW_ERROR = { '&& .MuiFormHelperText-root.Mui-error': { display: 'block' } } as const;

const accountFilters = [
  <SearchInput key="q" source="q" alwaysOn placeholder="Search by id, handle, name, email or phone" />,
  <SelectInput key="status" source="status" choices={STATUS_CHOICES} alwaysOn />,
  <SelectInput key="plan" source="plan" choices={PLAN_CHOICES} alwaysOn />,
  <SelectInput key="region" source="region" choices={REGION_CHOICES} alwaysOn />,
  // Not always on: the search box takes a whole email or phone too. These show when a link sets
  // them, so the filter can be seen, corrected or removed.
  <TextInput key="email" source="email" label="Exact email" validate={validateEmailFilter} sx={SHOW_ERROR} />,
  <TextInput key="phone" source="phone" label="Exact phone" validate={validatePhoneFilter} sx={SHOW_ERROR} />,
  <RefusedFilterNotice key="refused" source="refused" alwaysOn />,
];

/**
 * Shown in place of the rows when the API refuses or fails the list (the only word on it: no
 * notification repeats it). A 400 means the filters, so it says which and what to do.
 */
const AccountListError = () => {
  const { error, filterValues } = useListContext();
  const message = error instanceof Error ? error.message : 'The accounts could not be loaded.';
  if (statusOf(error) !== 400) return <Alert severity="error">{message}</Alert>;
  return (
    <Alert severity="warning">
      {accountFilterProblem(filterValues) ?? `The search was not accepted: ${message}`}
    </Alert>
  );
};

/**
 * Shown when the search found nothing: why, when the term cannot have been read as meant (too
 * short for a search by part, a phone number without its +), before the usual sentence.
 */
const AccountsEmpty = () => {
  const { filterValues } = useListContext();
  const hint = searchHint(filterValues.q);
  return (
    <>
      {hint && (
        <Alert severity="info" sx={{ m: 2, mb: 0 }}>
          {hint}
        </Alert>
      )}
      <ListNoResults />
    </>
  );
};

const NO_NOTIFICATION = { onError: () => {} };

const AccountPagination = () => <CursorPagination rowsPerPageOptions={[10, 25, 50, 100]} />;

/**
 * Accounts, newest first. Whoever may request bulk operations can select rows and send them to
 * the bulk operations form or copy their ids; for anyone else there are no checkboxes.
 */
export const AccountList = () => {
  const canBulk = usePermission(Permission.BulkOperationCreate);
  return (
    <List
      filters={accountFilters}
      sort={{ field: 'createdAt', order: 'DESC' }}
      perPage={25}
      pagination={<AccountPagination />}
      error={<AccountListError />}
      queryOptions={NO_NOTIFICATION}
      exporter={false}
      // Nothing to create or export, and every filter is always shown: no toolbar buttons.
      actions={false}
    >
      <DataTable
        rowClick="show"
        // `bulkActionButtons` turns the row checkboxes on; the toolbar carries the buttons.
        bulkActionButtons={canBulk}
        bulkActionsToolbar={canBulk ? <AccountBulkActions /> : undefined}
        empty={<AccountsEmpty />}
      >
        <Column
          source="handle"
          render={(record) => <RowLink href={accountHref(String(record.id))}>{record.handle}</RowLink>}
        />
        <Column source="displayName" label="Display name" disableSort />
        <Column source="email" disableSort>
          <RedactedField source="email" />
        </Column>
        <Column source="region" disableSort />
        <Column source="status" disableSort>
          <StatusField />
        </Column>
        <Column source="plan" disableSort render={(record) => planLabel(record.plan)} />
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
};
