import { BadRequestException } from '@nestjs/common';
import { UUID } from './uuid.pipe';

/**
 * Keyset pagination cursors: an opaque base64url token holding the sort key and id of the last row
 * of a page, bound to the sort it was made for. No OFFSET, so page 400 costs what page 1 costs.
 */
export interface Cursor {
  /** What the cursor was made for, e.g. "createdAt:desc"; a cursor is only valid for that sort. */
  sort: string;
  value: string;
  id: string;
}

export function encodeCursor(cursor: Cursor): string {
  return Buffer.from(JSON.stringify([cursor.sort, cursor.value, cursor.id])).toString('base64url');
}

export function decodeCursor(token: string, expectedSort: string): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8'));
  } catch {
    throw new BadRequestException('cursor is not a valid page cursor');
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 3 ||
    !parsed.every((part) => typeof part === 'string' && part.length <= 200) ||
    !UUID.test(parsed[2])
  ) {
    throw new BadRequestException('cursor is not a valid page cursor');
  }
  const [sort, value, id] = parsed as [string, string, string];
  if (sort !== expectedSort) {
    throw new BadRequestException('cursor belongs to another sort order; start again from the first page');
  }
  return { sort, value, id };
}
