import { useEffect, useState } from 'react';
import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle } from '@mui/material';
import { useAuthProvider, useLogout } from 'react-admin';
import type { AuthConfigResponse } from '@custodian/shared';
import type { CustodianAuthProvider } from '../providers/authProvider';
import { apiFetch, lastApiAnswerAt } from '../providers/http';
import { formatCountdown, idleState } from './idleSession';

/**
 * The session ends on the server after SESSION_IDLE_MINUTES without a request. Reading a record or
 * typing a long reason sends none, so without a word the next click would meet a sign-in page and
 * the typed text would be gone. In the last minute this says so, with a countdown, and lets the
 * person stay; at the end it signs them out and the sign-in page says why. The time of the last
 * answer is shared by the console's tabs (http.ts), so one tab in use keeps the others quiet.
 */
export const IdleWarning = () => {
  const authProvider = useAuthProvider<CustodianAuthProvider>();
  const logout = useLogout();
  const [idleMs, setIdleMs] = useState<number | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const [staying, setStaying] = useState(false);

  useEffect(() => {
    const controller = new AbortController();
    apiFetch<AuthConfigResponse>('/auth/config', { signal: controller.signal })
      .then((config) => setIdleMs(config.session.idleMinutes * 60_000))
      // Without the timeout there is nothing to warn of; the server still ends the session.
      .catch(() => undefined);
    return () => controller.abort();
  }, []);

  useEffect(() => {
    const timer = window.setInterval(() => setNow(Date.now()), 1000);
    return () => window.clearInterval(timer);
  }, []);

  const state = idleMs === null ? ({ phase: 'active' } as const) : idleState(now, lastApiAnswerAt(), idleMs);

  useEffect(() => {
    if (state.phase !== 'ended') return;
    authProvider?.noteIdleTimeout();
    void logout();
  }, [state.phase, authProvider, logout]);

  if (state.phase !== 'warning' || idleMs === null) return null;

  const stay = async () => {
    setStaying(true);
    try {
      // Any answer renews the session; a 401 means it had already ended.
      const person = await authProvider?.refreshMe();
      if (!person) await logout();
    } catch {
      // The API cannot be reached: the warning stays and the countdown goes on.
    } finally {
      setStaying(false);
      setNow(Date.now());
    }
  };
  const minutes = Math.round(idleMs / 60_000);

  return (
    <Dialog open aria-labelledby="idle-warning-title" aria-describedby="idle-warning-text">
      <DialogTitle id="idle-warning-title">Are you still there?</DialogTitle>
      <DialogContent>
        <DialogContentText id="idle-warning-text">
          {`You will be signed out in ${formatCountdown(state.remainingMs)}, as a session ends after ` +
            `${minutes} minute${minutes === 1 ? '' : 's'} without activity. Anything typed but not yet ` +
            `sent would be lost.`}
        </DialogContentText>
      </DialogContent>
      <DialogActions>
        <Button onClick={() => void logout()}>Sign out</Button>
        <Button variant="contained" autoFocus disabled={staying} onClick={() => void stay()}>
          Stay signed in
        </Button>
      </DialogActions>
    </Dialog>
  );
};
