import { Box, Chip, Typography } from '@mui/material';
import { useRecordContext } from 'react-admin';
import type { CustomerSession } from '@custodian/shared';
import { sessionStatus } from './format';

/**
 * A session's status as a chip like the account's own, with the revocation time beside it. Put it
 * inside a RedactedField on `revokedAt`: a time the reader may not see must not read as "Active".
 */
export const SessionStatusField = () => {
  const session = useRecordContext<CustomerSession>();
  if (!session) return null;
  const { label, at } = sessionStatus(session.revokedAt);
  return (
    <Box component="span" sx={{ display: 'inline-flex', alignItems: 'center', gap: 1 }}>
      <Chip
        label={label}
        color={label === 'Active' ? 'success' : 'default'}
        size="small"
        variant="outlined"
      />
      {at && (
        <Typography component="span" variant="body2" sx={{ color: 'text.secondary' }}>
          {at}
        </Typography>
      )}
    </Box>
  );
};
