import { useState } from 'react';
import { Box, Button, Tooltip, Typography } from '@mui/material';
import { useCanAccessCallback, useGetIdentity, useRecordContext } from 'react-admin';
import { OPERATIONS, creditCapFor, type Account, type OperationDefinition } from '@custodian/shared';
import { useCustodianQuery } from '../../providers/useCustodianQuery';
import { accessFor } from '../policy/usePermission';
import { OperationDialog } from './OperationDialog';
import { disabledReason } from './operationForm';

// The catalogue ships with the console from @custodian/shared: the same data as GET /api/operations.
const CATALOGUE = Object.values(OPERATIONS);

/** The operations of the catalogue that the signed-in person may run, in catalogue order. */
function useAllowedOperations(): OperationDefinition[] | undefined {
  const canAccess = useCanAccessCallback();
  const { identity } = useGetIdentity();
  const { data } = useCustodianQuery(`operations:${identity?.id ?? ''}`, async () => {
    const allowed = await Promise.all(
      CATALOGUE.map((operation) => canAccess(accessFor(operation.permission))),
    );
    return CATALOGUE.filter((_, index) => allowed[index] === true);
  });
  return data;
}

/**
 * One button per operation the signed-in person may run on this account; nothing at all for
 * someone who may run none. An operation that does not fit the account's status is shown
 * disabled, with the catalogue's reason in a tooltip; the server refuses it anyway (409).
 */
export const OperationsBar = () => {
  const account = useRecordContext<Account>();
  const allowed = useAllowedOperations();
  const { identity } = useGetIdentity();
  const [open, setOpen] = useState<OperationDefinition | null>(null);
  if (!account || !allowed || allowed.length === 0) return null;
  const roles = Array.isArray(identity?.roles) ? (identity.roles as string[]) : [];
  return (
    <Box
      component="section"
      aria-label="Operations"
      sx={{ display: 'flex', alignItems: 'center', flexWrap: 'wrap', gap: 1 }}
    >
      <Typography variant="subtitle2" color="text.secondary" sx={{ mr: 0.5 }}>
        Operations
      </Typography>
      {allowed.map((definition) => {
        const reason = disabledReason(definition, account.status);
        const button = (
          <Button size="small" variant="outlined" disabled={!!reason} onClick={() => setOpen(definition)}>
            {definition.label}
          </Button>
        );
        // A disabled button gets no pointer events: the tooltip hangs on a wrapper that does.
        return reason ? (
          <Tooltip key={definition.name} title={reason}>
            <span>{button}</span>
          </Tooltip>
        ) : (
          <Box component="span" key={definition.name}>
            {button}
          </Box>
        );
      })}
      {open && (
        <OperationDialog
          definition={open}
          capCents={roles.length > 0 ? creditCapFor(roles) : undefined}
          onClose={() => setOpen(null)}
        />
      )}
    </Box>
  );
};
