import { useEffect, useRef, useState, type FormEvent } from 'react';
import { Alert, Box, Button, CardContent, Divider, Stack, TextField, Typography } from '@mui/material';
import LockIcon from '@mui/icons-material/Lock';
import { Login, useAuthProvider, useLocation, useLogin } from 'react-admin';
import type { AuthConfigResponse } from '@custodian/shared';
import { API_URL, apiFetch } from '../providers/http';
import {
  LoginThrottledError,
  OtpRequiredError,
  type CustodianAuthProvider,
  type LoginParams,
} from '../providers/authProvider';

/** Where the SSO button sends the browser: a full page navigation to the identity provider. */
export const SSO_LOGIN_URL = `${API_URL}/auth/oidc/login`;

/** A 6-digit code from the authenticator app, or a recovery code like `1a2b3-c4d5e`. */
const OTP_PATTERN = /^(\d{6}|[0-9a-fA-F]{5}-[0-9a-fA-F]{5})$/;

function errorParam(search: string): string | null {
  const value = new URLSearchParams(search).get('error');
  // Shown as plain text (never as markup), and bounded: the URL is anyone's to craft.
  return value ? sentence(value.slice(0, 300)) : null;
}

/** Seconds left until `until` (ms since epoch), ticking once a second while positive. */
function useSecondsLeft(until: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until === null) return;
    const timer = window.setInterval(() => {
      const t = Date.now();
      setNow(t);
      if (t >= until) window.clearInterval(timer);
    }, 1000);
    return () => window.clearInterval(timer);
  }, [until]);
  return until === null ? 0 : Math.max(0, Math.ceil((until - now) / 1000));
}

const SignInForm = () => {
  const login = useLogin();
  const location = useLocation();
  // A session that ended by itself (idle timeout) says so, instead of just showing the form.
  const ended = useAuthProvider<CustodianAuthProvider>()?.endedSessionMessage() ?? null;
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [otp, setOtp] = useState('');
  const [step, setStep] = useState<'password' | 'otp'>('password');
  const [error, setError] = useState<string | null>(() => errorParam(location.search));
  const [blockedUntil, setBlockedUntil] = useState<number | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const [sso, setSso] = useState<AuthConfigResponse['sso'] | null>(null);
  const otpRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);
  const secondsLeft = useSecondsLeft(blockedUntil);

  useEffect(() => {
    const controller = new AbortController();
    apiFetch<AuthConfigResponse>('/auth/config', { signal: controller.signal })
      .then((config) => setSso(config.sso.enabled ? config.sso : null))
      .catch(() => setSso(null)); // Without the config the password form still works.
    return () => controller.abort();
  }, []);

  useEffect(() => {
    if (step === 'otp') otpRef.current?.focus();
  }, [step]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (step === 'otp' && !OTP_PATTERN.test(otp.trim())) {
      setError('Enter the 6-digit code from your authenticator app, or a recovery code like 1a2b3-c4d5e.');
      return;
    }
    setSubmitting(true);
    setError(null);
    const params: LoginParams = { email: email.trim(), password };
    if (step === 'otp') params.otp = otp.trim();
    try {
      await login(params);
    } catch (failure) {
      if (failure instanceof OtpRequiredError) {
        setStep('otp');
      } else if (failure instanceof LoginThrottledError) {
        const wait = failure.retryAfterSeconds;
        setBlockedUntil(wait ? Date.now() + wait * 1000 : null);
        setError(
          wait ? `Too many failed sign-in attempts. Try again in ${formatWait(wait)}.` : failure.message,
        );
      } else {
        setError(sentence(failure instanceof Error ? failure.message : 'Signing in failed.'));
        if (step === 'otp') setOtp('');
      }
      // The Sign in button had the focus and is disabled while the request runs, which drops the
      // focus to the page: give it back to the field to type again, the wrong password selected.
      if (step === 'otp') otpRef.current?.focus();
      else passwordRef.current?.select();
    } finally {
      setSubmitting(false);
    }
  };

  const restart = () => {
    setStep('password');
    setOtp('');
    setPassword('');
    setError(null);
  };

  const blocked = secondsLeft > 0;

  return (
    <CardContent sx={{ width: 360, maxWidth: '100%', boxSizing: 'border-box' }}>
      <Typography variant="h5" component="h1" align="center" sx={{ fontWeight: 600 }}>
        Custodian
      </Typography>
      <Typography variant="body2" color="text.secondary" align="center" sx={{ mb: 2 }}>
        Sign in with your own staff account
      </Typography>

      {ended && !error && (
        <Alert severity="info" sx={{ mb: 2 }} role="status">
          {ended}
        </Alert>
      )}

      {error && (
        <Alert severity="error" sx={{ mb: 2 }} role="alert">
          {error}
          {blocked && <Box component="span"> ({secondsLeft} s left)</Box>}
        </Alert>
      )}

      <Box component="form" onSubmit={submit} noValidate>
        <Stack spacing={2}>
          {step === 'password' ? (
            <>
              <TextField
                label="Email"
                type="email"
                name="email"
                autoComplete="username"
                value={email}
                onChange={(e) => setEmail(e.target.value)}
                required
                autoFocus
                fullWidth
              />
              <TextField
                label="Password"
                type="password"
                name="password"
                autoComplete="current-password"
                inputRef={passwordRef}
                value={password}
                onChange={(e) => setPassword(e.target.value)}
                required
                fullWidth
              />
            </>
          ) : (
            <>
              <Typography variant="body2">
                Enter the 6-digit code from your authenticator app for <strong>{email}</strong>, or one of
                your recovery codes.
              </Typography>
              <TextField
                label="Code"
                name="otp"
                inputRef={otpRef}
                autoComplete="one-time-code"
                value={otp}
                onChange={(e) => setOtp(e.target.value)}
                slotProps={{ htmlInput: { inputMode: 'text', maxLength: 11, spellCheck: false } }}
                required
                fullWidth
              />
            </>
          )}
          <Button
            type="submit"
            variant="contained"
            size="large"
            disabled={submitting || blocked || !email || !password}
            fullWidth
          >
            {step === 'otp' ? 'Verify' : 'Sign in'}
          </Button>
          {step === 'otp' && (
            <Button onClick={restart} size="small">
              Use a different account
            </Button>
          )}
        </Stack>
      </Box>

      {sso && (
        <>
          <Divider sx={{ my: 2 }}>or</Divider>
          <Button href={SSO_LOGIN_URL} variant="outlined" size="large" fullWidth>
            Sign in with {sso.name || 'single sign-on'}
          </Button>
        </>
      )}
    </CardContent>
  );
};

function formatWait(seconds: number): string {
  if (seconds < 90) return `${seconds} seconds`;
  return `${Math.ceil(seconds / 60)} minutes`;
}

/** The API answers in lower-case sentences; the page shows them as sentences. */
function sentence(message: string): string {
  const text = message.trim();
  if (!text) return 'Signing in failed.';
  const capital = text.charAt(0).toUpperCase() + text.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

/** The sign-in page: email and password, then a one-time code when the account has MFA. */
export const LoginPage = () => (
  <Login avatarIcon={<LockIcon />}>
    <SignInForm />
  </Login>
);
