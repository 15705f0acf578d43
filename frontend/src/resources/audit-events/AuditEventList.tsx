import { useEffect } from 'react';
import { useFormContext, useWatch } from 'react-hook-form';
import { Button, CardContent, Typography } from '@mui/material';
import {
  AutocompleteInput,
  DataTable,
  DateInput,
  List,
  SelectInput,
  TextInput,
  TopToolbar,
  useGetList,
  useListContext,
} from 'react-admin';
import {
  AUDIT_OUTCOMES,
  AUDIT_TARGET_TYPES,
  Permission,
  type AuditEvent,
  type StaffMember,
} from '@custodian/shared';
import { CursorPagination } from '../../layout/CursorPagination';
import { RefusedFilterNotice } from '../../layout/RefusedFilterNotice';
import { formatDateTime } from '../accounts/format';
import { usePermission } from '../policy/usePermission';
import { ActionInput } from './ActionInput';
import { NO_MATCHING_EVENTS, validateDateRange, validateTargetId } from './auditFilters';
import { AuditEventSummary } from './AuditEventSummary';
import { ChainStatus } from './ChainStatus';
import { ExportButtons } from './ExportButtons';
import { actorLabel } from './actor';
import { OutcomeField } from './OutcomeField';
import { TargetLink } from './TargetLink';

const Column = DataTable.Col<AuditEvent>;

const OUTCOME_CHOICES = AUDIT_OUTCOMES.map((outcome) => ({ id: outcome, name: outcome }));
const TARGET_TYPE_CHOICES = AUDIT_TARGET_TYPES.map((type) => ({ id: type, name: type }));

/**
 * The actor filter: a pick list of staff emails for those who may read the staff list, a free
 * email field for anyone else. Either way it filters by exact email.
 */
const ActorInput = (props: { source: string; alwaysOn?: boolean; label?: string }) => {
  const canReadStaff = usePermission(Permission.StaffRead);
  const { data: staff } = useGetList<StaffMember>(
    'staff',
    { pagination: { page: 1, perPage: 1000 }, sort: { field: 'email', order: 'ASC' } },
    { enabled: canReadStaff },
  );
  if (!staff) return <TextInput {...props} type="email" />;
  return (
    <AutocompleteInput
      {...props}
      choices={staff.map((member) => ({ id: member.email, name: member.email }))}
      sx={{ minWidth: 240 }}
    />
  );
};

/** react-admin's filter form hides helper texts; a filter it refuses must say why. */
const SHOW_ERROR = { '& .MuiFormHelperText-root.Mui-error': { display: 'block' } };

/**
 * One end of the date range. Each end is checked against the other, so when one end changes the
 * other is checked again: its message must not outlive the range it was about.
 */
const RangeDateInput = (props: { source: 'from' | 'to'; label: string; alwaysOn?: boolean }) => {
  const other = props.source === 'from' ? 'to' : 'from';
  const otherValue: unknown = useWatch({ name: other });
  const { trigger, getFieldState } = useFormContext();
  useEffect(() => {
    if (getFieldState(props.source).invalid) void trigger(props.source);
  }, [otherValue, props.source, trigger, getFieldState]);
  return <DateInput {...props} validate={validateDateRange} sx={SHOW_ERROR} />;
};

/** The list when nothing matches: says so, and offers to drop the filters. */
const NoMatchingEvents = () => {
  const { setFilters } = useListContext();
  return (
    <CardContent>
      <Typography variant="body2" data-testid="audit-empty">
        {NO_MATCHING_EVENTS}{' '}
        <Button size="small" onClick={() => setFilters({}, [])}>
          Clear filters
        </Button>
      </Typography>
    </CardContent>
  );
};

const auditFilters = [
  <ActorInput key="actorEmail" source="actorEmail" label="Actor email" alwaysOn />,
  <ActionInput key="action" source="action" label="Action" alwaysOn />,
  <SelectInput
    key="targetType"
    source="targetType"
    label="Target type"
    choices={TARGET_TYPE_CHOICES}
    alwaysOn
  />,
  <TextInput
    key="targetId"
    source="targetId"
    label="Target id"
    validate={validateTargetId}
    sx={SHOW_ERROR}
    alwaysOn
  />,
  <SelectInput key="outcome" source="outcome" choices={OUTCOME_CHOICES} alwaysOn />,
  <RangeDateInput key="from" source="from" label="From" alwaysOn />,
  <RangeDateInput key="to" source="to" label="To (inclusive)" alwaysOn />,
  <TextInput key="q" source="q" label="Reason contains" alwaysOn />,
  <RefusedFilterNotice key="refused" source="refused" alwaysOn />,
];

const AuditActions = () => (
  <TopToolbar sx={{ alignItems: 'center' }}>
    <ChainStatus />
    <ExportButtons />
  </TopToolbar>
);

/** The audit log, newest first, cursor-paged; a row expands to its diff, or opens the event. */
export const AuditEventList = () => (
  <List
    filters={auditFilters}
    actions={<AuditActions />}
    perPage={25}
    pagination={<CursorPagination rowsPerPageOptions={[25, 50, 100]} />}
    exporter={false}
    title="Audit log"
  >
    <DataTable
      rowClick="show"
      bulkActionButtons={false}
      expand={<AuditEventSummary />}
      empty={<NoMatchingEvents />}
    >
      <Column source="seq" label="#" disableSort />
      <Column
        source="occurredAt"
        label="When"
        disableSort
        sx={{ whiteSpace: 'nowrap' }}
        render={(event) => formatDateTime(event.occurredAt)}
      />
      <Column label="Actor" disableSort render={(event) => actorLabel(event.actor)} />
      <Column source="action" disableSort />
      <Column label="Target" disableSort render={(event) => <TargetLink target={event.target} />} />
      <Column source="outcome" disableSort>
        <OutcomeField />
      </Column>
      <Column source="reason" disableSort render={(event) => event.reason ?? '—'} />
    </DataTable>
  </List>
);
