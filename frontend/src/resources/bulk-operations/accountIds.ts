/**
 * Reads account ids pasted into the bulk operations page or uploaded as a CSV file, client-side.
 * Accepted: one id per line, or a CSV whose header has a column named `id` or `accountId` (any
 * case). Blank lines and a header line are ignored, ids are deduplicated (first one wins), and
 * anything that is not a UUID is reported rather than sent. The server validates again.
 */

export const BULK_MAX_IDS = 10_000;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ID_COLUMNS = ['id', 'accountid', 'account_id'];

export interface ParsedIds {
  /** Unique UUIDs, in the order first seen, lower-cased. */
  ids: string[];
  /** How many ids appeared more than once (repeats dropped). */
  duplicates: number;
  /** Non-empty values that are not UUIDs (at most the first 20, for the message). */
  invalid: string[];
  invalidCount: number;
}

/** Splits one CSV line into cells, honouring double quotes. */
export function splitCsvLine(line: string): string[] {
  const cells: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < line.length; i += 1) {
    const char = line[i]!;
    if (quoted) {
      if (char === '"' && line[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === ',' || char === ';' || char === '\t') {
      cells.push(cell);
      cell = '';
    } else cell += char;
  }
  cells.push(cell);
  return cells.map((value) => value.trim());
}

const normalizeHeader = (value: string) =>
  value
    .replace(/^\uFEFF/, '')
    .trim()
    .toLowerCase();

/** Parses pasted text or a CSV file's contents into unique account ids. */
export function parseAccountIds(text: string): ParsedIds {
  const lines = text
    .replace(/^\uFEFF/, '')
    .split(/\r\n|\n|\r/)
    .map((line) => line.trim())
    .filter((line) => line !== '');
  let column = 0;
  let start = 0;
  const first = lines[0];
  if (first !== undefined) {
    const header = splitCsvLine(first).map(normalizeHeader);
    const index = header.findIndex((cell) => ID_COLUMNS.includes(cell));
    if (index >= 0) {
      column = index;
      start = 1;
    } else if (!header.some((cell) => UUID.test(cell))) {
      // A header without a recognised id column (e.g. "uuid"): skip it, read the first column.
      start = 1;
    }
  }
  const seen = new Set<string>();
  const ids: string[] = [];
  const invalid: string[] = [];
  let invalidCount = 0;
  let duplicates = 0;
  for (const line of lines.slice(start)) {
    const cells = splitCsvLine(line);
    // Plain pasted lists may also be separated by spaces or commas on one line.
    const values = start === 0 && column === 0 ? line.split(/[\s,;]+/) : [cells[column] ?? ''];
    for (const raw of values) {
      const value = raw.trim().replace(/^"|"$/g, '');
      if (value === '') continue;
      if (!UUID.test(value)) {
        invalidCount += 1;
        if (invalid.length < 20) invalid.push(value);
        continue;
      }
      const id = value.toLowerCase();
      if (seen.has(id)) {
        duplicates += 1;
        continue;
      }
      seen.add(id);
      ids.push(id);
    }
  }
  return { ids, duplicates, invalid, invalidCount };
}

/** The line under the ids box: how many were read, from which file, and how many repeats left out. */
export function idsReadText(parsed: ParsedIds, fileName: string | null): string {
  const read = `${parsed.ids.length} account ${parsed.ids.length === 1 ? 'id' : 'ids'} read`;
  const from = fileName ? ` from ${fileName}` : '';
  const repeats =
    parsed.duplicates > 0
      ? ` (${parsed.duplicates} ${parsed.duplicates === 1 ? 'duplicate' : 'duplicates'} ignored)`
      : '';
  return `${read}${from}${repeats}`;
}
