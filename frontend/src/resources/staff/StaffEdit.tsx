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
import { useWatch } from 'react-hook-form';
import type { StaffMember } from '@custodian/shared';
import { useMe } from '../../auth/useMe';
import { ActiveField, MfaField } from './fields';
import { reactivatedNote, reactivationPrompt } from './reactivation';
import { pendingGrantLines, roleChoicesFor, type StaffRecord } from './roles';
import { changeRequestHref } from '../change-requests/href';

type StaffAnswer = StaffRecord & { pendingChangeRequestId?: string };

/**
 * Deactivating ends the person's sessions and tokens at once, hence the confirmation. Reactivating
 * gives no role back: the person returns with none, and the roles ticked in the form (their former
 * ones unless the admin changed them) are filed as a grant for a second admin; the confirmation
 * says so before, and the page, which stays open, shows the waiting grant after.
 */
const ActiveToggleButton = () => {
  const person = useRecordContext<StaffRecord>();
  const ticked = useWatch<{ roles?: string[] }, 'roles'>({ name: 'roles' });
  const { me } = useMe();
  const notify = useNotify();
  const redirect = useRedirect();
  const [open, setOpen] = useState(false);
  const [update, { isPending }] = useUpdate<StaffAnswer>();
  // Nobody deactivates themselves (the API refuses it too).
  if (!person || !me || person.id === me.id) return null;
  const roles = ticked ?? person.roles;

  const setActive = (active: boolean) =>
    update(
      'staff',
      // The data provider sends `roles` only when they differ from the person's former roles.
      { id: person.id, data: active ? { active, roles } : { active }, previousData: person },
      {
        mutationMode: 'pessimistic',
        onSuccess: (answer) => {
          setOpen(false);
          if (active) {
            // The answer carries the waiting grant, which the form now shows above the roles.
            notify(reactivatedNote(answer), { type: 'info', autoHideDuration: 10_000 });
            return;
          }
          notify(`${person.displayName} deactivated`, { type: 'info' });
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
      <>
        <Button startIcon={<CheckCircleIcon />} onClick={() => setOpen(true)} disabled={isPending}>
          Reactivate
        </Button>
        <Confirm
          isOpen={open}
          loading={isPending}
          title={`Reactivate ${person.displayName}?`}
          content={reactivationPrompt(roles)}
          confirm="Reactivate"
          onConfirm={() => setActive(true)}
          onClose={() => setOpen(false)}
        />
      </>
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
              <Link href={changeRequestHref(g.changeRequestId)}>{lines[i]}</Link>
            </div>
          ))}
        </Alert>
      )}
      <CheckboxGroupInput
        source="roles"
        choices={roleChoicesFor(pending)}
        row={false}
        disableValue="disabled"
        // The server grants roles to active people only (a grant for someone deactivated could
        // not be used): the ticked roles are what Reactivate files.
        helperText={
          person?.active === false
            ? 'Deactivated: the ticked roles are filed for a second admin when you reactivate them.'
            : undefined
        }
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
