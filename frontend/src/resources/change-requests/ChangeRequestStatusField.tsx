import { Box, Chip, Tooltip } from '@mui/material';
import { useRecordContext } from 'react-admin';
import type { ChangeRequestStatus } from '@custodian/shared';
import type { ChangeRequest } from '../../providers/contracts';
import { statusLabel } from './requestState';

const COLORS: Record<ChangeRequestStatus, 'info' | 'success' | 'error' | 'default' | 'warning'> = {
  pending: 'info',
  approved: 'success',
  applied: 'success',
  rejected: 'error',
  expired: 'default',
  failed: 'warning',
};

/**
 * The status, and beside a pending request that can no longer apply, a warning chip saying so
 * (its reason on hover): a reviewer scanning the queue sees it before opening the request.
 */
export const ChangeRequestStatusField = (_props: { source?: 'status'; label?: string }) => {
  const request = useRecordContext<ChangeRequest>();
  if (!request?.status) return null;
  return (
    <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap', alignSelf: 'flex-start' }}>
      <Chip
        size="small"
        variant="outlined"
        label={statusLabel(request.status)}
        color={COLORS[request.status] ?? 'default'}
      />
      {request.status === 'pending' && request.applicable === false && (
        <Tooltip title={request.notApplicableBecause ?? ''}>
          <Chip size="small" color="warning" label="Cannot apply" data-testid="not-applicable" />
        </Tooltip>
      )}
    </Box>
  );
};
