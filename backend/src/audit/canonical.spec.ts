import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson, chainHash } from './canonical';

/**
 * canonicalJson as it was first written. Every chain so far was hashed with it, so the faster one
 * must give the same bytes for every value, odd ones included (sparse arrays, functions, Dates).
 */
function original(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(original).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${original(v)}`).join(',')}}`;
}

/** The output, or the error a value makes it throw (a BigInt), so both can be compared. */
const outcome = (serialize: (v: unknown) => string, value: unknown) => {
  try {
    return serialize(value);
  } catch (error) {
    return `threw ${(error as Error).constructor.name}`;
  }
};

describe('canonicalJson', () => {
  it('writes what it always wrote, for any value', () => {
    fc.assert(
      fc.property(
        fc.anything({
          stringUnit: 'binary',
          withBigInt: true,
          withBoxedValues: true,
          withDate: true,
          withMap: true,
          withSet: true,
          withNullPrototype: true,
          withObjectString: true,
          withSparseArray: true,
          withTypedArray: true,
        }),
        (value) => {
          expect(outcome(canonicalJson, value)).toBe(outcome(original, value));
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('sorts keys by UTF-16 code units, drops undefined, keeps holes and functions as before', () => {
    const sparse = [1, , 3]; // eslint-disable-line no-sparse-arrays
    const value = { b: 1, a: undefined, é: [sparse, () => 1, undefined], '😀': 'x', '\uffff': 'y', B: null };
    expect(canonicalJson(value)).toBe('{"B":null,"b":1,"é":[[1,,3],null,null],"😀":"x","\uffff":"y"}');
    expect(canonicalJson(value)).toBe(original(value));
  });

  it('hashes prevHash:seq:canonical JSON with SHA-256', () => {
    const content = { z: 'Müller', a: [1, { y: null, x: true }] };
    const expected = createHash('sha256')
      .update(`${'0'.repeat(64)}:7:${original(content)}`, 'utf8')
      .digest('hex');
    expect(chainHash('0'.repeat(64), '7', content)).toBe(expected);
    expect(chainHash('0'.repeat(64), 7n, content)).toBe(expected);
  });
});
