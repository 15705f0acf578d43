import { useState } from 'react';
import { Button, Dialog, DialogActions, DialogContent, DialogTitle, Typography } from '@mui/material';
import {
  BooleanInput,
  CheckboxGroupInput,
  Create,
  FormDataConsumer,
  SimpleForm,
  TextInput,
  email,
  maxLength,
  required,
  useNotify,
  useRedirect,
} from 'react-admin';
import { ShowOnce } from '../../auth/ShowOnce';
import { createdRolesNote, passwordSignInHelp } from './created';
import { ROLE_CHOICES } from './roles';
import type { CreatedStaffMember, StaffInput } from './staffDataProvider';

/** The switch, with help that follows its state. */
const PasswordSignInInput = () => (
  <FormDataConsumer<{ passwordSignIn?: boolean }>>
    {({ formData }) => (
      <BooleanInput
        source="passwordSignIn"
        label="Password sign-in"
        helperText={passwordSignInHelp(formData.passwordSignIn !== false)}
      />
    )}
  </FormDataConsumer>
);

type Created = CreatedStaffMember & { requestedRoles: string[] };

/**
 * Inviting a staff member. With password sign-in the API answers with a first password, shown
 * here once; the console forgets it when the dialog closes. The person starts with no roles: those
 * ticked here wait for a second admin, and the admin is told so rather than shown them as granted.
 */
export const StaffCreate = () => {
  const notify = useNotify();
  const redirect = useRedirect();
  const [created, setCreated] = useState<Created | null>(null);

  const onSuccess = (person: CreatedStaffMember, variables: { data?: Partial<StaffInput> }) => {
    const shown = { ...person, requestedRoles: variables.data?.roles ?? [] };
    if (person.initialPassword) {
      setCreated(shown);
    } else {
      notify(`${person.displayName} can now sign in through single sign-on. ${createdRolesNote(shown)}`, {
        type: 'success',
      });
      redirect('list', 'staff');
    }
  };

  const done = () => {
    setCreated(null);
    redirect('list', 'staff');
  };

  return (
    <>
      <Create title="New staff member" mutationOptions={{ onSuccess }} redirect={false}>
        <SimpleForm defaultValues={{ roles: [], passwordSignIn: true }}>
          <TextInput source="email" type="email" validate={[required(), email(), maxLength(320)]} fullWidth />
          <TextInput source="displayName" label="Name" validate={[required(), maxLength(200)]} fullWidth />
          <CheckboxGroupInput source="roles" choices={ROLE_CHOICES} row={false} />
          <PasswordSignInInput />
        </SimpleForm>
      </Create>
      <Dialog open={created !== null} maxWidth="sm" fullWidth>
        <DialogTitle>First password for {created?.displayName}</DialogTitle>
        <DialogContent>
          {created?.initialPassword && (
            <ShowOnce label="Initial password" value={created.initialPassword}>
              This password is shown only once. Give it to {created.email} over a trusted channel; they should
              change it after signing in.
            </ShowOnce>
          )}
          <Typography variant="body2" color="text.secondary" sx={{ mt: 2 }} data-testid="created-roles">
            {created && createdRolesNote(created)}
          </Typography>
        </DialogContent>
        <DialogActions>
          <Button variant="contained" onClick={done}>
            Done
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
};
