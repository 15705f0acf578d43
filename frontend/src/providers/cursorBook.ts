/**
 * Remembers, for each list query, the cursor that fetches each page.
 *
 * The API pages with opaque cursors (`{ data, nextCursor }`) while react-admin asks for page
 * numbers. A query is identified by its path and every query parameter except the cursor, so
 * a change of filter, sort or page size is a different query that starts again at page 1.
 */
export class CursorBook {
  /** query key -> page number -> cursor that fetches that page (page 1 needs none). */
  private readonly books = new Map<string, Map<number, string>>();

  constructor(private readonly maxQueries = 50) {}

  static keyOf(path: string, query: URLSearchParams): string {
    const params = new URLSearchParams(query);
    params.delete('cursor');
    params.sort();
    return `${path}?${params.toString()}`;
  }

  /** The cursor for `page`: `undefined` for page 1 and for a page whose cursor is not known. */
  cursorFor(key: string, page: number): string | undefined {
    if (page <= 1) return undefined;
    return this.book(key)?.get(page);
  }

  /** The highest page not above `page` whose cursor is known; 1 when none is. */
  nearestKnownPage(key: string, page: number): number {
    const book = this.book(key);
    for (let candidate = page; candidate > 1; candidate--) {
      if (book?.has(candidate)) return candidate;
    }
    return 1;
  }

  /** Records what fetching `page` returned: the cursor of the next page, or null at the end. */
  record(key: string, page: number, nextCursor: string | null): void {
    let book = this.book(key);
    if (!book) {
      book = new Map();
      this.books.set(key, book);
      this.evictOldest();
    }
    if (book.get(page + 1) !== nextCursor) {
      // A new or changed link: cursors further on were derived from the old chain.
      for (const known of [...book.keys()]) if (known > page) book.delete(known);
    }
    if (nextCursor !== null) book.set(page + 1, nextCursor);
  }

  /** Reads a query's book and marks it as recently used. */
  private book(key: string): Map<number, string> | undefined {
    const book = this.books.get(key);
    if (book) {
      this.books.delete(key);
      this.books.set(key, book);
    }
    return book;
  }

  private evictOldest(): void {
    while (this.books.size > this.maxQueries) {
      const oldest = this.books.keys().next().value;
      if (oldest === undefined) return;
      this.books.delete(oldest);
    }
  }
}
