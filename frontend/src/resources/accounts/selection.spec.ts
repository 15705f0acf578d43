import { describe, expect, it } from 'vitest';
import { handedIdsText } from '../bulk-operations/handedIds';
import { parseAccountIds } from '../bulk-operations/accountIds';
import { bulkSelectionState, idsClipboardText, selectionLabel } from './selection';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';

describe('the accounts selection handed to the bulk operations page', () => {
  it('arrives as the ids box text, which the bulk form reads as the same ids', () => {
    const text = handedIdsText(bulkSelectionState([A, B]));
    expect(text).toBe(`${A}\n${B}`);
    expect(parseAccountIds(text!).ids).toEqual([A, B]);
  });

  it('still goes through the form’s validation: a value that is not an id is reported', () => {
    const parsed = parseAccountIds(handedIdsText(bulkSelectionState([A, 42]))!);
    expect(parsed.ids).toEqual([A]);
    expect(parsed.invalid).toEqual(['42']);
  });
});

describe('idsClipboardText', () => {
  it('copies one id a line, which the bulk form reads back', () => {
    expect(idsClipboardText([A, B])).toBe(`${A}\n${B}`);
    expect(parseAccountIds(idsClipboardText([A, B])).ids).toEqual([A, B]);
  });
});

describe('selectionLabel', () => {
  it('counts the selected accounts and says paging keeps them', () => {
    expect(selectionLabel(1)).toBe('1 account selected (kept across pages)');
    expect(selectionLabel(3)).toBe('3 accounts selected (kept across pages)');
  });
});
