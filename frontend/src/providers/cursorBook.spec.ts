import { describe, expect, it } from 'vitest';
import { CursorBook } from './cursorBook';

describe('CursorBook', () => {
  it('identifies a query by everything but its cursor, in any parameter order', () => {
    const a = CursorBook.keyOf('/accounts', new URLSearchParams('limit=25&status=active&cursor=x'));
    const b = CursorBook.keyOf('/accounts', new URLSearchParams('status=active&limit=25'));
    const c = CursorBook.keyOf('/accounts', new URLSearchParams('status=active&limit=50'));
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it('forgets cursors past a page whose next cursor changed', () => {
    const book = new CursorBook();
    book.record('k', 1, 'c2');
    book.record('k', 2, 'c3');
    book.record('k', 3, 'c4');
    expect(book.nearestKnownPage('k', 10)).toBe(4);

    book.record('k', 1, 'c2');
    expect(book.cursorFor('k', 4)).toBe('c4');

    book.record('k', 2, 'other');
    expect(book.cursorFor('k', 3)).toBe('other');
    expect(book.cursorFor('k', 4)).toBeUndefined();
    expect(book.nearestKnownPage('k', 10)).toBe(3);
  });

  it('keeps only the most recently used queries', () => {
    const book = new CursorBook(2);
    book.record('a', 1, 'a2');
    book.record('b', 1, 'b2');
    expect(book.cursorFor('a', 2)).toBe('a2');
    book.record('c', 1, 'c2');
    expect(book.cursorFor('b', 2)).toBeUndefined();
    expect(book.cursorFor('a', 2)).toBe('a2');
    expect(book.cursorFor('c', 2)).toBe('c2');
  });
});
