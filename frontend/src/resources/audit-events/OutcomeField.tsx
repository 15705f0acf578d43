import { Chip } from '@mui/material';
import { useRecordContext } from 'react-admin';
import type { AuditEvent, AuditOutcomeName } from '@custodian/shared';

const COLORS: Record<AuditOutcomeName, 'success' | 'error' | 'warning' | 'info'> = {
  success: 'success',
  denied: 'error',
  error: 'warning',
  pending: 'info',
};

export const OutcomeField = (_props: { source?: 'outcome'; label?: string }) => {
  const event = useRecordContext<AuditEvent>();
  if (!event?.outcome) return null;
  return (
    <Chip
      label={event.outcome}
      size="small"
      variant="outlined"
      color={COLORS[event.outcome] ?? 'default'}
      sx={{ alignSelf: 'flex-start' }}
    />
  );
};
