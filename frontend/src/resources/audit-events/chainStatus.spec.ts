import { describe, expect, it } from 'vitest';
import { chainLabel } from './chainStatus';

const at = new Date(2026, 11, 2, 14, 3, 7).getTime();

describe('chainLabel', () => {
  it('says how far the chain is verified and when it was checked', () => {
    expect(chainLabel({ valid: true, checked: 663, headSeq: 663, headHash: 'ab' }, at)).toBe(
      'Verified up to #663 · checked 14:03:07',
    );
  });

  it('names the first broken event, why, and when it was checked', () => {
    expect(
      chainLabel(
        { valid: false, checked: 54, headSeq: 663, headHash: 'ab', firstInvalidSeq: 54, problem: 'hash' },
        at,
      ),
    ).toBe('Broken at #54: hash · checked 14:03:07');
  });
});
