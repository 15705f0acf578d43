import { useState } from 'react';
import { Card, CardContent, Typography } from '@mui/material';
import {
  PasswordInput,
  SaveButton,
  SimpleForm,
  Title,
  Toolbar,
  minLength,
  required,
  useAuthenticated,
  useNotify,
} from 'react-admin';
import { PASSWORD_MIN_LENGTH } from '@custodian/shared';
import { apiFetch } from '../providers/http';

interface PasswordForm {
  currentPassword: string;
  newPassword: string;
  confirmPassword: string;
}

const matchesNewPassword = (value: string, values: PasswordForm) =>
  value && value !== values.newPassword ? 'The two new passwords differ' : undefined;

const differsFromCurrent = (value: string, values: PasswordForm) =>
  value && value === values.currentPassword ? 'Choose a password different from the current one' : undefined;

/** Maps the API's 400 sentences ("currentPassword is wrong", "newPassword: ...") to their field. */
function fieldErrors(message: string): Partial<Record<keyof PasswordForm, string>> | null {
  if (message.startsWith('currentPassword')) return { currentPassword: 'The current password is wrong' };
  if (message.startsWith('newPassword')) {
    return { newPassword: message.replace(/^newPassword:?\s*/, '') || 'This password is not allowed' };
  }
  return null;
}

const PasswordToolbar = () => (
  <Toolbar>
    <SaveButton label="Change password" alwaysEnable={false} />
  </Toolbar>
);

/** Changing one's own password: the current one, then a new one of at least 12 characters. */
export const ChangePassword = () => {
  useAuthenticated();
  const notify = useNotify();
  // Remounting the form after a success empties every field.
  const [generation, setGeneration] = useState(0);

  const save = async (values: Partial<PasswordForm>) => {
    try {
      await apiFetch<void>('/auth/password', {
        method: 'POST',
        body: { currentPassword: values.currentPassword, newPassword: values.newPassword },
      });
    } catch (failure) {
      const message = failure instanceof Error ? failure.message : 'Changing the password failed';
      const errors = fieldErrors(message);
      if (errors) return errors;
      notify(message, { type: 'error' });
      return;
    }
    notify('Your password has been changed', { type: 'success' });
    setGeneration((g) => g + 1);
  };

  return (
    <Card sx={{ mt: 2, maxWidth: 560 }}>
      <Title title="Change password" />
      <CardContent sx={{ pb: 0 }}>
        <Typography variant="body2" color="text.secondary">
          At least {PASSWORD_MIN_LENGTH} characters. Common passwords and ones containing your email are
          refused.
        </Typography>
      </CardContent>
      <SimpleForm key={generation} onSubmit={save} toolbar={<PasswordToolbar />}>
        <PasswordInput
          source="currentPassword"
          label="Current password"
          autoComplete="current-password"
          validate={required()}
          fullWidth
        />
        <PasswordInput
          source="newPassword"
          label="New password"
          autoComplete="new-password"
          validate={[required(), minLength(PASSWORD_MIN_LENGTH), differsFromCurrent]}
          fullWidth
        />
        <PasswordInput
          source="confirmPassword"
          label="New password again"
          autoComplete="new-password"
          validate={[required(), matchesNewPassword]}
          fullWidth
        />
      </SimpleForm>
    </Card>
  );
};
