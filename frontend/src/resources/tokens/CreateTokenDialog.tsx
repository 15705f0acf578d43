import { useState } from 'react';
import { Box, Button, Dialog, DialogActions, DialogContent, DialogTitle, Typography } from '@mui/material';
import AddIcon from '@mui/icons-material/Add';
import {
  CheckboxGroupInput,
  Form,
  NumberInput,
  SaveButton,
  TextInput,
  maxLength,
  maxValue,
  minValue,
  number,
  required,
  useCreate,
  useNotify,
  useRefresh,
} from 'react-admin';
import { TOKEN_MAX_DAYS, type CreatedToken } from '@custodian/shared';
import { ShowOnce } from '../../auth/ShowOnce';
import { useMe } from '../../auth/useMe';
import type { CreateTokenInput } from './tokensDataProvider';
import { formatDateTime } from '../accounts/format';

const DEFAULT_DAYS = 30;

const atLeastOne = (value: unknown) =>
  Array.isArray(value) && value.length > 0 ? undefined : 'Choose at least one permission';

/**
 * "New token": name, lifetime and the permissions it carries (a subset of the person's own),
 * then the token itself, shown once.
 */
export const CreateTokenButton = () => {
  const { me } = useMe();
  const notify = useNotify();
  const refresh = useRefresh();
  const [create, { isPending }] = useCreate<CreatedToken & { name: string }>();
  const [open, setOpen] = useState(false);
  const [created, setCreated] = useState<(CreatedToken & { name: string }) | null>(null);

  const own = me?.permissions ?? [];
  const choices = own.map((p) => ({ id: p, name: p }));

  const close = () => {
    setOpen(false);
    // The token leaves memory with the dialog.
    setCreated(null);
    refresh();
  };

  const submit = (values: Record<string, unknown>) => {
    const data = values as unknown as CreateTokenInput;
    create(
      'tokens',
      { data },
      {
        onSuccess: (token) => setCreated(token),
        onError: (error) =>
          notify(error instanceof Error ? error.message : 'Creating the token failed', { type: 'error' }),
      },
    );
  };

  return (
    <>
      <Button startIcon={<AddIcon />} size="small" onClick={() => setOpen(true)} disabled={!me}>
        New token
      </Button>
      <Dialog open={open} onClose={created ? undefined : close} maxWidth="sm" fullWidth>
        <DialogTitle>{created ? `Token "${created.name}"` : 'New personal access token'}</DialogTitle>
        {created ? (
          <>
            <DialogContent>
              <ShowOnce label="Personal access token" value={created.token} />
              <Typography variant="body2" color="text.secondary" sx={{ mt: 2 }}>
                Send it as <code>Authorization: Bearer &lt;token&gt;</code>. It expires on{' '}
                {formatDateTime(created.expiresAt)}.
              </Typography>
            </DialogContent>
            <DialogActions>
              <Button variant="contained" onClick={close}>
                Done
              </Button>
            </DialogActions>
          </>
        ) : (
          <Form
            onSubmit={submit}
            // Least privilege: nothing ticked; the person picks what the script needs.
            defaultValues={{ name: '', expiresInDays: DEFAULT_DAYS, permissions: [] }}
            record={{}}
          >
            <DialogContent sx={{ pt: 0 }}>
              <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
                A token acts as you, with only the permissions you tick. Scripts use tokens; never share your
                password.
              </Typography>
              <TextInput
                source="name"
                label="Name"
                validate={[required(), maxLength(100)]}
                fullWidth
                autoFocus
              />
              <NumberInput
                source="expiresInDays"
                label="Expires in (days)"
                validate={[required(), number(), minValue(1), maxValue(TOKEN_MAX_DAYS)]}
                min={1}
                max={TOKEN_MAX_DAYS}
                step={1}
              />
              <Box>
                <CheckboxGroupInput
                  source="permissions"
                  label="Permissions"
                  choices={choices}
                  validate={atLeastOne}
                  row={false}
                  sx={{ '& .MuiFormGroup-root': { display: 'grid', gridTemplateColumns: '1fr 1fr' } }}
                />
              </Box>
            </DialogContent>
            <DialogActions>
              <Button onClick={close}>Cancel</Button>
              <SaveButton label="Create token" disabled={isPending} alwaysEnable icon={<AddIcon />} />
            </DialogActions>
          </Form>
        )}
      </Dialog>
    </>
  );
};
