import { useState } from 'react';
import { Box, Button, Chip, Stack, Typography } from '@mui/material';
import { Confirm, DataTable, List, TopToolbar, useDelete, useNotify, useRecordContext } from 'react-admin';
import type { TokenSummary } from '@custodian/shared';
import { CreateTokenButton } from './CreateTokenDialog';
import { formatDateTimeOrDash } from '../accounts/format';

type TokenState = 'active' | 'expired' | 'revoked';

function tokenState(token: TokenSummary): TokenState {
  if (token.revokedAt) return 'revoked';
  return Date.parse(token.expiresAt) <= Date.now() ? 'expired' : 'active';
}

const Column = DataTable.Col<TokenSummary>;
const NO_WRAP = { whiteSpace: 'nowrap' } as const;

const StateField = () => {
  const token = useRecordContext<TokenSummary>();
  if (!token) return null;
  const state = tokenState(token);
  const color = state === 'active' ? 'success' : 'default';
  return (
    <Chip size="small" label={state} color={color} variant={state === 'active' ? 'filled' : 'outlined'} />
  );
};

const PermissionsField = () => {
  const token = useRecordContext<TokenSummary>();
  if (!token) return null;
  return (
    <Stack direction="row" sx={{ flexWrap: 'wrap', gap: 0.5 }}>
      {token.permissions.map((p) => (
        <Chip key={p} size="small" label={p} variant="outlined" />
      ))}
    </Stack>
  );
};

const RevokeButton = () => {
  const token = useRecordContext<TokenSummary>();
  const notify = useNotify();
  const [open, setOpen] = useState(false);
  const [remove, { isPending }] = useDelete<TokenSummary>();
  if (!token || tokenState(token) !== 'active') return null;

  const revoke = () =>
    remove(
      'tokens',
      { id: token.id, previousData: token },
      {
        mutationMode: 'pessimistic',
        onSuccess: () => {
          setOpen(false);
          notify(`Token "${token.name}" revoked`, { type: 'info' });
        },
        onError: (error) => {
          setOpen(false);
          notify(error instanceof Error ? error.message : 'Revoking the token failed', { type: 'error' });
        },
      },
    );

  return (
    <>
      <Button
        size="small"
        color="error"
        onClick={(event) => {
          event.stopPropagation();
          setOpen(true);
        }}
      >
        Revoke
      </Button>
      <Confirm
        isOpen={open}
        loading={isPending}
        title={`Revoke token "${token.name}"?`}
        content="Scripts using it stop working at once. This cannot be undone."
        confirm="Revoke"
        onConfirm={revoke}
        onClose={() => setOpen(false)}
      />
    </>
  );
};

// Changing one's password lives in the person's menu (layout/AppBar.tsx), with their account.
const TokenActions = () => (
  <TopToolbar>
    <CreateTokenButton />
  </TopToolbar>
);

/** Said where the rows would be, instead of react-admin's "No My tokens found". */
const NoTokens = () => (
  <Typography variant="body2" sx={{ p: 2 }}>
    You have no tokens yet. A token lets a script act as you, with the permissions you choose.
  </Typography>
);

/** "My tokens": the person's personal access tokens, newest first, with revoke. */
export const TokenList = () => (
  <List
    title="My tokens"
    actions={<TokenActions />}
    pagination={false}
    exporter={false}
    disableSyncWithLocation
    empty={false}
  >
    <DataTable bulkActionButtons={false} rowClick={false} empty={<NoTokens />}>
      <Column source="name" disableSort />
      <Column source="permissions" disableSort>
        <PermissionsField />
      </Column>
      <Column
        source="createdAt"
        label="Created"
        disableSort
        sx={NO_WRAP}
        render={(t) => formatDateTimeOrDash(t.createdAt)}
      />
      <Column
        source="expiresAt"
        label="Expires"
        disableSort
        sx={NO_WRAP}
        render={(t) => formatDateTimeOrDash(t.expiresAt)}
      />
      <Column
        source="lastUsedAt"
        label="Last used"
        disableSort
        sx={NO_WRAP}
        render={(t) => formatDateTimeOrDash(t.lastUsedAt)}
      />
      <Column source="revokedAt" label="State" disableSort>
        <StateField />
      </Column>
      <Column label="" disableSort>
        <Box sx={{ textAlign: 'right' }}>
          <RevokeButton />
        </Box>
      </Column>
    </DataTable>
  </List>
);
