import type { ReactElement } from 'react';
import { Box, Divider, Typography } from '@mui/material';
import { Labeled } from 'react-admin';
import { RedactedField } from './RedactedField';
import { RevealableField } from './RevealableField';
import { StatusField } from './StatusField';
import { planLabel } from './choices';
import { formatAddress, formatCents, formatDateTime, formatYesNo } from './format';

interface Section {
  title: string;
  fields: { label: string; field: ReactElement }[];
}

const SECTIONS: Section[] = [
  {
    title: 'Account',
    fields: [
      { label: 'Id', field: <RedactedField source="id" /> },
      { label: 'Handle', field: <RedactedField source="handle" /> },
      { label: 'Display name', field: <RedactedField source="displayName" /> },
      { label: 'Status', field: <StatusField /> },
      {
        label: 'Plan',
        field: <RedactedField source="plan" format={(value) => planLabel(String(value ?? ''))} />,
      },
      { label: 'Region', field: <RedactedField source="region" /> },
      { label: 'Credit balance', field: <RedactedField source="creditBalanceCents" format={formatCents} /> },
      { label: 'Version', field: <RedactedField source="version" /> },
    ],
  },
  {
    title: 'Contact',
    fields: [
      { label: 'Email', field: <RevealableField source="email" /> },
      { label: 'Email verified', field: <RedactedField source="emailVerified" format={formatYesNo} /> },
      { label: 'Phone', field: <RevealableField source="phone" /> },
      { label: 'Date of birth', field: <RevealableField source="dateOfBirth" /> },
      {
        label: 'Address',
        field: <RevealableField source="address" format={formatAddress} formatMasked />,
      },
      { label: 'Marketing opt-in', field: <RedactedField source="marketingOptIn" format={formatYesNo} /> },
    ],
  },
  {
    title: 'Security',
    fields: [
      { label: 'MFA enabled', field: <RedactedField source="mfaEnabled" format={formatYesNo} /> },
      { label: 'Created', field: <RedactedField source="createdAt" format={formatDateTime} /> },
      { label: 'Last login', field: <RedactedField source="lastLoginAt" format={formatDateTime} /> },
      { label: 'Last login IP', field: <RedactedField source="lastLoginIp" /> },
    ],
  },
];

/** Every field of the account, grouped, each through its redactions. */
export const ProfileDetails = (_props: { label?: false }) => (
  <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2, width: '100%' }}>
    {SECTIONS.map((section, index) => (
      <Box key={section.title}>
        {index > 0 && <Divider sx={{ mb: 2 }} />}
        <Typography variant="subtitle2" color="text.secondary" gutterBottom>
          {section.title}
        </Typography>
        <Box
          sx={{
            display: 'grid',
            gridTemplateColumns: 'repeat(auto-fill, minmax(220px, 1fr))',
            columnGap: 3,
            rowGap: 1.5,
          }}
        >
          {section.fields.map(({ label, field }) => (
            <Labeled key={label} label={label}>
              {field}
            </Labeled>
          ))}
        </Box>
      </Box>
    ))}
  </Box>
);
