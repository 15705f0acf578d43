/**
 * Characters a reader does not see (after whitespace became spaces): controls, format characters
 * (zero-width spaces and joiners, bidirectional overrides, soft hyphens), combining marks (a mark
 * counts with its letter, not on its own) and the letters that render blank (Hangul fillers, the
 * empty Braille pattern).
 */
const UNSEEN = /[\p{Cc}\p{Cf}\p{M}\u115F\u1160\u3164\uFFA0\u2800]/gu;

/**
 * How long a text is to the person who reads it: unseen characters dropped, each run of spaces
 * counted once, none at the ends. A reason must say why in this many characters, so one made of
 * ten zero-width spaces (which a length check passes and the audit log shows as blank) does not.
 */
export function readableLength(text: string): number {
  const spaced = text.replace(/\s/gu, ' ');
  return [...spaced.replace(UNSEEN, '').replace(/ +/g, ' ').trim()].length;
}
