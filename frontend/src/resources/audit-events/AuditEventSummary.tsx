import { Box, Typography } from '@mui/material';
import { useRecordContext } from 'react-admin';
import type { AuditEvent } from '@custodian/shared';
import { DiffTable } from './DiffTable';

const Line = ({ label, value }: { label: string; value: string | null | undefined }) =>
  value ? (
    <Typography variant="body2">
      <Box component="span" sx={{ color: 'text.secondary', mr: 1 }}>
        {label}
      </Box>
      {value}
    </Typography>
  ) : null;

/** What an event says beyond its row: why, the ticket, and its before/after diff. */
export const AuditEventSummary = () => {
  const event = useRecordContext<AuditEvent>();
  if (!event) return null;
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1, py: 1 }}>
      <Line label="Reason" value={event.reason} />
      <Line label="Ticket" value={event.ticket} />
      <Line label="Actor roles" value={event.actor.roles?.join(', ')} />
      <DiffTable changes={event.changes} />
      {event.details && Object.keys(event.details).length > 0 && (
        <Typography
          variant="body2"
          component="pre"
          sx={{ fontFamily: 'monospace', fontSize: '0.75rem', m: 0, whiteSpace: 'pre-wrap' }}
        >
          {JSON.stringify(event.details, null, 2)}
        </Typography>
      )}
    </Box>
  );
};
