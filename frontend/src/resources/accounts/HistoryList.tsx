import { Typography } from '@mui/material';
import { DataTable, ReferenceManyField } from 'react-admin';
import type { AuditEvent } from '@custodian/shared';
import { CursorPagination } from '../../layout/CursorPagination';
import { actorLabel } from '../audit-events/actor';
import { AuditEventSummary } from '../audit-events/AuditEventSummary';
import { OutcomeField } from '../audit-events/OutcomeField';
import { formatDateTime } from './format';

const Column = DataTable.Col<AuditEvent>;

/** The account's audit events, newest first; a row expands to its reason and before/after diff. */
export const HistoryList = (_props: { label?: false }) => (
  <ReferenceManyField
    reference="history"
    target="accountId"
    perPage={25}
    pagination={<CursorPagination rowsPerPageOptions={[10, 25, 50]} />}
  >
    <DataTable
      empty={
        <Typography variant="body2" sx={{ color: 'text.secondary', px: 2, py: 2 }}>
          Nothing recorded for this account yet.
        </Typography>
      }
      bulkActionButtons={false}
      rowClick="expand"
      expand={<AuditEventSummary />}
      data-testid="history"
    >
      <Column source="seq" label="#" disableSort />
      <Column
        source="occurredAt"
        label="When"
        disableSort
        sx={{ whiteSpace: 'nowrap' }}
        render={(event) => formatDateTime(event.occurredAt)}
      />
      <Column source="action" disableSort />
      <Column label="Actor" disableSort render={(event) => actorLabel(event.actor)} />
      <Column source="outcome" disableSort>
        <OutcomeField />
      </Column>
      <Column source="reason" disableSort render={(event) => event.reason ?? '—'} />
    </DataTable>
  </ReferenceManyField>
);
