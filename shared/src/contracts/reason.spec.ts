import { describe, expect, it } from 'vitest';
import { readableLength } from './reason.js';

describe('readableLength', () => {
  it.each([
    ['customer asked', 14],
    ['  call me ok  ', 10],
    ['a          b', 3],
    ['\u200B'.repeat(10), 0],
    ['\u202E'.repeat(12), 0],
    ['\uFEFF\u00AD\u2060\u200D\u200C', 0],
    ['\u0301'.repeat(10), 0],
    ['\u3164\u2800\u115F\u1160\uFFA0', 0],
    ['x\u200By\u200Bz', 3],
    ['cafe\u0301 crème', 10],
    ['😀😀😀', 3],
    ['a\u2028b\u2029c', 5],
    ['x \u200B y', 3],
    ['tab\there', 8],
  ])('%j reads as %i characters', (text, length) => {
    expect(readableLength(text)).toBe(length);
  });
});
