import type { ReactNode } from 'react';
import { Alert, Box, Divider, Link, Typography } from '@mui/material';
import { Labeled, Show, SimpleShowLayout, useRecordContext } from 'react-admin';
import type { OperationParam } from '@custodian/shared';
import type { ChangeRequest } from '../../providers/contracts';
import { formatCents, formatDateTime } from '../accounts/format';
import { DiffTable } from '../audit-events/DiffTable';
import { formatDiffValue, type Changes } from '../audit-events/diff';
import { BULK_PREVIEW_ROWS } from '../bulk-operations/bulkForm';
import { ChangeRequestStatusField } from './ChangeRequestStatusField';
import { BulkItemsTable } from '../bulk-operations/BulkItemsTable';
import { DecisionButtons } from './DecisionButtons';
import { operationDefinition, requestLabel } from './requestLabel';

const Text = ({ children }: { children: ReactNode }) => (
  <Typography component="span" variant="body2">
    {children === null || children === undefined || children === '' ? '—' : children}
  </Typography>
);

/** A parameter as the approver reads it: an amount in cents also as money. */
function formatParam(param: OperationParam | undefined, value: unknown): string {
  if (param?.type === 'cents' && typeof value === 'number') return `${formatCents(value)} (${value} cents)`;
  return formatDiffValue(value);
}

/** A bulk request's detail adds its counts and, per account, the diff or why it will not run. */
type BulkChangeRequest = ChangeRequest & {
  summary?: { total: number | null; applicable: number | null; skipped: number | null };
  items?: { accountId: string; status: string; changes?: Changes; skip?: string }[];
};

const BulkItems = ({ request }: { request: BulkChangeRequest }) => {
  const items = request.items ?? [];
  const { total, applicable, skipped } = request.summary ?? {};
  return (
    <>
      <Typography variant="body2" data-testid="bulk-summary">
        Total {total ?? '—'} · {applicable ?? '—'} applicable · {skipped ?? '—'} skipped
        {items.length > BULK_PREVIEW_ROWS &&
          ` · showing the first ${BULK_PREVIEW_ROWS} of ${items.length} accounts`}
      </Typography>
      <BulkItemsTable items={items} linkAccounts />
    </>
  );
};

/** Where the request's target is shown: an account, a staff member, or (bulk) the list below. */
function targetFact(request: ChangeRequest): [string, ReactNode] {
  if (request.targetType === 'account') {
    return [
      'Account',
      <Link href={`#/accounts/${encodeURIComponent(request.targetId)}/show`}>{request.targetId}</Link>,
    ];
  }
  if (request.targetType === 'staff') {
    return [
      'Staff member',
      <Link href={`#/staff/${encodeURIComponent(request.targetId)}`}>{request.targetId}</Link>,
    ];
  }
  return ['Target', `${request.targetType} ${request.targetId}`];
}

/**
 * An approved bulk request is applied in batches after the approval answers: until it ends
 * (applied or failed) the page asks again each second, so it does not say "approved" for good.
 */
function whileApplying(query: { state: { data?: unknown } }): number | false {
  return (query.state.data as ChangeRequest | undefined)?.status === 'approved' ? 1000 : false;
}

const RequestDetails = () => {
  const request = useRecordContext<BulkChangeRequest>();
  if (!request) return null;
  const params = Object.entries(request.params ?? {});
  const definition = operationDefinition(request.operation);
  const facts: [string, ReactNode][] = [
    ['Operation', requestLabel(request)],
    targetFact(request),
    ['Requested by', request.requestedBy.email],
    ['Requested', formatDateTime(request.createdAt)],
    ['Expires', formatDateTime(request.expiresAt)],
    ['Reason', request.reason],
    ['Ticket', request.ticket],
  ];
  // The version the diff was made against: an account's only (a role grant or a bulk has none).
  if (request.targetType === 'account') facts.push(['Account version', request.expectedVersion]);
  if (request.decidedBy) facts.push(['Decided by', request.decidedBy.email]);
  if (request.decidedAt) facts.push(['Decided', formatDateTime(request.decidedAt)]);
  if (request.comment) facts.push(['Comment', request.comment]);
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2, width: '100%' }}>
      <DecisionButtons />
      {request.failure && <Alert severity="warning">Applying it failed: {request.failure}</Alert>}
      <Box
        sx={{
          display: 'grid',
          gridTemplateColumns: 'repeat(auto-fill, minmax(240px, 1fr))',
          columnGap: 3,
          rowGap: 1.5,
        }}
      >
        <Labeled label="Status">
          <ChangeRequestStatusField />
        </Labeled>
        {facts.map(([label, value]) => (
          <Labeled key={label} label={label}>
            <Text>{value}</Text>
          </Labeled>
        ))}
        {params.map(([name, value]) => {
          const param = definition?.params.find((p) => p.name === name);
          return (
            <Labeled key={`param-${name}`} label={param?.label ?? `Parameter: ${name}`}>
              <Text>{formatParam(param, value)}</Text>
            </Labeled>
          );
        })}
      </Box>
      <Divider />
      <Typography variant="subtitle2" color="text.secondary">
        What approving changes
      </Typography>
      {request.targetType === 'bulk' ? (
        <BulkItems request={request} />
      ) : (
        <DiffTable changes={request.changes} />
      )}
    </Box>
  );
};

const RequestTitle = () => {
  const request = useRecordContext<ChangeRequest>();
  return <span>{request ? `Change request: ${requestLabel(request)}` : 'Change request'}</span>;
};

export const ChangeRequestShow = () => (
  <Show title={<RequestTitle />} actions={false} queryOptions={{ refetchInterval: whileApplying }}>
    <SimpleShowLayout>
      <RequestDetails />
    </SimpleShowLayout>
  </Show>
);
