import { Chip, Tooltip } from '@mui/material';
import { useQuery } from '@tanstack/react-query';
import { useDataProvider } from 'react-admin';
import { Permission } from '@custodian/shared';
import type { CustodianDataProvider } from '../../providers/dataProvider';
import { usePermission } from '../policy/usePermission';
import { chainLabel } from './chainStatus';

/**
 * Verifies the hash chain of the whole log and says how it stands and when it was checked. It is
 * a react-admin query, so the app bar's refresh (which invalidates every query) verifies it again
 * along with the list; a click on the badge verifies it again on its own.
 */
export const ChainStatus = () => {
  const allowed = usePermission(Permission.AuditVerify);
  const dataProvider = useDataProvider<CustodianDataProvider>();
  const { data, error, isPending, isFetching, dataUpdatedAt, refetch } = useQuery({
    queryKey: ['audit-chain'],
    queryFn: () => dataProvider.verifyAuditChain(),
    enabled: allowed,
    // An earlier visit's result is never shown as current: each visit verifies anew.
    staleTime: 0,
    gcTime: 0,
  });
  if (!allowed) return null;
  if (isPending || (isFetching && !data)) {
    return <Chip size="small" variant="outlined" label="Verifying the chain…" data-testid="chain-status" />;
  }
  const verify = () => void refetch();
  if (error || !data) {
    return (
      <Chip
        size="small"
        color="warning"
        label={`Chain not verified: ${error?.message ?? 'no answer'}`}
        onClick={verify}
        data-testid="chain-status"
      />
    );
  }
  return (
    <Tooltip
      title={
        isFetching
          ? 'Verifying again…'
          : `${data.checked} events checked; head hash ${data.headHash}. Click to verify again.`
      }
    >
      <Chip
        size="small"
        color={data.valid ? 'success' : 'error'}
        label={chainLabel(data, dataUpdatedAt)}
        onClick={verify}
        aria-busy={isFetching}
        data-testid="chain-status"
      />
    </Tooltip>
  );
};
