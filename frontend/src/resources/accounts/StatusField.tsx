import { Chip } from '@mui/material';
import { useRecordContext } from 'react-admin';
import type { AccountStatus, AccountSummary } from '@custodian/shared';
import { capitalize } from './format';

const COLORS: Record<AccountStatus, 'success' | 'warning' | 'default'> = {
  active: 'success',
  suspended: 'warning',
  closed: 'default',
};

export const StatusField = (_props: { source?: 'status'; label?: string }) => {
  const record = useRecordContext<AccountSummary>();
  if (!record?.status) return null;
  return (
    <Chip
      label={capitalize(record.status)}
      color={COLORS[record.status] ?? 'default'}
      size="small"
      variant="outlined"
      sx={{ alignSelf: 'flex-start' }}
    />
  );
};
