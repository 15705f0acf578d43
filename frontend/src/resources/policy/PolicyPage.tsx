import type { ReactNode } from 'react';
import {
  Alert,
  Box,
  Button,
  Card,
  CardContent,
  Chip,
  CircularProgress,
  Table,
  TableBody,
  TableCell,
  TableContainer,
  TableHead,
  TableRow,
  Typography,
} from '@mui/material';
import CheckIcon from '@mui/icons-material/Check';
import DownloadIcon from '@mui/icons-material/Download';
import { Title, useDataProvider, useGetList } from 'react-admin';
import { Permission, type StaffMember, type Visibility } from '@custodian/shared';
import type { CustodianPolicy } from '../../providers/contracts';
import type { CustodianDataProvider } from '../../providers/dataProvider';
import { useCustodianQuery } from '../../providers/useCustodianQuery';
import { accessReviewCsv, fieldVisibilityRows, rolePermissionMatrix, staffRoleRows } from './policyMatrix';
import { usePermission } from './usePermission';

const VISIBILITY_COLORS: Record<Visibility, 'success' | 'warning' | 'default'> = {
  clear: 'success',
  masked: 'warning',
  hidden: 'default',
};

const Section = ({ title, action, children }: { title: string; action?: ReactNode; children: ReactNode }) => (
  <Card variant="outlined" component="section" aria-label={title}>
    <CardContent>
      <Box sx={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', mb: 1 }}>
        <Typography variant="h6" component="h2">
          {title}
        </Typography>
        {action}
      </Box>
      {children}
    </CardContent>
  </Card>
);

const HEAD_CELL = { fontWeight: 600, whiteSpace: 'nowrap' } as const;

const RolesByPermission = ({ policy }: { policy: CustodianPolicy }) => (
  <TableContainer>
    <Table size="small" aria-label="Roles and permissions">
      <TableHead>
        <TableRow>
          <TableCell sx={HEAD_CELL}>Permission</TableCell>
          {policy.roles.map((role) => (
            <TableCell key={role} align="center" sx={HEAD_CELL}>
              {role}
            </TableCell>
          ))}
        </TableRow>
      </TableHead>
      <TableBody>
        {rolePermissionMatrix(policy).map((row) => (
          <TableRow key={row.permission} hover>
            <TableCell component="th" scope="row" sx={{ fontFamily: 'monospace', fontSize: '0.8rem' }}>
              {row.permission}
            </TableCell>
            {policy.roles.map((role) => (
              <TableCell key={role} align="center">
                {row.granted[role] ? (
                  <CheckIcon fontSize="small" color="success" aria-label="granted" />
                ) : (
                  <Box component="span" sx={{ color: 'text.disabled' }} aria-label="not granted">
                    ·
                  </Box>
                )}
              </TableCell>
            ))}
          </TableRow>
        ))}
      </TableBody>
    </Table>
  </TableContainer>
);

const FieldsByRole = ({ policy }: { policy: CustodianPolicy }) => (
  <TableContainer>
    <Table size="small" aria-label="Fields and roles">
      <TableHead>
        <TableRow>
          <TableCell sx={HEAD_CELL}>Field</TableCell>
          <TableCell sx={HEAD_CELL}>Class</TableCell>
          {policy.roles.map((role) => (
            <TableCell key={role} align="center" sx={HEAD_CELL}>
              {role}
            </TableCell>
          ))}
          <TableCell sx={HEAD_CELL}>Revealed with</TableCell>
        </TableRow>
      </TableHead>
      <TableBody>
        {fieldVisibilityRows(policy).map((row) => (
          <TableRow key={`${row.resource}.${row.field}`} hover>
            <TableCell component="th" scope="row" sx={{ fontFamily: 'monospace', fontSize: '0.8rem' }}>
              {row.resource}.{row.field}
            </TableCell>
            <TableCell>{row.class}</TableCell>
            {policy.roles.map((role) => (
              <TableCell key={role} align="center">
                <Chip
                  size="small"
                  variant="outlined"
                  label={row.access[role]}
                  color={VISIBILITY_COLORS[row.access[role] ?? 'hidden']}
                />
              </TableCell>
            ))}
            <TableCell sx={{ fontFamily: 'monospace', fontSize: '0.8rem' }}>{row.reveal ?? '—'}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  </TableContainer>
);

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** Who holds which role: for people who review access (policy.read) and may list staff. */
const AccessReview = ({ policy }: { policy: CustodianPolicy }) => {
  const canReadStaff = usePermission(Permission.StaffRead);
  const {
    data: staff,
    error,
    isPending,
  } = useGetList<StaffMember>(
    'staff',
    { pagination: { page: 1, perPage: 1000 }, sort: { field: 'email', order: 'ASC' } },
    { enabled: canReadStaff },
  );
  if (!canReadStaff) {
    return (
      <Section title="Access review">
        <Typography variant="body2" color="text.secondary">
          Listing who holds which role needs the staff.read permission.
        </Typography>
      </Section>
    );
  }
  const rows = staff ? staffRoleRows(staff, policy) : [];
  const exportCsv = () =>
    download(
      `access-review-${new Date().toISOString().slice(0, 10)}.csv`,
      accessReviewCsv(rows, policy.roles),
    );
  return (
    <Section
      title="Access review"
      action={
        <Button size="small" startIcon={<DownloadIcon />} onClick={exportCsv} disabled={rows.length === 0}>
          Export CSV
        </Button>
      }
    >
      {isPending && <CircularProgress size={24} />}
      {error && (
        <Alert severity="warning">
          {error instanceof Error ? error.message : 'Staff could not be loaded.'}
        </Alert>
      )}
      {staff && (
        <TableContainer>
          <Table size="small" aria-label="Staff and roles">
            <TableHead>
              <TableRow>
                <TableCell sx={HEAD_CELL}>Staff member</TableCell>
                <TableCell sx={HEAD_CELL}>Active</TableCell>
                {policy.roles.map((role) => (
                  <TableCell key={role} align="center" sx={HEAD_CELL}>
                    {role}
                  </TableCell>
                ))}
                <TableCell sx={HEAD_CELL}>Permissions</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {rows.map((row) => (
                <TableRow key={row.email} hover>
                  <TableCell component="th" scope="row">
                    {row.email}
                    <Typography variant="caption" component="div" color="text.secondary">
                      {row.displayName}
                    </Typography>
                  </TableCell>
                  <TableCell>{row.active ? 'yes' : 'no'}</TableCell>
                  {policy.roles.map((role) => (
                    <TableCell key={role} align="center">
                      {row.roles.includes(role) ? (
                        <CheckIcon fontSize="small" color="success" aria-label="holds" />
                      ) : (
                        ''
                      )}
                    </TableCell>
                  ))}
                  <TableCell>{row.permissions.length}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </TableContainer>
      )}
    </Section>
  );
};

/** The access policy as the server enforces it: roles, permissions and field visibility. */
export const PolicyPage = () => {
  const dataProvider = useDataProvider<CustodianDataProvider>();
  const reviewer = usePermission(Permission.PolicyRead);
  const { data: policy, error, isPending } = useCustodianQuery('policy', () => dataProvider.getPolicy());
  return (
    <Box sx={{ display: 'flex', flexDirection: 'column', gap: 2, my: 2 }}>
      <Title title="Access policy" />
      {isPending && <CircularProgress />}
      {error && <Alert severity="error">{error.message}</Alert>}
      {policy && (
        <>
          {reviewer && <AccessReview policy={policy} />}
          <Section title="Roles and permissions">
            <RolesByPermission policy={policy} />
          </Section>
          <Section title="What each role sees of each field">
            <FieldsByRole policy={policy} />
          </Section>
        </>
      )}
    </Box>
  );
};
