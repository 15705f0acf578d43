import type { ReactNode } from 'react';
import { Box, Divider, Typography } from '@mui/material';
import { Labeled, Show, SimpleShowLayout, useRecordContext } from 'react-admin';
import { auditActionDefinition, type AuditEvent } from '@custodian/shared';
import { formatDateTime } from '../accounts/format';
import { actorDescription } from './actor';
import { DiffTable } from './DiffTable';
import { OutcomeField } from './OutcomeField';
import { TargetLink } from './TargetLink';

const Value = ({ children, mono = false }: { children: ReactNode; mono?: boolean }) => (
  <Typography
    component="span"
    variant="body2"
    sx={mono ? { fontFamily: 'monospace', fontSize: '0.8rem', wordBreak: 'break-all' } : undefined}
  >
    {children === null || children === undefined || children === '' ? '—' : children}
  </Typography>
);

const EventDetails = () => {
  const event = useRecordContext<AuditEvent>();
  if (!event) return null;
  const facts: [string, ReactNode, boolean?][] = [
    ['Sequence', `#${event.seq}`],
    ['When', formatDateTime(event.occurredAt)],
    ['Action', event.action],
    ['Meaning', auditActionDefinition(event.action)?.description],
    ['Actor', actorDescription(event.actor)],
    ['Actor roles', event.actor.roles?.join(', ')],
    ['Target', event.target ? <TargetLink target={event.target} /> : null, true],
    ['Reason', event.reason],
    ['Ticket', event.ticket],
    ['Request id', event.requestId, true],
    ['IP', event.ip],
    ['User agent', event.userAgent],
  ];
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2, width: '100%' }}>
      <Box
        sx={{
          display: 'grid',
          gridTemplateColumns: 'repeat(auto-fill, minmax(240px, 1fr))',
          columnGap: 3,
          rowGap: 1.5,
        }}
      >
        {facts.map(([label, value, mono]) => (
          <Labeled key={label} label={label}>
            <Value mono={mono}>{value}</Value>
          </Labeled>
        ))}
        <Labeled label="Outcome">
          <OutcomeField />
        </Labeled>
      </Box>
      <Divider />
      <Typography variant="subtitle2" color="text.secondary">
        Changes
      </Typography>
      <DiffTable changes={event.changes} />
      {event.details && Object.keys(event.details).length > 0 && (
        <>
          <Typography variant="subtitle2" color="text.secondary">
            Details
          </Typography>
          <Value mono>{JSON.stringify(event.details, null, 2)}</Value>
        </>
      )}
      <Divider />
      <Labeled label="Previous hash">
        <Value mono>{event.prevHash}</Value>
      </Labeled>
      <Labeled label="Hash">
        <Value mono>{event.hash}</Value>
      </Labeled>
    </Box>
  );
};

const EventTitle = () => {
  const event = useRecordContext<AuditEvent>();
  return <span>{event ? `Audit event #${event.seq}: ${event.action}` : 'Audit event'}</span>;
};

export const AuditEventShow = () => (
  <Show title={<EventTitle />} actions={false}>
    <SimpleShowLayout>
      <EventDetails />
    </SimpleShowLayout>
  </Show>
);
