import { describe, expect, it } from 'vitest';
import { idsReadText, parseAccountIds, splitCsvLine } from './accountIds';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const C = '33333333-3333-4333-8333-333333333333';

describe('parseAccountIds', () => {
  it('reads one id per line, ignoring blank lines and whitespace', () => {
    expect(parseAccountIds(`${A}\n\n  ${B}  \r\n\n${C}\n`).ids).toEqual([A, B, C]);
  });

  it('dedupes, case-insensitively, keeping the first order', () => {
    const parsed = parseAccountIds(`${A}\n${B}\n${A.toUpperCase()}\n${B}`);
    expect(parsed.ids).toEqual([A, B]);
    expect(parsed.duplicates).toBe(2);
  });

  it('reads the `id` column of a CSV with a header', () => {
    const csv = `handle,id,plan\nalice,${A},free\nbob,${B},plus\n\ncarol,${A},pro\n`;
    expect(parseAccountIds(csv)).toMatchObject({ ids: [A, B], duplicates: 1, invalidCount: 0 });
  });

  it('reads an `accountId` column, quoted, with a BOM and CRLF', () => {
    const csv = `\uFEFF"accountId";"note"\r\n"${A}";"x, y"\r\n"${B}";z\r\n`;
    expect(parseAccountIds(csv).ids).toEqual([A, B]);
  });

  it('skips a header line without an id column', () => {
    expect(parseAccountIds(`uuid\n${A}\n${B}`)).toMatchObject({ ids: [A, B], invalidCount: 0 });
  });

  it('reports values that are not UUIDs', () => {
    const parsed = parseAccountIds(`${A}\nnot-an-id\n${B}\n12345`);
    expect(parsed.ids).toEqual([A, B]);
    expect(parsed.invalidCount).toBe(2);
    expect(parsed.invalid).toEqual(['not-an-id', '12345']);
  });

  it('accepts ids separated by commas or spaces on one pasted line', () => {
    expect(parseAccountIds(`${A}, ${B} ${C}`).ids).toEqual([A, B, C]);
  });

  it('returns nothing for empty input', () => {
    expect(parseAccountIds('  \n\n')).toEqual({ ids: [], duplicates: 0, invalid: [], invalidCount: 0 });
  });
});

describe('splitCsvLine', () => {
  it('honours quotes and escaped quotes', () => {
    expect(splitCsvLine('a,"b, c","d ""e"""')).toEqual(['a', 'b, c', 'd "e"']);
  });
});

describe('idsReadText', () => {
  it('counts ids and repeats in the singular or the plural', () => {
    expect(idsReadText(parseAccountIds(A), null)).toBe('1 account id read');
    expect(idsReadText(parseAccountIds(`${A}\n${B}\n${A}`), null)).toBe(
      '2 account ids read (1 duplicate ignored)',
    );
    expect(idsReadText(parseAccountIds(`${A}\n${A}\n${A}`), 'ids.csv')).toBe(
      '1 account id read from ids.csv (2 duplicates ignored)',
    );
  });
});
