import type { AuditVerification } from '@custodian/shared';

/** "14:03:07": when the chain was last checked, to the second, in the reader's time zone. */
const time = new Intl.DateTimeFormat(undefined, {
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
});

/**
 * The badge's text: how the chain stood when it was last checked, and when that was, so that a
 * result older than the list under it reads as old rather than as the log's current state.
 */
export function chainLabel(result: AuditVerification, checkedAt: number): string {
  const checked = `checked ${time.format(new Date(checkedAt))}`;
  if (result.valid) return `Verified up to #${result.headSeq} · ${checked}`;
  const problem = result.problem ? `: ${result.problem}` : '';
  return `Broken at #${result.firstInvalidSeq ?? '?'}${problem} · ${checked}`;
}
