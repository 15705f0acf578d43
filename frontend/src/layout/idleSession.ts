/** How long before an idle session ends the console warns: a minute, or half a short timeout. */
export function warningLeadMs(idleMs: number): number {
  return Math.min(60_000, idleMs / 2);
}

export type IdleState = { phase: 'active' } | { phase: 'warning'; remainingMs: number } | { phase: 'ended' };

/**
 * Where a signed-in session stands, from when it was last used (`lastActivity`, ms since epoch,
 * null before any answer) and the server's idle timeout. The server renews the timeout at each
 * request, so the console's reckoning matches the server's to within one round trip.
 */
export function idleState(now: number, lastActivity: number | null, idleMs: number): IdleState {
  if (lastActivity === null || !(idleMs > 0)) return { phase: 'active' };
  const remainingMs = lastActivity + idleMs - now;
  if (remainingMs <= 0) return { phase: 'ended' };
  if (remainingMs <= warningLeadMs(idleMs)) return { phase: 'warning', remainingMs };
  return { phase: 'active' };
}

/** "0:42", "1:00": whole seconds left, rounded up so that "0:00" is never shown while time is left. */
export function formatCountdown(remainingMs: number): string {
  const seconds = Math.max(0, Math.ceil(remainingMs / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}
