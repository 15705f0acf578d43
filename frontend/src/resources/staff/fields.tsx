import { Chip, Stack } from '@mui/material';
import { useRecordContext } from 'react-admin';
import type { StaffMember } from '@custodian/shared';
import { WAITING_GRANT_NOTE, waitingRoles, type StaffRecord } from './roles';

/**
 * The roles a person holds, then those whose grant waits for a second admin, marked so as in the
 * staff form: the list must not read as if a requested role had never been asked for. The staff
 * list's answer carries each person's waiting grants, so this needs no request of its own.
 */
export const RolesField = () => {
  const person = useRecordContext<StaffRecord>();
  if (!person) return null;
  const waiting = waitingRoles(person.pendingGrants);
  return (
    <Stack direction="row" sx={{ flexWrap: 'wrap', gap: 0.5 }}>
      {person.roles.length === 0 && <Chip size="small" label="no role" variant="outlined" />}
      {person.roles.map((role) => (
        <Chip key={role} size="small" label={role} />
      ))}
      {waiting.map((role) => (
        <Chip
          key={`waiting-${role}`}
          size="small"
          label={`${role} (${WAITING_GRANT_NOTE})`}
          color="info"
          variant="outlined"
        />
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
