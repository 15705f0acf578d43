import type { ReactNode } from 'react';
import { Alert, Box, Divider, Link, Typography } from '@mui/material';
import { Labeled, Show, SimpleShowLayout, useRecordContext } from 'react-admin';
import {
  isOperationName,
  OPERATIONS,
  type OperationDefinition,
  type OperationParam,
} from '@custodian/shared';
import type { ChangeRequest } from '../../providers/contracts';
import { formatCents, formatDateTime } from '../accounts/format';
import { DiffTable } from '../audit-events/DiffTable';
import { formatDiffValue } from '../audit-events/diff';
import { ChangeRequestStatusField } from './ChangeRequestStatusField';
import { DecisionButtons } from './DecisionButtons';

const Text = ({ children }: { children: ReactNode }) => (
  <Typography component="span" variant="body2">
    {children === null || children === undefined || children === '' ? '—' : children}
  </Typography>
);

/** The catalogue's entry for an operation name; undefined for a name it does not list. */
function operationDefinition(name: string): OperationDefinition | undefined {
  return isOperationName(name) ? OPERATIONS[name] : undefined;
}

/** A parameter as the approver reads it: an amount in cents also as money. */
function formatParam(param: OperationParam | undefined, value: unknown): string {
  if (param?.type === 'cents' && typeof value === 'number') return `${formatCents(value)} (${value} cents)`;
  return formatDiffValue(value);
}

const RequestDetails = () => {
  const request = useRecordContext<ChangeRequest>();
  if (!request) return null;
  const params = Object.entries(request.params ?? {});
  const definition = operationDefinition(request.operation);
  const facts: [string, ReactNode][] = [
    ['Operation', definition?.label ?? request.operation],
    [
      'Account',
      request.targetType === 'account' ? (
        <Link href={`#/accounts/${encodeURIComponent(request.targetId)}/show`}>{request.targetId}</Link>
      ) : (
        `${request.targetType} ${request.targetId}`
      ),
    ],
    ['Requested by', request.requestedBy.email],
    ['Requested', formatDateTime(request.createdAt)],
    ['Expires', formatDateTime(request.expiresAt)],
    ['Reason', request.reason],
    ['Ticket', request.ticket],
    ['Account version', request.expectedVersion],
  ];
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
      <DiffTable changes={request.changes} />
    </Box>
  );
};

const RequestTitle = () => {
  const request = useRecordContext<ChangeRequest>();
  const label = request && (operationDefinition(request.operation)?.label ?? request.operation);
  return <span>{label ? `Change request: ${label}` : 'Change request'}</span>;
};

export const ChangeRequestShow = () => (
  <Show title={<RequestTitle />} actions={false}>
    <SimpleShowLayout>
      <RequestDetails />
    </SimpleShowLayout>
  </Show>
);
