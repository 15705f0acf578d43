import { isUuid } from '@custodian/shared';

/**
 * Checks of the audit filters the API would otherwise answer with an empty list: a filter input
 * with an error is not applied, and says why under it.
 */

/** The log matches a target by its whole id, so a fragment would only ever find nothing. */
export function validateTargetId(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  return isUuid(value.trim())
    ? undefined
    : 'Enter the whole id (like 2b6be577-1c2d-4e5f-8a9b-0c1d2e3f4a5b): the log matches ids exactly';
}

/** Both dates are `YYYY-MM-DD`, so they compare as strings; either alone is always fine. */
export function validateDateRange(
  _value: unknown,
  values: { from?: unknown; to?: unknown },
): string | undefined {
  const { from, to } = values;
  if (typeof from !== 'string' || typeof to !== 'string' || from === '' || to === '') return undefined;
  return from > to ? 'From is after To: no event can match' : undefined;
}

export const NO_MATCHING_EVENTS = 'No events match these filters.';
