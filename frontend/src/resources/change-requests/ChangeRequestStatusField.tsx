import { Chip } from '@mui/material';
import { useRecordContext } from 'react-admin';
import type { ChangeRequestStatus } from '@custodian/shared';
import type { ChangeRequest } from '../../providers/contracts';

const COLORS: Record<ChangeRequestStatus, 'info' | 'success' | 'error' | 'default' | 'warning'> = {
  pending: 'info',
  approved: 'success',
  applied: 'success',
  rejected: 'error',
  expired: 'default',
  failed: 'warning',
};

export const ChangeRequestStatusField = (_props: { source?: 'status'; label?: string }) => {
  const request = useRecordContext<ChangeRequest>();
  if (!request?.status) return null;
  return (
    <Chip
      size="small"
      variant="outlined"
      label={request.status}
      color={COLORS[request.status] ?? 'default'}
      sx={{ alignSelf: 'flex-start' }}
    />
  );
};
