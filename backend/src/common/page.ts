import type { Page } from '@custodian/shared';

/** A page of records turned into a page of responses, keeping its cursor. */
export function mapPage<E, R>(page: Page<E>, map: (e: E) => R): Page<R> {
  return { data: page.data.map(map), nextCursor: page.nextCursor };
}
