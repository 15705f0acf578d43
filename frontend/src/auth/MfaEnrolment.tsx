import { useState, type FormEvent } from 'react';
import { Alert, Box, Button, Card, CardContent, Stack, TextField, Typography } from '@mui/material';
import { Loading, Title, useAuthProvider, useAuthenticated, useNavigate, useRefresh } from 'react-admin';
import type { CustodianAuthProvider } from '../providers/authProvider';
import { apiFetch } from '../providers/http';
import { ShowOnce } from './ShowOnce';
import { useMe } from './useMe';

interface Enrolment {
  secret: string;
  otpauthUrl: string;
  /** A PNG data URL made by the API. */
  qrCode: string;
}

const CODE_PATTERN = /^\d{6}$/;

/**
 * Two-factor enrolment: start, scan the QR code (or type the secret), confirm with a code, then
 * see the ten recovery codes once. While enrolment is required the API refuses everything else,
 * so this page is where the console sends such a person.
 */
export const MfaEnrolment = () => {
  useAuthenticated();
  const { me, isPending } = useMe();
  const authProvider = useAuthProvider<CustodianAuthProvider>();
  const refresh = useRefresh();
  const navigate = useNavigate();
  const [enrolment, setEnrolment] = useState<Enrolment | null>(null);
  const [code, setCode] = useState('');
  const [recoveryCodes, setRecoveryCodes] = useState<string[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  if (isPending || !me) return <Loading />;

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      setEnrolment(await apiFetch<Enrolment>('/auth/mfa/enrol', { method: 'POST' }));
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : 'Starting the enrolment failed.');
    } finally {
      setBusy(false);
    }
  };

  const confirm = async (event: FormEvent) => {
    event.preventDefault();
    if (!CODE_PATTERN.test(code.trim())) {
      setError('Enter the 6-digit code your authenticator app shows now.');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const result = await apiFetch<{ recoveryCodes: string[] }>('/auth/mfa/confirm', {
        method: 'POST',
        body: { otp: code.trim() },
      });
      setEnrolment(null);
      setRecoveryCodes(result.recoveryCodes);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : 'Confirming the code failed.');
      setCode('');
    } finally {
      setBusy(false);
    }
  };

  // Re-read the session (MFA on, no enrolment pending), then every cached answer: identity, menu
  // access and data that was refused before.
  const finish = async () => {
    await authProvider?.refreshMe();
    refresh();
    navigate('/');
  };

  let body;
  if (recoveryCodes) {
    body = (
      <Stack spacing={2}>
        <Alert severity="success">Two-factor authentication is on.</Alert>
        <Typography>
          Each recovery code signs you in once if you lose your authenticator. Store them somewhere safe
          outside this computer.
        </Typography>
        <ShowOnce label="Recovery codes" value={recoveryCodes}>
          These recovery codes are shown only once. Copy them now.
        </ShowOnce>
        <Box>
          <Button variant="contained" onClick={finish}>
            I have saved my recovery codes
          </Button>
        </Box>
      </Stack>
    );
  } else if (me.mfaEnabled && !me.mfaEnrolmentRequired) {
    body = <Alert severity="success">Two-factor authentication is on for your account.</Alert>;
  } else if (!enrolment) {
    body = (
      <Stack spacing={2} sx={{ alignItems: 'flex-start' }}>
        {me.mfaEnrolmentRequired && (
          <Alert severity="info" sx={{ alignSelf: 'stretch' }}>
            Your account must use two-factor authentication. Set it up to continue.
          </Alert>
        )}
        <Typography>
          You will need an authenticator app on your phone (for example one that reads QR codes for one-time
          passwords). From then on, signing in asks for the code it shows.
        </Typography>
        <Button variant="contained" onClick={start} disabled={busy}>
          Set up two-factor authentication
        </Button>
      </Stack>
    );
  } else {
    body = (
      <Stack spacing={2}>
        <Typography>1. Scan this QR code with your authenticator app.</Typography>
        <Box
          component="img"
          src={enrolment.qrCode}
          alt="QR code for your authenticator app"
          sx={{ width: 200, height: 200, imageRendering: 'pixelated', border: 1, borderColor: 'divider' }}
        />
        <Typography variant="body2" color="text.secondary">
          Cannot scan? Enter this key instead:{' '}
          <Box component="code" data-testid="mfa-secret" sx={{ fontFamily: 'monospace', userSelect: 'all' }}>
            {enrolment.secret}
          </Box>
        </Typography>
        <Typography>2. Enter the 6-digit code the app shows.</Typography>
        <Box component="form" onSubmit={confirm} noValidate>
          <Stack direction="row" spacing={2} sx={{ alignItems: 'flex-start' }}>
            <TextField
              label="Code"
              name="otp"
              value={code}
              onChange={(e) => setCode(e.target.value)}
              autoComplete="one-time-code"
              slotProps={{ htmlInput: { inputMode: 'numeric', maxLength: 6 } }}
              autoFocus
              size="small"
            />
            <Button type="submit" variant="contained" disabled={busy}>
              Confirm
            </Button>
          </Stack>
        </Box>
      </Stack>
    );
  }

  return (
    <Card sx={{ mt: 2, maxWidth: 640 }}>
      <Title title="Two-factor authentication" />
      <CardContent>
        {error && (
          <Alert severity="error" sx={{ mb: 2 }} role="alert">
            {error}
          </Alert>
        )}
        {body}
      </CardContent>
    </Card>
  );
};
