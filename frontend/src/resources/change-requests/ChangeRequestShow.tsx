import { useEffect, useRef, type ReactNode } from 'react';
import { Alert, Box, Divider, Link, Typography } from '@mui/material';
import { Labeled, Show, SimpleShowLayout, useGetIdentity, useRecordContext } from 'react-admin';
import type { OperationParam } from '@custodian/shared';
import type { ChangeRequest } from '../../providers/contracts';
import { formatCents, formatDateTime } from '../accounts/format';
import { DiffTable } from '../audit-events/DiffTable';
import { formatDiffValue, type Changes } from '../audit-events/diff';
import { BULK_PREVIEW_ROWS } from '../bulk-operations/bulkForm';
import { ChangeRequestStatusField } from './ChangeRequestStatusField';
import { BulkItemsTable } from '../bulk-operations/BulkItemsTable';
import { BulkProgressPanel, useBulkProgress } from '../bulk-operations/BulkProgressPanel';
import { DecisionButtons } from './DecisionButtons';
import { TargetField } from './listParts';
import { operationDefinition, requestLabel } from './requestLabel';
import { changesHeading, expiresLabel, failureNotice, notApplicableNotice, paramLabel } from './requestState';

/**
 * The status, which takes the focus when a decision taken on this page ends the request: Approve
 * and Reject go with it, and the focus they held would fall to the top of the page.
 */
const DecidedStatus = ({ status }: { status: ChangeRequest['status'] }) => {
  const ref = useRef<HTMLDivElement>(null);
  const wasPending = useRef(status === 'pending');
  useEffect(() => {
    if (wasPending.current && status !== 'pending' && document.activeElement === document.body) {
      ref.current?.focus();
    }
    wasPending.current = status === 'pending';
  }, [status]);
  return (
    <Box ref={ref} tabIndex={-1} data-testid="request-status">
      <ChangeRequestStatusField />
    </Box>
  );
};

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

/**
 * Once approved, how far the run got (applied, failed, still pending), from the bulk operation's
 * own progress; reviewers with change_request.read and the requester may read it.
 */
const BulkRunProgress = ({ id }: { id: string }) => {
  const { progress, error } = useBulkProgress(id);
  return <BulkProgressPanel progress={progress} error={error} />;
};

/** Statuses of a bulk request that ran, or runs: those with progress to show. */
const RAN = new Set(['approved', 'applied', 'failed']);

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
    // By its handle, as in the lists: an approver sees which customer the change is for.
    return ['Account', <TargetField />];
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
  const { identity } = useGetIdentity();
  if (!request) return null;
  const readerIsRequester = !!identity && String(identity.id) === request.requestedBy.id;
  const notApplicable = notApplicableNotice(request, readerIsRequester);
  const failure = failureNotice(request, readerIsRequester);
  const params = Object.entries(request.params ?? {});
  const definition = operationDefinition(request.operation);
  const facts: [string, ReactNode][] = [
    ['Operation', requestLabel(request)],
    targetFact(request),
    ['Requested by', request.requestedBy.email],
    ['Requested', formatDateTime(request.createdAt)],
    ['Reason', request.reason],
    ['Ticket', request.ticket],
  ];
  const expires = expiresLabel(request);
  if (expires) facts.splice(4, 0, ['Expires', formatDateTime(expires)]);
  // The version the diff was made against: an account's only (a role grant or a bulk has none).
  if (request.targetType === 'account') facts.push(['Account version', request.expectedVersion]);
  if (request.decidedBy) facts.push(['Decided by', request.decidedBy.email]);
  if (request.decidedAt) facts.push(['Decided', formatDateTime(request.decidedAt)]);
  if (request.comment) facts.push(['Comment', request.comment]);
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2, width: '100%' }}>
      <DecisionButtons />
      {notApplicable && (
        <Alert severity="warning" data-testid="not-applicable-notice">
          {notApplicable}
        </Alert>
      )}
      {failure && (
        <Alert severity="warning" data-testid="failure-notice">
          {failure}
        </Alert>
      )}
      <Box
        sx={{
          display: 'grid',
          gridTemplateColumns: 'repeat(auto-fill, minmax(240px, 1fr))',
          columnGap: 3,
          rowGap: 1.5,
        }}
      >
        <Labeled label="Status">
          <DecidedStatus status={request.status} />
        </Labeled>
        {facts.map(([label, value]) => (
          <Labeled key={label} label={label}>
            <Text>{value}</Text>
          </Labeled>
        ))}
        {params.map(([name, value]) => {
          const param = definition?.params.find((p) => p.name === name);
          return (
            <Labeled key={`param-${name}`} label={param?.label ?? paramLabel(request, name)}>
              <Text>{formatParam(param, value)}</Text>
            </Labeled>
          );
        })}
      </Box>
      <Divider />
      {request.targetType === 'bulk' && RAN.has(request.status) && <BulkRunProgress id={request.id} />}
      <Typography variant="subtitle2" color="text.secondary" data-testid="changes-heading">
        {changesHeading(request.status)}
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
