import { Chip, Tooltip } from '@mui/material';
import { useDataProvider } from 'react-admin';
import { Permission } from '@custodian/shared';
import type { CustodianDataProvider } from '../../providers/dataProvider';
import { useCustodianQuery } from '../../providers/useCustodianQuery';
import { usePermission } from '../policy/usePermission';

/** Verifies the hash chain of the whole log once per page visit and says how it stands. */
export const ChainStatus = () => {
  const allowed = usePermission(Permission.AuditVerify);
  const dataProvider = useDataProvider<CustodianDataProvider>();
  const { data, error, isPending } = useCustodianQuery(allowed ? 'audit-chain' : null, () =>
    dataProvider.verifyAuditChain(),
  );
  if (!allowed) return null;
  if (isPending) return <Chip size="small" variant="outlined" label="Verifying the chain…" />;
  if (error || !data) {
    return (
      <Chip size="small" color="warning" label={`Chain not verified: ${error?.message ?? 'no answer'}`} />
    );
  }
  if (data.valid) {
    return (
      <Tooltip title={`${data.checked} events checked; head hash ${data.headHash}`}>
        <Chip
          size="small"
          color="success"
          label={`Verified up to #${data.headSeq}`}
          data-testid="chain-status"
        />
      </Tooltip>
    );
  }
  return (
    <Chip
      size="small"
      color="error"
      label={`Broken at #${data.firstInvalidSeq ?? '?'}${data.problem ? `: ${data.problem}` : ''}`}
      data-testid="chain-status"
    />
  );
};
