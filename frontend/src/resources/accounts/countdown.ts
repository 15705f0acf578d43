/** Time left until `expiresAt`, in whole milliseconds, never below zero; 0 for a bad date. */
export function remainingMs(expiresAt: string, now: number): number {
  const end = Date.parse(expiresAt);
  if (Number.isNaN(end)) return 0;
  return Math.max(0, end - now);
}

/**
 * A countdown as `mm:ss`, rounding up so that "00:00" is only shown once the time is over
 * (a grant with 400 ms left still reads "00:01"). An hour or more reads as minutes past 59.
 */
export function formatCountdown(ms: number): string {
  const totalSeconds = Number.isFinite(ms) && ms > 0 ? Math.ceil(ms / 1000) : 0;
  const minutes = Math.floor(totalSeconds / 60);
  const seconds = totalSeconds % 60;
  return `${String(minutes).padStart(2, '0')}:${String(seconds).padStart(2, '0')}`;
}
