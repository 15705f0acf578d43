import { useState } from 'react';
import { Alert, Button, Link } from '@mui/material';
import BlockIcon from '@mui/icons-material/Block';
import CheckCircleIcon from '@mui/icons-material/CheckCircle';
import {
  CheckboxGroupInput,
  Confirm,
  Edit,
  Labeled,
  SaveButton,
  SimpleForm,
  TextField,
  Toolbar,
  useNotify,
  useRecordContext,
  useRedirect,
  useUpdate,
} from 'react-admin';
import type { StaffMember } from '@custodian/shared';
import { useMe } from '../../auth/useMe';
import { ActiveField, MfaField } from './fields';
import { pendingGrantLines, roleChoicesFor, type PendingGrant } from './roles';

/** Deactivating ends the person's sessions and tokens at once, hence the confirmation. */
const ActiveToggleButton = () => {
  const person = useRecordContext<StaffMember>();
  const { me } = useMe();
  const notify = useNotify();
  const redirect = useRedirect();
  const [open, setOpen] = useState(false);
  const [update, { isPending }] = useUpdate<StaffMember>();
  // Nobody deactivates themselves (the API refuses it too).
  if (!person || !me || person.id === me.id) return null;

  const setActive = (active: boolean) =>
    update(
      'staff',
      { id: person.id, data: { active }, previousData: person },
      {
        mutationMode: 'pessimistic',
        onSuccess: () => {
          setOpen(false);
          notify(`${person.displayName} ${active ? 'reactivated' : 'deactivated'}`, { type: 'info' });
          redirect('list', 'staff');
        },
        onError: (error) => {
          setOpen(false);
          notify(error instanceof Error ? error.message : 'The change failed', { type: 'error' });
        },
      },
    );

  if (!person.active) {
    return (
      <Button startIcon={<CheckCircleIcon />} onClick={() => setActive(true)} disabled={isPending}>
        Reactivate
      </Button>
    );
  }
  return (
    <>
      <Button color="error" startIcon={<BlockIcon />} onClick={() => setOpen(true)}>
        Deactivate
      </Button>
      <Confirm
        isOpen={open}
        loading={isPending}
        title={`Deactivate ${person.displayName}?`}
        content="They are signed out everywhere and their personal access tokens stop working at once."
        confirm="Deactivate"
        onConfirm={() => setActive(false)}
        onClose={() => setOpen(false)}
      />
    </>
  );
};

const StaffEditToolbar = () => (
  <Toolbar sx={{ justifyContent: 'space-between' }}>
    <SaveButton label="Save roles" />
    <ActiveToggleButton />
  </Toolbar>
);

const StaffTitle = () => {
  const person = useRecordContext<StaffMember>();
  return <>Staff: {person?.displayName ?? ''}</>;
};

/**
 * An admin changes a person's roles, or deactivates them. Name and email are not editable.
 * Removing a role applies at once; granting one creates a change request for a second admin.
 */
const useSaved = () => {
  const notify = useNotify();
  const redirect = useRedirect();
  return {
    onSuccess: (data: StaffMember & { pendingChangeRequestId?: string }) => {
      notify(
        data.pendingChangeRequestId
          ? 'Saved. The new role waits for a second admin to approve it (Change requests).'
          : 'Roles saved',
        { type: 'info' },
      );
      redirect('list', 'staff');
    },
  };
};

type StaffRecord = StaffMember & { pendingGrants?: PendingGrant[] };

/** The roles, with the grants that wait for a second admin said above them and marked in them. */
const RolesInput = () => {
  const person = useRecordContext<StaffRecord>();
  const pending = person?.pendingGrants ?? [];
  const lines = pendingGrantLines(pending);
  return (
    <>
      {lines.length > 0 && (
        <Alert severity="info" data-testid="pending-grants" sx={{ mb: 1 }}>
          {pending.map((g, i) => (
            <div key={g.changeRequestId}>
              <Link href={`#/change-requests/${encodeURIComponent(g.changeRequestId)}/show`}>{lines[i]}</Link>
            </div>
          ))}
        </Alert>
      )}
      <CheckboxGroupInput
        source="roles"
        choices={roleChoicesFor(pending)}
        row={false}
        disableValue="disabled"
      />
    </>
  );
};

export const StaffEdit = () => (
  <Edit title={<StaffTitle />} mutationMode="pessimistic" mutationOptions={useSaved()}>
    <SimpleForm toolbar={<StaffEditToolbar />}>
      <Labeled label="Name">
        <TextField source="displayName" />
      </Labeled>
      <Labeled label="Email">
        <TextField source="email" />
      </Labeled>
      <Labeled label="State">
        <ActiveField />
      </Labeled>
      <Labeled label="MFA">
        <MfaField />
      </Labeled>
      <RolesInput />
    </SimpleForm>
  </Edit>
);
