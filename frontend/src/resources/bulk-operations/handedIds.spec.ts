import { describe, expect, it } from 'vitest';
import { handedIdsText } from './handedIds';

const A = '11111111-1111-4111-8111-111111111111';

describe('handedIdsText', () => {
  it('is null when the page was opened without ids (from the menu, or by a reload of an old link)', () => {
    expect(handedIdsText(null)).toBeNull();
    expect(handedIdsText(undefined)).toBeNull();
    expect(handedIdsText({})).toBeNull();
    expect(handedIdsText({ accountIds: [] })).toBeNull();
    expect(handedIdsText({ accountIds: A })).toBeNull();
  });

  it('keeps the strings of the handed list, one a line, and drops anything else', () => {
    expect(handedIdsText({ accountIds: [A, 7, null, ' ', 'not-an-id'] })).toBe(`${A}\nnot-an-id`);
  });
});
