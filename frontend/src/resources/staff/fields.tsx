import { Chip, Stack } from '@mui/material';
import { useRecordContext } from 'react-admin';
import type { StaffMember } from '@custodian/shared';

export const RolesField = () => {
  const person = useRecordContext<StaffMember>();
  if (!person) return null;
  if (person.roles.length === 0) return <Chip size="small" label="no role" variant="outlined" />;
  return (
    <Stack direction="row" sx={{ flexWrap: 'wrap', gap: 0.5 }}>
      {person.roles.map((role) => (
        <Chip key={role} size="small" label={role} />
      ))}
    </Stack>
  );
};

export const ActiveField = () => {
  const person = useRecordContext<StaffMember>();
  if (!person) return null;
  return person.active ? (
    <Chip size="small" label="active" color="success" />
  ) : (
    <Chip size="small" label="deactivated" variant="outlined" />
  );
};

export const MfaField = () => {
  const person = useRecordContext<StaffMember>();
  if (!person) return null;
  if (person.ssoOnly) return <Chip size="small" label="via SSO" variant="outlined" />;
  return person.mfaEnabled ? (
    <Chip size="small" label="on" color="success" variant="outlined" />
  ) : (
    <Chip size="small" label="off" color="warning" variant="outlined" />
  );
};
