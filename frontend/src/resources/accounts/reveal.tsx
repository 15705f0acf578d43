/**
 * Reveal-by-reason on the account page. A clear value lives only in this component state, for
 * as long as the server's grant lasts; when the grant ends the value is dropped and the account
 * is read again, so it comes back masked. Never put a revealed value in a store or the URL.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useRefresh } from 'react-admin';
import type { RevealResponse, RevealableField } from '@custodian/shared';
import { remainingMs } from './countdown';

export interface Grant {
  value: unknown;
  expiresAt: string;
}

interface RevealState {
  grants: Partial<Record<RevealableField, Grant>>;
  addGrant: (response: RevealResponse) => void;
}

const RevealContext = createContext<RevealState | null>(null);

// The server's grant may outlive the client's clock by a moment: read the record again a little
// after the end so that it surely arrives masked.
const REFRESH_GRACE_MS = 1_000;

export const RevealProvider = ({ children }: { children: ReactNode }) => {
  const [grants, setGrants] = useState<RevealState['grants']>({});
  const refresh = useRefresh();

  const addGrant = useCallback((response: RevealResponse) => {
    setGrants((current) => {
      const next = { ...current };
      for (const [field, value] of Object.entries(response.values)) {
        next[field as RevealableField] = { value, expiresAt: response.expiresAt };
      }
      return next;
    });
  }, []);

  useEffect(() => {
    const ends = Object.values(grants).map((grant) => Date.parse(grant.expiresAt));
    if (ends.length === 0) return;
    const timer = setTimeout(
      () => {
        const now = Date.now();
        setGrants((current) =>
          Object.fromEntries(
            Object.entries(current).filter(([, grant]) => remainingMs(grant.expiresAt, now) > 0),
          ),
        );
        refresh();
      },
      Math.max(0, Math.min(...ends) - Date.now()) + REFRESH_GRACE_MS,
    );
    return () => clearTimeout(timer);
  }, [grants, refresh]);

  const value = useMemo(() => ({ grants, addGrant }), [grants, addGrant]);
  return <RevealContext.Provider value={value}>{children}</RevealContext.Provider>;
};

export function useReveals(): RevealState {
  const state = useContext(RevealContext);
  if (!state) throw new Error('useReveals must be used inside <RevealProvider>');
  return state;
}

/** The current time, ticking every second while mounted. */
export function useNow(intervalMs = 1_000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), intervalMs);
    return () => clearInterval(timer);
  }, [intervalMs]);
  return now;
}
